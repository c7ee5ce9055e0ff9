// Human-like bots for issue 17, item 4: the families a red team (or a bot writer) actually ships,
// each a named kind the evaluation can select. Every family is built the way its tool works: the bot
// dispatches DOM events at the times its code would, and a model of the browser collector
// (collector/index.ts: every pointer and touch sample kept at the rate the bot dispatches them, wheel
// steps sampled at most once per 50 ms, times rounded to 0.1 ms and never decreasing, a batch flushed 3 s after the first event it holds, a new clock
// and a new collector per page) turns them into the batches the edge would receive. Replays are the
// exception: they are made from a person's recorded batches, which the attacker re-sends.
//
// Nothing here knows how Cadence scores: the families imitate tools and the literature, not gaps in
// a detector. Seeded and I/O-free.
import type { BatchEvent, EventBatch, KeyClass } from '../batch.ts';
import { Rng } from '../models/rng.ts';
import { botSession, BOT_KINDS, genuineSession, synthSessions, synthUsers, type BotKind, type SynthOptions, type SynthSession, type SynthUser } from './generate.ts';

export const ADVERSARIAL_KINDS = [
  'scripted-type-fixed',
  'scripted-type-random',
  'page-fill',
  'linear-steps',
  'lognormal-typing',
  'gamma-typing',
  'bezier-mouse',
  'windmouse',
  'overshoot-mouse',
  'replay-warp',
  'human-mix',
] as const;
export type AdversarialKind = (typeof ADVERSARIAL_KINDS)[number];
export type AnyBotKind = BotKind | AdversarialKind;
export const ALL_BOT_KINDS: readonly AnyBotKind[] = [...BOT_KINDS, ...ADVERSARIAL_KINDS];

export const isAdversarialKind = (k: string): k is AdversarialKind => (ADVERSARIAL_KINDS as readonly string[]).includes(k);
export const isBotKind = (k: string): k is AnyBotKind => (ALL_BOT_KINDS as readonly string[]).includes(k);

/** What each family imitates (for manifests, reports and `cadence synth --list-bot-kinds`). */
export const ADVERSARIAL_DESCRIPTIONS: Record<AdversarialKind, string> = {
  'scripted-type-fixed': 'Playwright/Puppeteer page.type(selector, text, { delay }) (hold = delay, keyup to next keydown ~1 ms) or a press()+sleep(delay) loop (hold ~1 ms); no mouse until page.click on the button',
  'scripted-type-random': 'a script pressing keys with down(); sleep(U(5,15)); up(); sleep(U(50,150)); page.click for buttons',
  'page-fill': 'Playwright page.fill / locator.fill: one insertText per field (one soft-key pair), page.click for buttons',
  'linear-steps': 'Playwright page.mouse.move(x, y, { steps }) (evenly spaced straight line, steps back to back or with a fixed sleep), mouse.down/up, keyboard.type(text, { delay })',
  'lognormal-typing': 'keystrokes with log-normal holds (median 80-120 ms) and flights (median 100-250 ms), i.i.d.: no dependence on key class or position',
  'gamma-typing': 'keystrokes with gamma holds (mean 80-120 ms) and flights (mean 100-250 ms), i.i.d.',
  'bezier-mouse': 'ghost-cursor / "humanize" libraries: cubic Bezier path with random anchors, Fitts-law duration, eased (bell-shaped) speed, Gaussian jitter; log-normal typing',
  windmouse: "Benjamin J. Land's WindMouse (gravity 9, wind 3, max step 15 px, target area 12 px); log-normal typing",
  'overshoot-mouse': 'ghost-cursor style overshoot: Bezier past the target, a pause, then a short corrective Bezier onto it; log-normal typing',
  'replay-warp': "a person's recorded batches re-sent with a time warp (x0.8-1.25), Gaussian timing noise (sd 2-10 ms) and spatial noise",
  'human-mix': 'the careful bot writer: class-dependent log-normal typing with typos and rollover, Bezier/WindMouse/overshoot pointer, reading pauses, scrolling, idle moves',
};

/** Events per batch in synth: well inside the edge's 500 events and 64 KB. */
export const ADVERSARIAL_EVENTS_PER_BATCH = 200;
/** The collector's flush interval and scroll sampling (collector/index.ts defaults; pointer moves are not sampled). */
export const FLUSH_MS = 3000;
export const SAMPLE_MS = 50;

export interface AdversarialSession extends SynthSession {
  bot: AdversarialKind;
  /** The parameters this session was drawn with (for tests and reports). */
  params: Record<string, number | string>;
  /** replay-warp: the session replayed. */
  source?: SynthSession;
}

export interface AdversarialOptions {
  kind: AdversarialKind;
  count: number;
  seed?: number;
}

/** `count` sessions of one family, each against its own synthetic victim account. Deterministic per seed. */
export function adversarialSessions({ kind, count, seed = 1 }: AdversarialOptions): AdversarialSession[] {
  if (!isAdversarialKind(kind)) throw new Error(`unknown adversarial kind ${kind}; known: ${ADVERSARIAL_KINDS.join(', ')}`);
  const users = synthUsers(count, seed);
  const k = ADVERSARIAL_KINDS.indexOf(kind);
  return users.map((user, i) => adversarialSession(user, kind, i, new Rng(mix(seed, k + 1, i + 1))));
}

/**
 * `cadence synth` with a chosen set of bot kinds (old and new): genuine users and impostors as
 * synthSessions makes them, then per user `bots` sessions rotating through `botKinds`.
 */
export function* corpusSessions(options: SynthOptions & { botKinds?: readonly AnyBotKind[] }): Generator<SynthSession> {
  if (!options.botKinds) return yield* synthSessions(options);
  const kinds = options.botKinds;
  for (const k of kinds) if (!isBotKind(k)) throw new Error(`unknown bot kind ${k}; known: ${ALL_BOT_KINDS.join(', ')}`);
  const seed = options.seed ?? 1;
  yield* synthSessions({ ...options, bots: 0 });
  const bots = options.bots ?? 1;
  if (!kinds.length || !bots) return;
  for (const [u, user] of synthUsers(options.users, seed).entries()) {
    for (let b = 0; b < bots; b++) {
      const kind = kinds[(u + b) % kinds.length]!;
      const index = options.sessions + (options.impostors ?? 1) + b;
      const rng = new Rng(mix(seed, 7777 + u, b + 1));
      yield isAdversarialKind(kind) ? adversarialSession(user, kind, index, rng) : botSession(user, kind, index, rng);
    }
  }
}

function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Random laws

const U = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.float();
const logNormal = (rng: Rng, median: number, sigma: number) => median * Math.exp(sigma * rng.normal());
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

/** Gamma(shape k, scale theta) by Marsaglia and Tsang (2000); k < 1 by the usual boost. */
export function gamma(rng: Rng, k: number, theta: number): number {
  if (k < 1) return gamma(rng, k + 1, theta) * rng.float() ** (1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.float();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * theta;
  }
}

/** A CDP round trip or a timer's slack: what a script's "back to back" costs (ms). */
const ipc = (rng: Rng) => 0.3 + 1.7 * rng.float() ** 2;

// ---------------------------------------------------------------------------------------------
// The page a bot drives, and the collector that records it

type Pt = [number, number];

/** A page's elements as boxes (fractions of the viewport): where a bot clicks and types. */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
const BOXES: Record<string, Box> = {
  username: { x: 0.38, y: 0.35, w: 0.24, h: 0.045 },
  password: { x: 0.38, y: 0.43, w: 0.24, h: 0.045 },
  submit: { x: 0.44, y: 0.52, w: 0.12, h: 0.05 },
  'transfer-link': { x: 0.08, y: 0.62, w: 0.14, h: 0.035 },
  iban: { x: 0.3, y: 0.3, w: 0.4, h: 0.045 },
  amount: { x: 0.3, y: 0.4, w: 0.16, h: 0.045 },
  reference: { x: 0.3, y: 0.5, w: 0.4, h: 0.045 },
  confirm: { x: 0.55, y: 0.62, w: 0.15, h: 0.05 },
};

class Tab {
  /** Events as dispatched by the bot, at exact times (ms since the page's load). */
  readonly raw: BatchEvent[] = [];
  t: number;
  pos: Pt;
  focused: string | undefined;
  readonly caret = new Map<string, number>();
  constructor(
    readonly page: string,
    readonly viewport: { width: number; height: number },
    t: number,
    pos: Pt,
  ) {
    this.t = t;
    this.pos = pos;
    this.raw.push({ type: 'navigation', t: 0.5 + 0.5 * t, state: 'navigate' });
  }
  wait(ms: number) {
    this.t += Math.max(0, ms);
  }
  box(name: string): Box {
    const b = BOXES[name]!;
    return { x: b.x * this.viewport.width, y: b.y * this.viewport.height, w: b.w * this.viewport.width, h: b.h * this.viewport.height };
  }
  centre(name: string): Pt {
    const b = this.box(name);
    return [b.x + b.w / 2, b.y + b.h / 2];
  }
  /** A point inside the box, away from its edges (ghost-cursor's getRandomBoxPoint with padding). */
  inside(name: string, rng: Rng): Pt {
    const b = this.box(name);
    return [b.x + b.w * U(rng, 0.15, 0.85), b.y + b.h * U(rng, 0.2, 0.8)];
  }
  move(p: Pt) {
    this.pos = p;
    this.raw.push({ type: 'pointermove', t: this.t, x: p[0], y: p[1], pointerType: 'mouse' });
  }
  /** mousedown (focuses an input under it), hold, mouseup. */
  click(hold: number, field?: string) {
    const [x, y] = this.pos;
    this.raw.push({ type: 'pointerdown', t: this.t, x, y, button: 0, pressure: 0.5, pointerType: 'mouse' });
    if (field) this.focus(field, this.t + 0.1);
    this.t += hold;
    this.raw.push({ type: 'pointerup', t: this.t, x, y, button: 0, pointerType: 'mouse' });
  }
  focus(field: string, t = this.t) {
    if (this.focused === field) return;
    if (this.focused) this.raw.push({ type: 'blur', t, field: this.focused });
    this.raw.push({ type: 'focus', t, field });
    this.focused = field;
  }
  key(type: 'keydown' | 'keyup', keyClass: KeyClass, t: number) {
    const field = this.focused ?? 'document';
    if (type === 'keydown') {
      const at = this.caret.get(field) ?? 0;
      this.raw.push({ type, t, keyClass, field, position: at });
      this.caret.set(field, keyClass === 'backspace' ? Math.max(0, at - 1) : keyClass === 'shift' || keyClass === 'enter' || keyClass === 'tab' ? at : at + 1);
    } else this.raw.push({ type, t, keyClass, field });
  }
  wheel(dy: number) {
    const [x, y] = this.pos;
    this.raw.push({ type: 'wheel', t: this.t, x, y, dx: 0, dy });
  }
}

/** What the collector records of a page's dispatched events (collector/index.ts). */
export function record(raw: readonly BatchEvent[], sampleMs = SAMPLE_MS): BatchEvent[] {
  const sorted = raw.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  const out: BatchEvent[] = [];
  let lastSample = -1e9;
  let lastT = 0;
  for (const { e } of sorted) {
    // The collector keeps every pointer sample (coalesced events, issue 22); only scroll is sampled.
    if (e.type === 'wheel') {
      if (e.t - lastSample < sampleMs) continue;
      lastSample = e.t;
    }
    const t = (lastT = Math.max(lastT, Math.round(e.t * 10) / 10));
    const r: BatchEvent = { ...e, t };
    if (r.x !== undefined) r.x = Math.round(r.x);
    if (r.y !== undefined) r.y = Math.round(r.y);
    out.push(r);
  }
  return out;
}

/** The collector's batches: flushed 3 s after the first event waiting, at most `max` events each. */
export function collectorWindows(events: readonly BatchEvent[], ms = FLUSH_MS, max = ADVERSARIAL_EVENTS_PER_BATCH): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  for (let s = 0; s < events.length; ) {
    const t0 = events[s]!.t;
    let e = s;
    while (e < events.length && events[e]!.t < t0 + ms && e - s < max) e++;
    out.push(events.slice(s, e));
    s = e;
  }
  return out;
}

interface RecordedPage {
  page: string;
  events: BatchEvent[];
}

function toSession(
  user: SynthUser,
  kind: AdversarialKind,
  index: number,
  pages: RecordedPage[],
  context: { language: string; screen: { width: number; height: number } },
  params: Record<string, number | string>,
): AdversarialSession {
  const sessionId = `synth-${user.person.id}-${kind}-${index}`;
  const deviceId = `dev-${kind}-${user.person.id}-${index}`;
  const batches: EventBatch[] = [];
  for (const { page, events } of pages) {
    for (const events_ of collectorWindows(events)) {
      const seq = batches.length;
      batches.push({ sessionId, batchId: `${sessionId}.${seq}`, seq, consent: true, context: { page, deviceId, language: context.language, screen: context.screen }, events: events_ });
    }
  }
  return { sessionId, user: user.person.id, kind: 'bot', actor: kind, bot: kind, index, batches, params };
}

// ---------------------------------------------------------------------------------------------
// Keyboards

/** Timing of one stroke: its hold, and the flight from its keyup to the next keydown (< 0: rollover). */
interface Stroke {
  hold: number;
  flight: number;
}
type Typist = (cls: KeyClass, i: number, prev: KeyClass | undefined, next: KeyClass | undefined) => Stroke;

function typeInto(tab: Tab, classes: readonly KeyClass[], typist: Typist, rng: Rng, typoRate = 0) {
  let prev: KeyClass | undefined;
  const stroke = (cls: KeyClass, i: number, next: KeyClass | undefined) => {
    const { hold, flight } = typist(cls, i, prev, next);
    const down = tab.t;
    tab.key('keydown', cls, down);
    tab.key('keyup', cls, down + hold);
    // Rollover: the next key goes down before this one is up, but never before this one went down.
    tab.t = Math.max(down + Math.min(hold, 25) * 0.4, down + hold + flight);
    prev = cls;
  };
  classes.forEach((cls, i) => {
    stroke(cls, i, classes[i + 1]);
    if (typoRate && rng.float() < typoRate) {
      tab.wait(logNormal(rng, 350, 0.35)); // noticing the slip
      stroke('backspace', i, cls);
      stroke(cls, i, classes[i + 1]);
    }
  });
  // The last key is up before anything else happens.
  const lastUp = Math.max(...tab.raw.filter((e) => e.type === 'keyup').map((e) => e.t), tab.t);
  tab.t = lastUp;
}

// Puppeteer/Playwright `keyboard.type(text, { delay })` presses each key as down(); sleep(delay);
// up(): the delay is the hold, the next keydown follows the keyup after a CDP round trip. Loops of
// `press(key); await sleep(delay)` give the opposite: holds of a round trip, flights of `delay`.
const fixedTypist = (rng: Rng, delay: number, variant: string): Typist => () =>
  variant === 'type-delay' ? { hold: delay + ipc(rng), flight: ipc(rng) } : { hold: ipc(rng), flight: delay + ipc(rng) };

// The scripted bot: down(); sleep(U(5, 15)); up(); sleep(U(50, 150)).
const uniformTypist = (rng: Rng, hold: [number, number], flight: [number, number]): Typist => () => ({ hold: U(rng, ...hold) + ipc(rng), flight: U(rng, ...flight) + ipc(rng) });

// The "humanize" recipe: holds and flights drawn i.i.d. from human-like laws (log-normal: Killourhy
// and Maxion's and Dhakal et al.'s typists have hold medians ~80-120 ms and keyup-to-keydown
// medians ~100-250 ms, right-skewed). No dependence on key class, position or the previous key.
const lognormalTypist = (rng: Rng, p: { holdMedian: number; holdSigma: number; flightMedian: number; flightSigma: number }): Typist => () => ({
  hold: logNormal(rng, p.holdMedian, p.holdSigma),
  flight: logNormal(rng, p.flightMedian, p.flightSigma),
});
const gammaTypist = (rng: Rng, p: { holdMean: number; holdShape: number; flightMean: number; flightShape: number }): Typist => () => ({
  hold: gamma(rng, p.holdShape, p.holdMean / p.holdShape),
  flight: gamma(rng, p.flightShape, p.flightMean / p.flightShape),
});

// The careful writer's typist: log-normal with dependence on the key class (shift held longer,
// slower switches between letters and digits, faster repeats within a class), on position (a word's
// first key after a space is slower), and occasional rollover (the next key down before this one is up).
const sophisticatedTypist = (rng: Rng, p: { holdMedian: number; holdSigma: number; flightMedian: number; flightSigma: number; rollover: number }): Typist => (cls, _i, prev) => {
  const holdF = cls === 'shift' ? 1.6 : cls === 'space' ? 0.9 : cls === 'backspace' ? 0.85 : cls === 'digit' ? 1.05 : 1;
  let flightF = 1;
  if (prev && prev !== cls) flightF *= cls === 'shift' || prev === 'shift' ? 0.7 : 1.35;
  if (prev === cls) flightF *= 0.85;
  if (prev === 'space') flightF *= 1.3;
  const hold = logNormal(rng, p.holdMedian * holdF, p.holdSigma);
  const flight = rng.float() < p.rollover ? -hold * U(rng, 0.1, 0.6) : logNormal(rng, p.flightMedian * flightF, p.flightSigma);
  return { hold, flight };
};

// ---------------------------------------------------------------------------------------------
// Pointers

type Mover = (tab: Tab, to: Pt, targetWidth: number) => void;

const bezierAt = (p: Pt[], u: number): Pt => {
  const a = (1 - u) ** 3;
  const b = 3 * (1 - u) ** 2 * u;
  const c = 3 * (1 - u) * u * u;
  const d = u ** 3;
  return [a * p[0]![0] + b * p[1]![0] + c * p[2]![0] + d * p[3]![0], a * p[0]![1] + b * p[1]![1] + c * p[2]![1] + d * p[3]![1]];
};

/**
 * The curve by arc length: `at(f)` is the point a fraction f of the way along it. Humanize libraries
 * ease the distance travelled (not the Bezier parameter), so the speed is the easing's bell.
 */
function arcLength(ctrl: Pt[], n = 64): (f: number) => Pt {
  const us = [0];
  const ls = [0];
  let prev = ctrl[0]!;
  for (let i = 1; i <= n; i++) {
    const q = bezierAt(ctrl, i / n);
    us.push(i / n);
    ls.push(ls[i - 1]! + Math.hypot(q[0] - prev[0], q[1] - prev[1]));
    prev = q;
  }
  const total = ls[n]! || 1;
  return (f) => {
    const target = Math.min(1, Math.max(0, f)) * total;
    let i = 1;
    while (i < n && ls[i]! < target) i++;
    const span = ls[i]! - ls[i - 1]! || 1;
    return bezierAt(ctrl, us[i - 1]! + ((target - ls[i - 1]!) / span) * (us[i]! - us[i - 1]!));
  };
}

/** ghost-cursor's anchors: two points beside the segment, on one side, spread clamp(length, 2, 200). */
function bezierAnchors(rng: Rng, a: Pt, b: Pt, spread: number): Pt[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy) || 1;
  const n: Pt = [-dy / len, dx / len];
  const side = rng.float() < 0.5 ? -1 : 1;
  const anchors = [0, 1]
    .map(() => ({ s: rng.float(), off: side * spread * rng.float() }))
    .sort((p, q) => p.s - q.s)
    .map(({ s, off }): Pt => [a[0] + dx * s + n[0] * off, a[1] + dy * s + n[1] * off]);
  return [a, anchors[0]!, anchors[1]!, b];
}

const EASINGS: Record<string, (s: number) => number> = {
  // Minimum jerk (Flash and Hogan 1985): the bell-shaped speed of a reach.
  minjerk: (s) => 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5,
  easeInOutSine: (s) => -(Math.cos(Math.PI * s) - 1) / 2,
  easeInOutCubic: (s) => (s < 0.5 ? 4 * s ** 3 : 1 - (-2 * s + 2) ** 3 / 2),
  easeInOutQuad: (s) => (s < 0.5 ? 2 * s * s : 1 - (-2 * s + 2) ** 2 / 2),
};

interface BezierParams {
  fittsA: number;
  fittsB: number;
  spreadScale: number;
  easing: string;
  stepMs: number;
  jitterPx: number;
}

function drawBezierParams(rng: Rng): BezierParams {
  return {
    fittsA: U(rng, 80, 200),
    fittsB: U(rng, 100, 180),
    spreadScale: U(rng, 0.3, 1),
    easing: pick(rng, Object.keys(EASINGS)),
    stepMs: pick(rng, [8, 10, 16]),
    jitterPx: U(rng, 0.3, 1.5),
  };
}

/** One Bezier stroke from the current position to `to`, eased over a Fitts-law duration, with jitter. */
function bezierStroke(tab: Tab, to: Pt, width: number, p: BezierParams, rng: Rng, spread?: number, durationScale = 1) {
  const from = tab.pos;
  const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
  if (d < 1) return;
  const ctrl = bezierAnchors(rng, from, to, spread ?? p.spreadScale * Math.min(Math.max(d, 2), 200));
  const duration = durationScale * (p.fittsA + p.fittsB * Math.log2(d / Math.max(20, width) + 1));
  const steps = Math.max(3, Math.round(duration / p.stepMs));
  const ease = EASINGS[p.easing]!;
  const at = arcLength(ctrl);
  const start = tab.t;
  for (let i = 1; i <= steps; i++) {
    tab.t = start + (duration * i) / steps + ipc(rng) * 0.5;
    const q = at(ease(i / steps));
    const j = i === steps ? 0 : p.jitterPx;
    tab.move([q[0] + j * rng.normal(), q[1] + j * rng.normal()]);
  }
}

const bezierMover = (rng: Rng, p: BezierParams): Mover => (tab, to, width) => bezierStroke(tab, to, width, p, rng);

interface OvershootParams extends BezierParams {
  overshootMin: number;
  overshootMax: number;
  correctionPauseMs: number;
}

// ghost-cursor overshoots moves longer than 500 px to a point within 120 px of the target, then
// draws a second path with spread 10 onto it. Form targets are closer than that, so here every move
// over 40 px overshoots along its direction by 4-15 % of its length (with some sideways error),
// pauses, and corrects: the primary sub-movement and its correction.
function overshootMover(rng: Rng, p: OvershootParams): Mover {
  return (tab, to, width) => {
    const from = tab.pos;
    const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
    if (d < 40) return bezierStroke(tab, to, width, p, rng);
    const ux = (to[0] - from[0]) / d;
    const uy = (to[1] - from[1]) / d;
    const over = d * U(rng, p.overshootMin, p.overshootMax);
    const side = d * 0.03 * rng.normal();
    const past: Pt = [to[0] + ux * over - uy * side, to[1] + uy * over + ux * side];
    bezierStroke(tab, past, width, p, rng);
    tab.wait(logNormal(rng, p.correctionPauseMs, 0.3));
    bezierStroke(tab, to, width, p, rng, 10, 0.6);
  };
}

interface WindParams {
  gravity: number;
  wind: number;
  maxStep: number;
  targetArea: number;
  minWaitMs: number;
  maxWaitMs: number;
}

// WindMouse (Benjamin J. Land, SCAR/SRL, 2005; his 2021 write-up and its Python port, copied widely
// with the defaults gravity 9, wind 3, max step 15, target area 12): the cursor is pulled toward the
// target by gravity and pushed by a wind that changes randomly and dies down inside the target area;
// speed is clipped at a random fraction of the max step. Returns the integer points it would move to.
export function windMousePath(rng: Rng, from: Pt, to: Pt, w: Pick<WindParams, 'gravity' | 'wind' | 'maxStep' | 'targetArea'>): { p: Pt; step: number }[] {
  const sqrt3 = Math.sqrt(3);
  const sqrt5 = Math.sqrt(5);
  let [x, y] = from;
  let [cx, cy] = [Math.round(x), Math.round(y)];
  let vx = 0;
  let vy = 0;
  let wx = 0;
  let wy = 0;
  let maxStep = w.maxStep;
  const out: { p: Pt; step: number }[] = [];
  for (let n = 0; n < 10_000; n++) {
    const dist = Math.hypot(to[0] - x, to[1] - y);
    if (dist < 1) break;
    const wMag = Math.min(w.wind, dist);
    if (dist >= w.targetArea) {
      wx = wx / sqrt3 + ((2 * rng.float() - 1) * wMag) / sqrt5;
      wy = wy / sqrt3 + ((2 * rng.float() - 1) * wMag) / sqrt5;
    } else {
      wx /= sqrt3;
      wy /= sqrt3;
      if (maxStep < 3) maxStep = rng.float() * 3 + 3;
      else maxStep /= sqrt5;
    }
    vx += wx + (w.gravity * (to[0] - x)) / dist;
    vy += wy + (w.gravity * (to[1] - y)) / dist;
    const vMag = Math.hypot(vx, vy);
    if (vMag > maxStep) {
      const clip = maxStep / 2 + (rng.float() * maxStep) / 2;
      vx = (vx / vMag) * clip;
      vy = (vy / vMag) * clip;
    }
    x += vx;
    y += vy;
    const [mx, my] = [Math.round(x), Math.round(y)];
    // Every step waits (below), moved or not; only a step to a new pixel dispatches a move.
    out.push({ p: mx !== cx || my !== cy ? [mx, my] : [NaN, NaN], step: Math.hypot(vx, vy) });
    [cx, cy] = [mx, my];
  }
  const end: Pt = [Math.round(to[0]), Math.round(to[1])];
  if (cx !== end[0] || cy !== end[1]) out.push({ p: end, step: 0 });
  return out;
}

// Between steps SRL waits in proportion to the step: wait((maxWait - minWait) * step / maxStep + minWait).
function windMover(rng: Rng, w: WindParams): Mover {
  return (tab, to) => {
    for (const { p, step } of windMousePath(rng, tab.pos, to, w)) {
      tab.wait((w.maxWaitMs - w.minWaitMs) * Math.min(1, step / w.maxStep) + w.minWaitMs + ipc(rng) * 0.3);
      if (!Number.isNaN(p[0])) tab.move(p);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Sessions

interface Fields {
  username: KeyClass[];
  password: KeyClass[];
  iban: KeyClass[];
  amount: KeyClass[];
  reference: KeyClass[];
}

function sessionFields(user: SynthUser, rng: Rng): Fields {
  const iban: KeyClass[] = ['letter', 'letter', ...Array.from({ length: 14 + rng.int(9) }, (): KeyClass => 'digit')];
  const reference: KeyClass[] = [];
  for (let w = 0, words = 1 + rng.int(3); w < words; w++) {
    if (w) reference.push('space');
    for (let i = 0, n = 3 + rng.int(6); i < n; i++) reference.push(rng.float() < 0.92 ? 'letter' : 'digit');
  }
  return { username: user.fields.username, password: user.fields.password, iban, amount: user.fields.amount, reference };
}

/** How a family drives the page: its keyboard, its pointer, its pauses. */
interface Driver {
  /** Undefined: the script never moves the mouse to reach a field (page.type / page.fill focus it). */
  mover?: Mover;
  typist?: Typist;
  /** page.fill: the whole value as one insertText. */
  fill?: boolean;
  clickHold: () => number;
  /** Before each action (reading, hesitating). */
  pause: () => number;
  typoRate: number;
  /** Scroll the accounts page with the wheel. */
  scroll: boolean;
  /** Small idle moves during pauses (ghost-cursor's random moves). */
  idle?: Mover;
  /** Submit the login form with Enter rather than a click. */
  enterToSubmit: boolean;
  /** Click as soon as the pointer arrives, type as soon as the field has focus. */
  noHesitation?: boolean;
  /** How Enter is pressed (default: with the typist): scripts call keyboard.press('Enter'), no delay. */
  enterTypist?: Typist;
}

/** page.click(selector): one mousemove to the element's centre, then down and up back to back. */
function pageClick(tab: Tab, target: string, rng: Rng, field?: string) {
  tab.wait(ipc(rng) * 3);
  tab.move(tab.centre(target));
  tab.wait(ipc(rng));
  tab.click(ipc(rng), field);
}

function drive(tab: Tab, d: Driver, rng: Rng, actions: { target: string; field?: keyof Fields; submit?: boolean }[], fields: Fields) {
  for (const { target, field, submit } of actions) {
    const pause = d.pause();
    if (d.idle && pause > 600) {
      const to: Pt = [tab.pos[0] + 60 * rng.normal(), tab.pos[1] + 40 * rng.normal()];
      tab.wait(pause * 0.3);
      d.idle(tab, [Math.max(2, Math.min(tab.viewport.width - 2, to[0])), Math.max(2, Math.min(tab.viewport.height - 2, to[1]))], 40);
      tab.wait(pause * 0.4);
    } else tab.wait(pause);
    if (submit && d.enterToSubmit && tab.focused) {
      typeInto(tab, ['enter'], d.enterTypist ?? d.typist ?? (() => ({ hold: ipc(rng), flight: ipc(rng) })), rng);
      continue;
    }
    if (d.mover) {
      const b = tab.box(target);
      d.mover(tab, tab.inside(target, rng), b.w);
      tab.wait(d.noHesitation ? ipc(rng) : U(rng, 30, 200)); // ghost-cursor's hesitate before the click
      tab.click(d.clickHold(), field);
    } else if (field) {
      tab.focus(field); // page.type / page.fill focus the element by script: no pointer events
    } else pageClick(tab, target, rng);
    if (!field) continue;
    tab.wait(d.mover && !d.noHesitation ? logNormal(rng, 300, 0.3) : ipc(rng) * 2);
    if (d.fill) {
      // Playwright fill: select-all and Input.insertText; the collector sees one beforeinput/input pair:
      // a soft key around it, and the field's provenance ('programmatic': no key, paste or autofill).
      tab.key('keydown', 'other', tab.t);
      tab.raw.push({ type: 'input', t: tab.t + 0.1, field: tab.focused ?? 'document', state: 'programmatic' });
      tab.wait(ipc(rng) * 2);
      tab.key('keyup', 'other', tab.t);
    } else typeInto(tab, fields[field], d.typist!, rng, d.typoRate);
  }
}

function pagesFor(tabOf: (page: string) => Tab, d: Driver, rng: Rng, fields: Fields, withAccounts: boolean): void {
  drive(tabOf('/login'), d, rng, [{ target: 'username', field: 'username' }, { target: 'password', field: 'password' }, { target: 'submit', submit: true }], fields);
  if (withAccounts) {
    const accounts = tabOf('/accounts');
    accounts.wait(d.pause());
    if (d.scroll) {
      const move = d.mover ?? ((tab: Tab, to: Pt) => tab.move(to));
      move(accounts, accounts.centre('iban'), 200);
      for (let i = 0, n = 2 + rng.int(5); i < n; i++) {
        accounts.wheel(100);
        accounts.wait(logNormal(rng, 140, 0.5));
      }
      accounts.wait(d.pause());
    }
    drive(accounts, d, rng, [{ target: 'transfer-link' }], fields);
  }
  drive(tabOf('/transfer'), d, rng, [{ target: 'iban', field: 'iban' }, { target: 'amount', field: 'amount' }, { target: 'reference', field: 'reference' }, { target: 'confirm' }], fields);
}

const HEADLESS_VIEWPORT = { width: 1280, height: 720 };

/** One session of a family against `user`'s account. */
export function adversarialSession(user: SynthUser, kind: AdversarialKind, index: number, rng: Rng): AdversarialSession {
  if (kind === 'replay-warp') return replayWarp(genuineSession(user, index, rng), rng, kind, index, user);
  const all = sessionFields(user, rng);
  // Tools type characters: keyboard.type('A') sends no Shift keydown. Only the careful bot (and a
  // person) presses Shift as a key of its own.
  const fields: Fields = kind === 'human-mix' ? all : (Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.filter((c: KeyClass) => c !== 'shift')])) as unknown as Fields);
  const params: Record<string, number | string> = {};
  const noPause = () => ipc(rng) * 5;
  let d: Driver;
  // Tools start the mouse at (0, 0) (Playwright, ghost-cursor's default origin); the careful bot
  // starts it somewhere on the page and keeps a real-looking screen.
  let start = (): Pt => [0, 0];
  let viewport = HEADLESS_VIEWPORT;
  const lognormalParams = () => ({ holdMedian: U(rng, 80, 120), holdSigma: U(rng, 0.15, 0.3), flightMedian: U(rng, 100, 250), flightSigma: U(rng, 0.3, 0.5) });
  switch (kind) {
    case 'scripted-type-fixed': {
      const delay = pick(rng, [20, 50, 75, 100, 120, 150]);
      const variant = pick(rng, ['type-delay', 'press-sleep']);
      Object.assign(params, { delay, variant });
      d = { typist: fixedTypist(rng, delay, variant), enterTypist: fixedTypist(rng, 0, 'type-delay'), clickHold: () => ipc(rng), pause: noPause, typoRate: 0, scroll: false, enterToSubmit: true };
      break;
    }
    case 'scripted-type-random':
      Object.assign(params, { holdMin: 5, holdMax: 15, flightMin: 50, flightMax: 150 });
      d = { typist: uniformTypist(rng, [5, 15], [50, 150]), enterTypist: fixedTypist(rng, 0, 'type-delay'), clickHold: () => ipc(rng), pause: () => U(rng, 50, 300), typoRate: 0, scroll: false, enterToSubmit: true };
      break;
    case 'linear-steps': {
      // page.mouse.move(x, y, { steps }): `steps` evenly spaced points on the straight line from the
      // last position, each awaited (a CDP round trip), optionally with a fixed sleep between them.
      const steps = pick(rng, [5, 10, 20, 25, 50]);
      const sleepMs = pick(rng, [0, 0, 5, 10, 16, 20]);
      const delay = pick(rng, [50, 75, 100, 120]);
      Object.assign(params, { steps, sleepMs, delay });
      const mover: Mover = (tab, to) => {
        const [x0, y0] = tab.pos;
        for (let i = 1; i <= steps; i++) {
          tab.wait(ipc(rng) + sleepMs);
          tab.move([x0 + ((to[0] - x0) * i) / steps, y0 + ((to[1] - y0) * i) / steps]);
        }
      };
      d = { mover, typist: fixedTypist(rng, delay, 'type-delay'), clickHold: () => ipc(rng), pause: noPause, typoRate: 0, scroll: false, enterToSubmit: false, noHesitation: true };
      break;
    }
    case 'page-fill':
      d = { fill: true, clickHold: () => ipc(rng), pause: noPause, typoRate: 0, scroll: false, enterToSubmit: false };
      break;
    case 'lognormal-typing': {
      const p = lognormalParams();
      Object.assign(params, p);
      d = { typist: lognormalTypist(rng, p), clickHold: () => ipc(rng), pause: () => logNormal(rng, 400, 0.5), typoRate: 0, scroll: false, enterToSubmit: true };
      break;
    }
    case 'gamma-typing': {
      const p = { holdMean: U(rng, 80, 120), holdShape: 1 / U(rng, 0.2, 0.35) ** 2, flightMean: U(rng, 100, 250), flightShape: 1 / U(rng, 0.35, 0.6) ** 2 };
      Object.assign(params, p);
      d = { typist: gammaTypist(rng, p), clickHold: () => ipc(rng), pause: () => logNormal(rng, 400, 0.5), typoRate: 0, scroll: false, enterToSubmit: true };
      break;
    }
    case 'bezier-mouse':
    case 'overshoot-mouse':
    case 'windmouse': {
      const typing = lognormalParams();
      let mover: Mover;
      if (kind === 'windmouse') {
        const w: WindParams = { gravity: 9, wind: 3, maxStep: 15, targetArea: 12, minWaitMs: U(rng, 2, 5), maxWaitMs: U(rng, 8, 14) };
        Object.assign(params, w);
        mover = windMover(rng, w);
      } else if (kind === 'bezier-mouse') {
        const b = drawBezierParams(rng);
        Object.assign(params, b);
        mover = bezierMover(rng, b);
      } else {
        const o: OvershootParams = { ...drawBezierParams(rng), overshootMin: 0.04, overshootMax: 0.15, correctionPauseMs: U(rng, 60, 160) };
        Object.assign(params, o);
        mover = overshootMover(rng, o);
      }
      Object.assign(params, { typingHoldMedian: typing.holdMedian, typingFlightMedian: typing.flightMedian });
      d = { mover, typist: lognormalTypist(rng, typing), clickHold: () => U(rng, 50, 150), pause: () => logNormal(rng, 500, 0.5), typoRate: 0, scroll: rng.float() < 0.5, enterToSubmit: false };
      break;
    }
    case 'human-mix': {
      const typing = { ...lognormalParams(), rollover: U(rng, 0.05, 0.2) };
      const b = drawBezierParams(rng);
      const movers: [number, Mover][] = [
        [0.5, bezierMover(rng, b)],
        [0.3, windMover(rng, { gravity: 9, wind: 3, maxStep: 15, targetArea: 12, minWaitMs: U(rng, 2, 5), maxWaitMs: U(rng, 8, 14) })],
        [0.2, overshootMover(rng, { ...b, overshootMin: 0.03, overshootMax: 0.12, correctionPauseMs: U(rng, 60, 160) })],
      ];
      const mover: Mover = (tab, to, w) => {
        let r = rng.float();
        for (const [p, m] of movers) if ((r -= p) < 0) return m(tab, to, w);
        return movers[0]![1](tab, to, w);
      };
      const typoRate = U(rng, 0.01, 0.05);
      const pauseP = U(rng, 0.15, 0.4);
      Object.assign(params, typing, { typoRate, pauseP, easing: b.easing });
      d = {
        mover,
        typist: sophisticatedTypist(rng, typing),
        clickHold: () => logNormal(rng, 105, 0.25),
        pause: () => (rng.float() < pauseP ? logNormal(rng, 1500, 0.6) : logNormal(rng, 350, 0.4)),
        typoRate,
        scroll: true,
        idle: bezierMover(rng, { ...b, jitterPx: b.jitterPx + 0.5 }),
        enterToSubmit: rng.float() < 0.3,
      };
      start = () => [U(rng, 0.2, 0.8) * viewport.width, U(rng, 0.2, 0.8) * viewport.height];
      viewport = pick(rng, [{ width: 1920, height: 1080 }, { width: 1536, height: 864 }, { width: 1440, height: 900 }]);
      break;
    }
    default:
      throw new Error(`unknown adversarial kind ${kind as string}`);
  }
  const withAccounts = rng.float() < 0.5;
  params.pages = withAccounts ? 3 : 2;
  const tabs: Tab[] = [];
  // Pages are driven in order. A new page has a new clock; the mouse stays where it was.
  const tabOf = (page: string) => {
    const tab = new Tab(page, viewport, U(rng, 150, 600), tabs.length ? tabs[tabs.length - 1]!.pos : start());
    tabs.push(tab);
    return tab;
  };
  pagesFor(tabOf, d, rng, fields, withAccounts);
  const recorded = tabs.map((tab) => ({ page: tab.page, events: record(tab.raw) }));
  // Headless tools report their viewport as the screen (1280x720 by default); the careful bot a common one.
  const screen = kind === 'human-mix' ? viewport : HEADLESS_VIEWPORT;
  return toSession(user, kind, index, recorded, { language: kind === 'human-mix' ? user.person.language : 'en-US', screen }, params);
}

export interface ReplayParams {
  warp: number;
  timingSdMs: number;
  spatialSdPx: number;
}

/**
 * replay-warp: a person's recorded batches (captured from their traffic or a compromised page)
 * re-sent with time stretched by `warp`, Gaussian noise on every time and coordinate, order kept
 * (a noisy time never passes its predecessor's), re-cut into 3-second batches.
 */
export function replayWarp(source: SynthSession, rng: Rng, kind: AdversarialKind = 'replay-warp', index = source.index, user?: SynthUser, p?: Partial<ReplayParams>): AdversarialSession {
  const params: ReplayParams = { warp: p?.warp ?? U(rng, 0.8, 1.25), timingSdMs: p?.timingSdMs ?? U(rng, 2, 10), spatialSdPx: p?.spatialSdPx ?? U(rng, 0.5, 3) };
  const byPage = new Map<string, BatchEvent[]>();
  for (const b of source.batches) {
    const page = b.context?.page ?? '/';
    byPage.set(page, [...(byPage.get(page) ?? []), ...b.events]);
  }
  const pages: RecordedPage[] = [];
  for (const [page, events] of byPage) {
    const t0 = events[0]!.t;
    let last = 0;
    const out = events.map((e) => {
      const t = Math.max(last, Math.round((t0 + (e.t - t0) * params.warp + params.timingSdMs * rng.normal()) * 10) / 10, 0);
      last = t;
      const r: BatchEvent = { ...e, t };
      if (r.x !== undefined) r.x = Math.round(r.x + params.spatialSdPx * rng.normal());
      if (r.y !== undefined) r.y = Math.round(r.y + params.spatialSdPx * rng.normal());
      return r;
    });
    pages.push({ page, events: out });
  }
  const victim: SynthUser = user ?? ({ person: { id: source.user, language: 'en-US', screen: HEADLESS_VIEWPORT }, fields: { username: [], password: [], amount: [] } } as unknown as SynthUser);
  const context = { language: source.batches[0]?.context?.language ?? 'en-US', screen: source.batches[0]?.context?.screen ?? HEADLESS_VIEWPORT };
  return { ...toSession(victim, kind, index, pages, context, { ...params }), source };
}
