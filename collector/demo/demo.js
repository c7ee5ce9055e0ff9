// Demo page glue: consent banner, live decision, and seed 002's loop through the edge's identity
// face (/v1/auth/*): sign in (or register) on the login page, behaviour streamed on the transfer
// page, the MPIN asked for and verified when the session is challenged, a lock after three wrong
// MPINs, a block that signs the person out; "Simulate a bot" types like a script.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  var DEVICE = 'demo-device';
  var KEY = 'cadence-demo-auth';
  // After sign-in: { sessionId, accessToken } for this tab only (the refresh token is an HttpOnly cookie).
  var auth = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  // One session across both demo pages. Before sign-in the collector asks the edge for a signed one.
  var sessionId = auth ? auth.sessionId : sessionStorage.getItem('cadence-demo-session') || undefined;
  var consented = localStorage.getItem('cadence-demo-consent') === 'yes';
  var blocked = false;
  var note = function (id, text) { $(id).textContent = text; };
  var show = function (d) {
    // A block is final: no later answer replaces it on the page.
    if (blocked && d.decision !== 'block') return;
    var el = $('decision');
    el.textContent = d.decision;
    el.setAttribute('data-decision', d.decision);
    $('score').textContent = typeof d.score === 'number' ? d.score.toFixed(3) : '-';
    $('reasons').textContent = (d.reasons || []).join(', ') || '-';
    $('judged').textContent = d.judged === false ? 'no (too few keystrokes in this batch)' : 'yes';
    if (d.standing) document.body.setAttribute('data-standing', d.standing);
    document.body.setAttribute('data-decisions', String(Number(document.body.getAttribute('data-decisions') || 0) + 1));
  };
  var signOut = function () {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem('cadence-demo-session');
    document.body.setAttribute('data-signed-in', 'no');
  };
  var api = function (path, body, method) {
    var headers = { 'content-type': 'application/json' };
    if (auth) headers.authorization = 'Bearer ' + auth.accessToken;
    if (auth && method === 'GET') headers['x-device-id'] = DEVICE;
    return fetch('/v1/auth/' + path, { method: method || 'POST', headers: headers, credentials: 'same-origin', body: method === 'GET' ? undefined : JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, status: res.status, body: j }; }); });
  };
  var collector = Cadence.init({
    endpoint: '',
    sessionId: sessionId,
    sessionToken: auth ? auth.accessToken : undefined,
    deviceId: DEVICE,
    consent: consented,
    // ?transport=fetch|stream; by default a signed-in page streams (the core's word reaches it there).
    transport: params.get('transport') === 'stream' || (auth && params.get('transport') !== 'fetch') ? 'stream' : 'fetch',
    flushMs: Number(params.get('flushMs')) || 3000,
    onDecision: show,
    onChallenge: function () { $('mpin').hidden = false; document.body.setAttribute('data-challenged', 'yes'); },
    // The collector has stopped for good: the page says so, and a signed-in person is signed out.
    onBlock: function (d) {
      show(d);
      blocked = true;
      $('blocked').hidden = false;
      $('mpin').hidden = true;
      $('withdraw').hidden = true;
      document.body.setAttribute('data-blocked', 'yes');
      if (d.reasons && d.reasons.indexOf('account_locked') >= 0) $('blocked').textContent = 'Your account is locked. Please contact support.';
      signOut();
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

  var isLogin = !!$('username');
  $('form').onsubmit = function (e) {
    e.preventDefault();
    collector.flush();
    if (!isLogin) {
      // The transfer goes through only while the session stands allowed.
      if (document.body.getAttribute('data-challenged') === 'yes') return note('submitted-note', 'Confirm it is you first: enter your MPIN.');
      $('submitted').hidden = false;
      document.body.setAttribute('data-transferred', 'yes');
      return;
    }
    var creds = { email: $('username').value, password: $('password').value, deviceId: DEVICE };
    var go = function () {
      api('login', creds).then(function (r) {
        if (!r.ok) return note('auth-note', r.body.error ? r.body.error.message : 'sign-in failed');
        sessionStorage.setItem(KEY, JSON.stringify({ sessionId: r.body.sessionId, accessToken: r.body.accessToken }));
        document.body.setAttribute('data-signed-in', 'yes');
        location.href = '/demo/transfer';
      });
    };
    // New here: register with the MPIN given, then sign in.
    var mpin = $('new-mpin') && $('new-mpin').value;
    if (mpin) api('register', { email: creds.email, password: creds.password, mpin: mpin }).then(function (r) { if (r.ok || r.status === 409) go(); else note('auth-note', r.body.error.message); });
    else go();
  };

  $('mpin-form').onsubmit = function (e) {
    e.preventDefault();
    if (!auth) return note('mpin-note', 'This session has not signed in: there is no MPIN to check. Sign in first.');
    api('mpin', { mpin: $('mpin-input').value, deviceId: DEVICE }).then(function (r) {
      $('mpin-input').value = '';
      if (r.ok) {
        $('mpin').hidden = true;
        document.body.setAttribute('data-challenged', 'no');
        return note('mpin-note', 'Verified.');
      }
      note('mpin-note', r.body.error.message);
      if (r.body.error.code === 'locked') {
        $('mpin').hidden = true;
        $('blocked').hidden = false;
        $('blocked').textContent = 'Your account is locked after three wrong MPINs. Please contact support.';
        document.body.setAttribute('data-locked', 'yes');
        signOut();
      }
    });
  };

  // "Simulate a bot": scripted keys into the first field, 10 ms apart, held 4-8 ms: what a naive script
  // does. Challenged (superhuman, machine-steady keys); holds of one length as well would be
  // metronome_timing, blocked at once, and the demo would not show the MPIN step-up.
  $('bot').onclick = function () {
    var field = document.querySelector('#form input');
    field.focus();
    var i = 0;
    var press = function () {
      if (i++ >= 40) return collector.flush();
      var opts = { key: 'a', code: 'KeyA', bubbles: true };
      field.dispatchEvent(new KeyboardEvent('keydown', opts));
      setTimeout(function () { field.dispatchEvent(new KeyboardEvent('keyup', opts)); field.value += 'a'; }, 4 + (i % 5));
      setTimeout(press, 10);
    };
    press();
  };

  var showSession = function () {
    var id = collector.sessionId;
    if (!id) return setTimeout(showSession, 200);
    sessionStorage.setItem('cadence-demo-session', id);
    $('session').textContent = id;
  };
  document.body.setAttribute('data-signed-in', auth ? 'yes' : 'no');
  showSession();
  banner();
})();
