// Demo page glue: consent banner, live decision, MPIN prompt; shared by the login and transfer pages.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  // One session across both demo pages, kept for this tab only. The first page has none: the
  // collector then asks the edge for a signed one, which the next page reuses.
  var sessionId = sessionStorage.getItem('cadence-demo-session') || undefined;
  var consented = localStorage.getItem('cadence-demo-consent') === 'yes';
  var blocked = false;
  var show = function (d) {
    // A block is final: no later answer replaces it on the page.
    if (blocked && d.decision !== 'block') return;
    var el = $('decision');
    el.textContent = d.decision;
    el.setAttribute('data-decision', d.decision);
    $('score').textContent = typeof d.score === 'number' ? d.score.toFixed(3) : '-';
    $('reasons').textContent = (d.reasons || []).join(', ') || '-';
    $('judged').textContent = d.judged === false ? 'no (too few keystrokes in this batch)' : 'yes';
    document.body.setAttribute('data-decisions', String(Number(document.body.getAttribute('data-decisions') || 0) + 1));
  };
  var collector = Cadence.init({
    endpoint: '',
    sessionId: sessionId,
    deviceId: 'demo-device',
    consent: consented,
    transport: params.get('transport') === 'stream' ? 'stream' : 'fetch',
    flushMs: Number(params.get('flushMs')) || 3000,
    onDecision: show,
    onChallenge: function () { $('mpin').hidden = false; },
    // The collector has stopped for good: the page says so, and shows block as the live decision.
    onBlock: function (d) {
      show(d);
      blocked = true;
      $('blocked').hidden = false;
      $('mpin').hidden = true;
      $('withdraw').hidden = true;
      document.body.setAttribute('data-blocked', 'yes');
    },
  });
  var banner = function () {
    $('consent').hidden = collector.consent;
    $('withdraw').hidden = !collector.consent;
  };
  $('allow').onclick = function () { localStorage.setItem('cadence-demo-consent', 'yes'); collector.grantConsent(); banner(); };
  $('decline').onclick = function () { localStorage.removeItem('cadence-demo-consent'); banner(); };
  $('withdraw').onclick = function () { localStorage.removeItem('cadence-demo-consent'); collector.withdrawConsent(); banner(); };
  $('export').onclick = function () { $('exported').textContent = collector.export(); };
  $('form').onsubmit = function (e) { e.preventDefault(); collector.flush(); $('submitted').hidden = false; };
  $('mpin-form').onsubmit = function (e) { e.preventDefault(); $('mpin-note').textContent = 'Not verified: VerifyMpin is not reachable from browsers yet.'; };
  var showSession = function () {
    var id = collector.sessionId;
    if (!id) return setTimeout(showSession, 200);
    sessionStorage.setItem('cadence-demo-session', id);
    $('session').textContent = id;
  };
  showSession();
  banner();
})();
