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
  /** Pointer moves, touch moves and scrolls are sampled at most once per this many ms. */
  sampleMs?: number;
  onDecision?: (d: Decision) => void;
  onChallenge?: (d: Decision) => void;
  onBlock?: (d: Decision) => void;
}

const MAX_EVENTS = 500;
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
  let lastWheel = -1e9;
  let scrollX = 0;
  let scrollY = 0;
  // A hardware keydown since the last beforeinput: then that input needs no synthetic key pair.
  let hardKey = false;
  let softKey: { keyClass: KeyClass; field: string } | undefined;
  const stats = { recorded: 0, sent: 0, batches: 0, dropped: 0, refused: 0 };
  let sender: ReturnType<typeof createSender> | undefined;

  const context: EventBatch['context'] = {
    page: location.pathname.slice(0, 512),
    language: navigator.language.slice(0, 35),
    screen: { width: screen.width | 0, height: screen.height | 0 },
    ...(o.deviceId ? { deviceId: o.deviceId } : {}),
  };

  function push(e: Omit<BatchEvent, 't'>) {
    // performance.now() is monotonic; max() keeps t non-decreasing even for equal readings.
    const t = (lastT = Math.max(lastT, round(performance.now())));
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
  const sampled = () => {
    const now = performance.now();
    if (now - lastSample < sampleMs) return false;
    lastSample = now;
    return true;
  };
  const ptr = (e: PointerEvent | WheelEvent) => ({ x: clamp(e.clientX, 1e6), y: clamp(e.clientY, 1e6) });
  const ptype = (e: PointerEvent) => (e.pointerType === 'pen' || e.pointerType === 'touch' ? e.pointerType : 'mouse');

  const handlers: [EventTarget, string, (e: any) => void][] = [
    [window, 'keydown', (e: KeyboardEvent) => {
      if (e.repeat) return;
      // 229: a soft keyboard or IME composing; its timing comes from beforeinput/input instead.
      if (e.keyCode === 229 || e.key === 'Unidentified' || e.key === 'Process') return;
      hardKey = true;
      push({ type: 'keydown', keyClass: keyClass(e.key), field: fieldOf(e.target), ...caret(e.target) });
    }],
    [window, 'keyup', (e: KeyboardEvent) => {
      if (e.keyCode === 229 || e.key === 'Unidentified' || e.key === 'Process') return;
      push({ type: 'keyup', keyClass: keyClass(e.key), field: fieldOf(e.target) });
    }],
    [window, 'beforeinput', (e: InputEvent) => {
      if (hardKey) return void (hardKey = false);
      softKey = { keyClass: inputClass(e.inputType), field: fieldOf(e.target) };
      push({ type: 'keydown', ...softKey, ...caret(e.target) });
    }],
    [window, 'input', () => {
      if (softKey) push({ type: 'keyup', ...softKey });
      softKey = undefined;
    }],
    [window, 'pointermove', (e: PointerEvent) => {
      if (sampled()) push({ type: 'pointermove', ...ptr(e), pointerType: ptype(e) });
    }],
    [window, 'pointerdown', (e: PointerEvent) => push({ type: 'pointerdown', ...ptr(e), button: Math.max(0, e.button), pressure: e.pressure, pointerType: ptype(e) })],
    [window, 'pointerup', (e: PointerEvent) => push({ type: 'pointerup', ...ptr(e), button: Math.max(0, e.button), pointerType: ptype(e) })],
    [window, 'wheel', (e: WheelEvent) => {
      lastWheel = performance.now();
      if (sampled()) push({ type: 'wheel', ...ptr(e), dx: clamp(e.deltaX, 1e6), dy: clamp(e.deltaY, 1e6) });
    }],
    // Scrolling without a wheel (keys, scrollbar, touch) as a wheel step with state 'scroll'.
    [window, 'scroll', () => {
      const dx = scrollX - (scrollX = window.scrollX);
      const dy = scrollY - (scrollY = window.scrollY);
      if (performance.now() - lastWheel > 200 && sampled()) push({ type: 'wheel', dx: clamp(-dx, 1e6), dy: clamp(-dy, 1e6), state: 'scroll' });
    }],
    [window, 'touchstart', (e: TouchEvent) => touch('touchstart', e)],
    [window, 'touchmove', (e: TouchEvent) => sampled() && touch('touchmove', e)],
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
    push({ type, x: clamp(p.clientX, 1e6), y: clamp(p.clientY, 1e6), ...(p.force > 0 && p.force <= 1 ? { pressure: p.force } : {}) });
  }

  /** Cuts up to `max` batches from the buffer, each within the edge's event and byte limits. */
  function take(max: number): EventBatch[] {
    const out: EventBatch[] = [];
    while (buf.length && out.length < max) {
      let n = Math.min(MAX_EVENTS, buf.length);
      let batch: EventBatch;
      for (;;) {
        batch = { sessionId: sessionId!, batchId: `${pageId}.${seq}`, seq, consent: true, context, events: buf.slice(0, n) };
        const size = enc.encode(JSON.stringify(batch)).length;
        if (size <= MAX_BYTES || n === 1) break;
        n = Math.max(1, Math.floor((n * MAX_BYTES) / size) - 1);
      }
      buf = buf.slice(n);
      seq++;
      out.push(batch);
    }
    return out;
  }

  function flush() {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!consent || !sender || sender.busy || !buf.length || !sessionId) return;
    const [batch] = take(1);
    stats.batches++;
    stats.sent += batch!.events.length;
    sender.send(batch!);
  }

  function start() {
    if (consent) return;
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
      block: (d) => o.onBlock?.(d),
      done: (refused) => {
        if (refused) stats.refused++;
        if (buf.length) flush();
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
