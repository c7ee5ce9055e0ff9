// The Cadence browser collector: after consent, records how the page is used (timings, key classes,
// pointer shapes, never what is typed) and sends it to the edge in batches; reports decisions.
import type { BatchEvent, EventBatch, KeyClass } from '../scoring/batch.ts';
import { inputClass, keyClass } from './keys.ts';
import { createSender, type Decision } from './sender.ts';

export type { Decision };

export interface Options {
  /** The edge's base URL ('' for the page's own origin). */
  endpoint: string;
  /** The session the batches belong to (e.g. Login's sessionId); if absent, one the edge signs (POST /v1/session). */
  sessionId?: string;
  /** The core's access token: a Bearer header on POSTs, `token` on the stream. */
  sessionToken?: string;
  deviceId?: string;
  /** Whether the person has already consented; if not, nothing happens until grantConsent(). */
  consent: boolean;
  /** 'fetch' (default): a POST per batch; 'stream': one WebSocket to /v1/stream. */
  transport?: 'fetch' | 'stream';
  /** Longest time events wait before being sent (ms). */
  flushMs?: number;
  /** Most events held while the edge is unreachable; the oldest are dropped beyond it. */
  maxBuffer?: number;
  /**
   * Scroll steps (wheel, scroll) are sampled at most once per this many ms. Pointer and touch moves
   * are not sampled: every sample the device reports is kept, with its own timestamp.
   */
  sampleMs?: number;
  onDecision?: (d: Decision) => void;
  onChallenge?: (d: Decision) => void;
  /**
   * The session is blocked (a block decision, `session_blocked` on the stream, or a 403
   * `session_blocked`): the collector has stopped for good, sends nothing more and does not reconnect.
   */
  onBlock?: (d: Decision) => void;
}

/** How a field's value changed, never what it became (see the 'input' event). */
export type InputState = 'typed' | 'paste' | 'drop' | 'autofill' | 'replace' | 'programmatic' | 'script';

const MAX_EVENTS = 500;
/** Room kept in each batch for the environment events appended to it: one of each state environment() may send. */
const ENV_EVENTS = 6;
/** Below the edge's 64 KB, leaving room for the envelope. */
const MAX_BYTES = 60_000;
const round = (v: number) => Math.round(v * 10) / 10;
const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, Math.round(v)));
const enc = new TextEncoder();
const rid = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

export function createCollector(o: Options) {
  let sessionId = o.sessionId;
  const pageId = rid();
  const sampleMs = o.sampleMs ?? 50;
  const maxBuffer = o.maxBuffer ?? 5000;
  let buf: BatchEvent[] = [];
  let consent = false;
  let seq = 0;
  let lastT = 0;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSample = -1e9;
  // Per pointer id, the timestamp of the last move sample kept: pointerrawupdate and pointermove
  // deliver the same samples, so a sample is kept only if it is newer than the last one.
  const lastMove = new Map<number, number>();
  // Touch pointers delivering pointer events (their coalesced samples are kept); once the browser
  // takes the gesture over (pointercancel, e.g. a scroll), the touchmove events are kept instead.
  const livePointers = new Set<number>();
  let blocked = false;
  // A flush was due while a batch was in flight.
  let wanted = false;
  // The last beforeinput's provenance and target, for the input event that follows it.
  let before: { state: InputState; target: EventTarget | null } | undefined;
  // A key event (hardware or IME) or composition recently: then an insertion is typed.
  let lastKeyAt = -1e9;
  // Fields reported as typed in the batch being filled (typed is said once per field and batch).
  let typedFields = new Set<string>();
  let lastWheel = -1e9;
  let scrollX = 0;
  let scrollY = 0;
  // A hardware keydown since the last beforeinput: then that input needs no synthetic key pair.
  let hardKey = false;
  let softKey: { keyClass: KeyClass; field: string } | undefined;
  // A device with a touch screen: its keys may come from a soft keyboard, which sends keydown and
  // keyup back to back (no finger holds a key for 0 ms) and capitalises without reporting Shift.
  const touchScreen = navigator.maxTouchPoints > 0;
  // Letters whose case contradicted the Shift state since the last batch was cut, and letters checked
  // (counts only, never which keys). A touch device abstains.
  const checksCase = !touchScreen;
  let caseMismatched = 0;
  let caseChecked = 0;
  // The previous key event was Shift released: Sticky Keys may apply it to this letter unreported.
  let shiftJustUp = false;
  // Presses on a control big enough to aim within, and those that landed on its exact centre (counts
  // only): Playwright's, Puppeteer's and Selenium's click() press the centre of the element's box.
  let centreChecked = 0;
  let centred = 0;
  // Chromium without a window says so in its user agent (unless the tool rewrites it): no person
  // types into a browser nobody can see.
  const headless = /HeadlessChrome\//.test(navigator.userAgent);
  // Where the pointer's screen and page coordinates place the page on the screen, against the
  // window's own size (see checkWindow). `detached`: some batch's check found it impossible.
  let offsetRef: { ox: number; oy: number; x: number; y: number } | undefined;
  let detached = false;
  const stats = { recorded: 0, sent: 0, batches: 0, dropped: 0, refused: 0 };
  let sender: ReturnType<typeof createSender> | undefined;

  const context: EventBatch['context'] = {
    page: location.pathname.slice(0, 512),
    language: navigator.language.slice(0, 35),
    screen: { width: screen.width | 0, height: screen.height | 0 },
    ...(o.deviceId ? { deviceId: o.deviceId } : {}),
  };

  function push(e: Omit<BatchEvent, 't'>, at?: number) {
    // performance.now() and event timeStamps share one monotonic clock; max() keeps t
    // non-decreasing even for equal readings or a sample older than the last event recorded.
    const t = (lastT = Math.max(lastT, round(at ?? performance.now())));
    if (buf.length >= maxBuffer) {
      // Drop an eighth at once so the cost per event stays constant on average.
      const n = maxBuffer >> 3 || 1;
      buf.splice(0, n);
      stats.dropped += n;
    }
    buf.push({ ...e, t } as BatchEvent);
    stats.recorded++;
    if (buf.length >= MAX_EVENTS) flush();
    else if (!flushTimer) flushTimer = setTimeout(flush, o.flushMs ?? 3000);
  }

  const fieldOf = (el: EventTarget | null) => {
    const e = el as HTMLElement | null;
    return e && e.tagName ? (e.id || (e as HTMLInputElement).name || e.tagName.toLowerCase()).slice(0, 64) : 'document';
  };
  const caret = (el: EventTarget | null) => {
    try {
      const p = (el as HTMLInputElement | null)?.selectionStart;
      return typeof p === 'number' ? { position: Math.min(p, 100_000) } : {};
    } catch {
      return {}; // input types without a caret (email, number) throw in some browsers
    }
  };
  const scrollSampled = () => {
    const now = performance.now();
    if (now - lastSample < sampleMs) return false;
    lastSample = now;
    return true;
  };
  const ptr = (e: PointerEvent | WheelEvent | Touch) => ({ x: clamp(e.clientX, 1e6), y: clamp(e.clientY, 1e6) });
  const ptype = (e: PointerEvent) => (e.pointerType === 'pen' || e.pointerType === 'touch' ? e.pointerType : 'mouse');

  /**
   * Every sample of a move: the coalesced events (all the device reported since the last frame),
   * each at its own time. A mouse move omits pointerType (the schema's default); a move with a
   * button held carries `button` (the buttons bitmask). A touch pointer's samples are touchmoves.
   */
  function moves(e: PointerEvent) {
    const id = e.pointerId;
    const touch = e.pointerType === 'touch';
    if (touch && !livePointers.has(id)) return;
    let samples: PointerEvent[] = [];
    try {
      samples = e.getCoalescedEvents?.() ?? [];
    } catch {
      /* not offered */
    }
    if (!samples.length) samples = [e];
    let last = lastMove.get(id) ?? -1;
    if (!touch) checkWindow(e);
    for (const s of samples) {
      if (s.timeStamp <= last) continue;
      last = s.timeStamp;
      const p = s.pressure;
      push(
        touch
          ? { type: 'touchmove', ...ptr(s), ...(p > 0 && p <= 1 && p !== 0.5 ? { pressure: p } : {}) }
          : { type: 'pointermove', ...ptr(s), ...(e.pointerType === 'pen' ? { pointerType: 'pen' } : {}), ...(s.buttons > 0 ? { button: s.buttons & 31 } : {}) },
        s.timeStamp,
      );
    }
    lastMove.set(id, last);
  }

  /**
   * A letter's case against the Shift key: a person's capital comes with Shift held (or CapsLock);
   * an automation tool's `keyboard.type('Hi')` sends 'H' with no Shift at all. Only counted, never
   * which letter. Abstains where the state is not the person's own: CapsLock on (Shift then
   * lowercases on Windows, not on macOS), Ctrl/Alt/Meta/AltGraph held (shortcuts, other layers), and
   * right after Shift was released (Sticky Keys applies it to the next key).
   */
  function checkCase(e: KeyboardEvent) {
    const k = e.key;
    const lower = k.toLowerCase();
    if (lower === k.toUpperCase() || shiftJustUp || e.ctrlKey || e.altKey || e.metaKey) return;
    try {
      if (e.getModifierState('CapsLock') || e.getModifierState('AltGraph')) return;
    } catch {
      return;
    }
    caseChecked++;
    if ((k !== lower) !== e.shiftKey) caseMismatched++;
  }

  /** How a field's value is about to change, from the beforeinput's inputType (its data is never kept). */
  function provenance(e: InputEvent): InputState {
    const inputType = e.inputType;
    if (inputType.startsWith('insertFromPaste')) return 'paste';
    if (inputType === 'insertFromDrop' || inputType === 'deleteByDrag') return 'drop';
    if (inputType === 'insertReplacementText') return 'replace';
    // Text typed, deleted, or composed: by keys if any key or composition came just before. Text
    // inserted whole with no key at all, two or more letters or digits at once, is a program's
    // (page.fill, CDP insertText); a lone symbol is a character or emoji picker's.
    if (performance.now() - lastKeyAt < 150 || e.isComposing || inputType !== 'insertText') return 'typed';
    return /[\p{L}\p{N}][^]*[\p{L}\p{N}]/u.test(e.data ?? '') ? 'programmatic' : 'typed';
  }

  /**
   * Whether a press landed within a pixel of its control's centre, on both axes. Only controls at
   * least 24 x 16 px count (a checkbox's centre is easy to hit); never where or on what.
   */
  function checkCentre(e: PointerEvent) {
    try {
      const el = (e.target as Element | null)?.closest?.('button, a, input, select, textarea, label, summary, [role=button], [role=link], [role=checkbox], [role=tab]');
      if (!el) return;
      const r = el.getBoundingClientRect();
      if (r.width < 24 || r.height < 16) return;
      centreChecked++;
      if (Math.abs(e.clientX - (r.left + r.width / 2)) <= 1 && Math.abs(e.clientY - (r.top + r.height / 2)) <= 1) centred++;
    } catch {
      /* a target without geometry */
    }
  }

  /**
   * A page sits in its window below the browser's own toolbars: screenY - clientY (where the
   * page's top is on the screen) is window.screenY plus the toolbars' height, and a window with no
   * toolbars at all (outerHeight === innerHeight: fullscreen, kiosk, a browser resisting
   * fingerprinting) has its page at its own top. Headless Chromium reports a window without any
   * toolbar yet places the page 87 px below the window's top (Chromium 156), and so partly below
   * the bottom of the screen it reports: a window no screen shows. Both must hold: an embedded
   * WebView2 also reports no toolbars and a stale window position (its host draws the chrome), but
   * its page is on a screen. Judged on mouse events only, without touch points (an iPad's
   * trackpad), in the top window at a pinch zoom of 1, and only once the offset is the same
   * (within 1 px) for two events at least 30 px apart (so page zoom is 1 and no single odd event
   * decides). Counts only: the state says nothing of where the pointer was.
   */
  function checkWindow(e: PointerEvent) {
    try {
      if (e.pointerType !== 'mouse' || navigator.maxTouchPoints > 0 || window.top !== window || (window.visualViewport?.scale ?? 1) !== 1) return;
      const ox = e.screenX - e.clientX;
      const oy = e.screenY - e.clientY;
      const ref = offsetRef;
      if (!ref || Math.abs(ox - ref.ox) > 1 || Math.abs(oy - ref.oy) > 1) {
        offsetRef = { ox, oy, x: e.clientX, y: e.clientY };
        return;
      }
      if (Math.abs(e.clientX - ref.x) < 30 && Math.abs(e.clientY - ref.y) < 30) return;
      const noToolbars = Math.abs(window.outerWidth - window.innerWidth) < 1 && Math.abs(window.outerHeight - window.innerHeight) < 1;
      const s = screen as Screen & { availTop?: number; availLeft?: number };
      const offScreen = oy + window.innerHeight > (s.availTop ?? 0) + s.height + 8 || ox + window.innerWidth > (s.availLeft ?? 0) + s.width + 8;
      if (noToolbars && offScreen && (oy - window.screenY >= 20 || ox - window.screenX >= 20)) detached = true;
    } catch {
      /* a browser without these properties */
    }
  }

  function inputOf(state: InputState, target: EventTarget | null) {
    const field = fieldOf(target);
    if (state === 'typed') {
      if (typedFields.has(field)) return;
      typedFields.add(field);
    }
    push({ type: 'input', field, state });
  }

  const handlers: [EventTarget, string, (e: any) => void][] = [
    [window, 'keydown', (e: KeyboardEvent) => {
      if (e.repeat) return;
      // 229: a soft keyboard or IME composing; its timing comes from beforeinput/input instead.
      lastKeyAt = performance.now();
      if (e.keyCode === 229 || e.key === 'Unidentified' || e.key === 'Process') return;
      hardKey = true;
      const cls = keyClass(e.key);
      if (cls === 'letter' && checksCase) checkCase(e);
      shiftJustUp = false;
      push({ type: 'keydown', keyClass: cls, field: fieldOf(e.target), ...caret(e.target) });
    }],
    [window, 'keyup', (e: KeyboardEvent) => {
      if (e.keyCode === 229 || e.key === 'Unidentified' || e.key === 'Process') return;
      shiftJustUp = e.key === 'Shift';
      push({ type: 'keyup', keyClass: keyClass(e.key), field: fieldOf(e.target) });
    }],
    [window, 'compositionstart', () => void (lastKeyAt = performance.now())],
    [window, 'compositionupdate', () => void (lastKeyAt = performance.now())],
    [window, 'beforeinput', (e: InputEvent) => {
      const state = provenance(e);
      before = { state, target: e.target };
      if (hardKey) return void (hardKey = false);
      // A keyboard without key events (soft keyboards, IMEs, insertText) as one key pair; a paste,
      // drop or replacement is not a keystroke and is reported as an input only.
      if (state !== 'typed' && state !== 'programmatic') return;
      softKey = { keyClass: inputClass(e.inputType), field: fieldOf(e.target) };
      push({ type: 'keydown', ...softKey, ...caret(e.target) });
    }],
    [window, 'input', (e: Event) => {
      if (softKey) push({ type: 'keyup', ...softKey });
      softKey = undefined;
      // An input with no beforeinput: the browser's autofill, or a script that set the value and
      // dispatched the event itself (a password manager extension, the page's own code).
      let state: InputState = before?.target === e.target ? before.state : 'script';
      if (before?.target !== e.target) {
        try {
          if ((e.target as Element).matches?.(':autofill')) state = 'autofill';
        } catch {
          try {
            if ((e.target as Element).matches?.(':-webkit-autofill')) state = 'autofill';
          } catch {
            /* neither selector is known here */
          }
        }
      }
      before = undefined;
      inputOf(state, e.target);
    }],
    ...(('onpointerrawupdate' in window ? ['pointerrawupdate', 'pointermove'] : ['pointermove']).map(
      (type) => [window, type, moves] as [EventTarget, string, (e: any) => void],
    )),
    [window, 'pointerdown', (e: PointerEvent) => {
      if (e.pointerType === 'touch') livePointers.add(e.pointerId);
      if (e.isPrimary) checkCentre(e);
      checkWindow(e);
      push({ type: 'pointerdown', ...ptr(e), button: Math.max(0, e.button), pressure: e.pressure, pointerType: ptype(e) });
    }],
    [window, 'pointerup', (e: PointerEvent) => {
      if (livePointers.delete(e.pointerId)) lastMove.delete(e.pointerId);
      push({ type: 'pointerup', ...ptr(e), button: Math.max(0, e.button), pointerType: ptype(e) });
    }],
    [window, 'pointercancel', (e: PointerEvent) => {
      if (livePointers.delete(e.pointerId)) lastMove.delete(e.pointerId);
    }],
    [window, 'wheel', (e: WheelEvent) => {
      lastWheel = performance.now();
      if (scrollSampled()) push({ type: 'wheel', ...ptr(e), dx: clamp(e.deltaX, 1e6), dy: clamp(e.deltaY, 1e6) });
    }],
    // Scrolling without a wheel (keys, scrollbar, touch) as a wheel step with state 'scroll'.
    [window, 'scroll', () => {
      const dx = scrollX - (scrollX = window.scrollX);
      const dy = scrollY - (scrollY = window.scrollY);
      if (performance.now() - lastWheel > 200 && scrollSampled()) push({ type: 'wheel', dx: clamp(-dx, 1e6), dy: clamp(-dy, 1e6), state: 'scroll' });
    }],
    [window, 'touchstart', (e: TouchEvent) => touch('touchstart', e)],
    // While the touch's pointer events flow, its samples come from them (coalesced, at the
    // digitiser's rate); after the browser took the gesture over (pointercancel), from touchmove.
    [window, 'touchmove', (e: TouchEvent) => !livePointers.size && touch('touchmove', e)],
    [window, 'touchend', (e: TouchEvent) => touch('touchend', e)],
    [window, 'focusin', (e: FocusEvent) => push({ type: 'focus', field: fieldOf(e.target) })],
    [window, 'focusout', (e: FocusEvent) => push({ type: 'blur', field: fieldOf(e.target) })],
    [window, 'popstate', () => push({ type: 'navigation', state: 'popstate' })],
    [window, 'hashchange', () => push({ type: 'navigation', state: 'hashchange' })],
    [window, 'pageshow', (e: PageTransitionEvent) => e.persisted && push({ type: 'navigation', state: 'bfcache' })],
    [document, 'visibilitychange', () => {
      push({ type: 'visibility', state: document.visibilityState });
      if (document.visibilityState === 'hidden') flush();
    }],
    [window, 'pagehide', () => sender?.beacon(take(Infinity).map((b) => JSON.stringify(b)))],
  ];

  function touch(type: 'touchstart' | 'touchmove' | 'touchend', e: TouchEvent) {
    const p = e.changedTouches[0];
    if (!p) return;
    push({ type, ...ptr(p), ...(p.force > 0 && p.force <= 1 ? { pressure: p.force } : {}) }, type === 'touchmove' ? e.timeStamp : undefined);
  }

  /**
   * What the page knows of its own browser, as events closing a batch: 'webdriver' when the browser
   * says it is driven by automation (navigator.webdriver: Playwright, Puppeteer, Selenium by default),
   * 'headless' when its user agent says it runs without a window (HeadlessChrome),
   * 'case:M/N' when M of the N letters checked since the last batch had a case their Shift state
   * contradicts, and 'centre:M/N' when M of the N presses on controls landed on the control's
   * centre, 'detached' when the pointer placed the page where its window cannot be (checkWindow),
   * 'touch' when the device has a touch screen (its keys may come from a soft keyboard).
   * Sent only when there is something to say; the counts restart with each batch.
   */
  function environment(): string[] {
    const out: string[] = [];
    if (touchScreen) out.push('touch');
    if (navigator.webdriver === true) out.push('webdriver');
    if (headless) out.push('headless');
    if (caseMismatched > 0) out.push(`case:${Math.min(caseMismatched, 9999)}/${Math.min(caseChecked, 9999)}`);
    if (centred > 0) out.push(`centre:${Math.min(centred, 9999)}/${Math.min(centreChecked, 9999)}`);
    if (detached) out.push('detached');
    detached = false;
    caseMismatched = caseChecked = 0;
    centred = centreChecked = 0;
    return out;
  }

  /** Cuts up to `max` batches from the buffer, each within the edge's event and byte limits. */
  function take(max: number): EventBatch[] {
    const out: EventBatch[] = [];
    while (buf.length && out.length < max) {
      let n = Math.min(MAX_EVENTS - ENV_EVENTS, buf.length);
      let batch: EventBatch;
      const env = environment();
      for (;;) {
        // The environment closes the batch, at its last event's time (timestamps never decrease).
        const t = buf[n - 1]!.t;
        batch = { sessionId: sessionId!, batchId: `${pageId}.${seq}`, seq, consent: true, context, events: [...buf.slice(0, n), ...env.map((state) => ({ type: 'environment' as const, t, state }))] };
        const size = enc.encode(JSON.stringify(batch)).length;
        if (size <= MAX_BYTES || n === 1) break;
        n = Math.max(1, Math.floor((n * MAX_BYTES) / size) - 1);
      }
      buf = buf.slice(n);
      typedFields = new Set();
      seq++;
      out.push(batch);
    }
    return out;
  }

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!consent || blocked || !sender || !buf.length || !sessionId) return;
    wanted = sender.busy;
    if (wanted) return;
    const [batch] = take(1);
    stats.batches++;
    stats.sent += batch!.events.length;
    sender.send(batch!);
  }

  function start() {
    if (consent || blocked) return;
    consent = true;
    scrollX = window.scrollX;
    scrollY = window.scrollY;
    // Before login the edge hands out signed anonymous session ids; an edge without that route
    // (or unreachable) leaves us a random one, which an edge that requires auth will refuse.
    if (!sessionId) {
      fetch(`${o.endpoint.replace(/\/+$/, '')}/v1/session`, { method: 'POST' })
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined)
        .then((r: { sessionId?: string } | undefined) => {
          sessionId ??= r?.sessionId ?? `s-${rid()}`;
          // What waited for the id goes out on the usual schedule, not in a batch of its own.
          if (buf.length && !flushTimer) flushTimer = setTimeout(flush, o.flushMs ?? 3000);
        });
    }
    sender = createSender(o.endpoint, o.transport === 'stream', o.sessionToken, {
      decision: (d) => o.onDecision?.(d),
      challenge: (d) => o.onChallenge?.(d),
      // A block is final: collection stops, nothing more is sent, no socket is reopened.
      block: (d) => {
        if (blocked) return;
        blocked = true;
        stop();
        o.onBlock?.(d);
      },
      // The next batch goes at once only if a flush was due while this one was in flight (the
      // timer, a full batch, a hidden page); otherwise the timer takes it, so that continuous
      // movement is not cut into a batch per round trip.
      done: (refused) => {
        if (refused) stats.refused++;
        if (wanted || buf.length >= MAX_EVENTS) flush();
        else if (buf.length && !flushTimer) flushTimer = setTimeout(flush, o.flushMs ?? 3000);
      },
    });
    for (const [target, type, fn] of handlers) target.addEventListener(type, fn, { capture: true, passive: true });
    const nav = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
    push({ type: 'navigation', state: nav?.type ?? 'navigate' });
  }

  function stop() {
    if (!consent) return;
    consent = false;
    for (const [target, type, fn] of handlers) target.removeEventListener(type, fn, { capture: true });
    clearTimeout(flushTimer);
    flushTimer = undefined;
    sender?.stop();
    sender = undefined;
    buf = [];
  }

  if (o.consent) start();

  return {
    /** The session id in use: the page's, or the edge's once it has answered. */
    get sessionId() {
      return sessionId;
    },
    grantConsent: start,
    /** Stops collection at once and discards everything not yet delivered. */
    withdrawConsent: stop,
    /** Sends what is buffered now (e.g. on submit). */
    flush,
    get consent() {
      return consent;
    },
    /** True once the session was blocked: the collector has stopped for good. */
    get blocked() {
      return blocked;
    },
    /** What this page holds about the person, as JSON: the undelivered events and counters. */
    export(): string {
      const inFlight = sender?.pending()?.batch.events ?? [];
      return JSON.stringify({ sessionId, consent, stats, events: [...inFlight, ...buf] });
    },
  };
}

export type Collector = ReturnType<typeof createCollector>;

let current: Collector | undefined;

export function init(options: Options): Collector {
  current?.withdrawConsent();
  return (current = createCollector(options));
}
export const grantConsent = () => current?.grantConsent();
export const withdrawConsent = () => current?.withdrawConsent();
export const flush = () => current?.flush();
const exportData = () => current?.export() ?? '{}';
export { exportData as export };
