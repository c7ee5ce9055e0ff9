// Held-out human-like bots: a second red team, written apart from scoring/synth/adversarial.ts
// and from the detectors, so that a signal developed against those families can be checked on
// bots it was not built against. Do not tune a detector to these: they are the held-out check
// (`cadence eval sessions` reports them in their own rows; `cadence eval corpus --from heldout`).
//
// Each family imitates a way bots are really written, differently from the synth families:
// uniform or normal i.i.d. timings, log-normal timings with a drifting speed (AR(1)) and
// word pauses, a per-class-pair timing table; pointers on minimum-jerk trajectories (the
// motor-control model of a smooth reach) sampled at 125 or 60 Hz, pyautogui's eased straight
// tween, and constant-speed splines through random waypoints; and three pointer families after the
// public libraries bot authors use, tuned to look human (Fitts'-law durations of a few hundred ms,
// a browser's 60 or 125 Hz sampling with jitter and dropped frames, integer pixels with no repeated
// position, a random point inside the target element, a pause before pressing and a hand-like hold):
// ghost-cursor-overshoot (ghost-cursor's cubic Bezier with anchors scattered to one side of the line
// by up to the distance, 200 px at most, and past a distance an overshoot to a random point in a
// disc around the target followed by a low-spread path onto it), humancursor-curve (HumanCursor /
// pyclick's HumanCurve: a Bezier through random knots in the start-end box widened by an offset,
// y-distortion noise on a share of its points, then a random pytweening easing picking the target
// points), and undershoot-correct (the "undershoot then correct" recipe: an eased, slightly curved
// primary reach stopping short of the target, a pause, and one or two small corrective moves, with
// a little tremor, at 125 Hz). Typing families move between
// fields with Tab (no pointer); pointer families put text in with a paste (no keys), so that each
// family tests one modality. Events are what the collector sends (collector/index.ts): pointer
// moves at the device's rate, times in ms rounded to 0.1 and never decreasing, a page's own clock.
import type { BatchEvent, KeyClass } from '../../scoring/batch.ts';
import { Rng } from '../../scoring/models/rng.ts';

export const HELDOUT_FAMILIES = [
  'uniform-iid-typing',
  'normal-iid-typing',
  'drifting-lognormal-typing',
  'digraph-table-typing',
  'min-jerk-125hz',
  'min-jerk-noisy-60hz',
  'pyautogui-tween',
  'spline-wander',
  'ghost-cursor-overshoot',
  'humancursor-curve',
  'undershoot-correct',
] as const;
export type HeldoutFamily = (typeof HELDOUT_FAMILIES)[number];

export interface HeldoutSession {
  id: string;
  family: HeldoutFamily;
  /** One page's events each (a new page starts a new clock). */
  pages: { page: string; events: BatchEvent[] }[];
}

type Timing = (cls: KeyClass, prev: KeyClass | undefined, i: number) => { hold: number; gap: number };

const FIRST = ['maria', 'john', 'wei', 'olga', 'sam', 'fatima', 'lukas', 'ana'];
const LAST = ['lopez', 'smith', 'chen', 'ivanova', 'okafor', 'berg', 'rossi', 'khan'];
const NOTES = ['Rent for December', 'Invoice 2291 paid', 'Birthday gift', 'Car repair, thanks', 'Dinner split'];

/** Key classes of a text, with Shift around capitals and symbols typed with it. */
function keysOf(text: string): { cls: KeyClass; shifted: boolean }[] {
  return [...text].map((ch) => {
    if (ch === ' ') return { cls: 'space', shifted: false };
    if (ch >= '0' && ch <= '9') return { cls: 'digit', shifted: false };
    if (ch.toLowerCase() !== ch.toUpperCase()) return { cls: 'letter', shifted: ch !== ch.toLowerCase() };
    return { cls: 'punctuation', shifted: '@!?:_'.includes(ch) };
  });
}

class Page {
  readonly events: BatchEvent[] = [];
  t: number;
  x: number;
  y: number;
  constructor(rng: Rng) {
    this.t = 300 + 900 * rng.float();
    this.x = 200 + 800 * rng.float();
    this.y = 100 + 500 * rng.float();
  }
  push(e: BatchEvent): void {
    const last = this.events.length ? this.events[this.events.length - 1]!.t : 0;
    this.events.push({ ...e, t: Math.max(last, Math.round(e.t * 10) / 10) });
  }
  key(type: 'keydown' | 'keyup', keyClass: KeyClass, t: number, field: string): void {
    this.push({ type, t, keyClass, field });
  }
}

/** Types `text` into `field`: Shift wraps shifted keys (pressed before, released after). */
function typeText(p: Page, text: string, field: string, timing: Timing): void {
  let prev: KeyClass | undefined;
  const pending: BatchEvent[] = [];
  keysOf(text).forEach(({ cls, shifted }, i) => {
    const { hold, gap } = timing(cls, prev, i);
    if (shifted) {
      pending.push({ type: 'keydown', t: p.t, keyClass: 'shift', field });
      p.t += 40 + gap * 0.3;
    }
    pending.push({ type: 'keydown', t: p.t, keyClass: cls, field });
    pending.push({ type: 'keyup', t: p.t + hold, keyClass: cls, field });
    if (shifted) pending.push({ type: 'keyup', t: p.t + hold + 25, keyClass: 'shift', field });
    p.t += Math.max(hold * 0.3, gap);
    prev = cls;
  });
  pending.sort((a, b) => a.t - b.t);
  for (const e of pending) p.push(e);
  p.t = Math.max(p.t, p.events[p.events.length - 1]!.t) + 50;
}

function tab(p: Page, field: string, rng: Rng): void {
  p.t += 250 + 500 * rng.float();
  p.key('keydown', 'tab', p.t, field);
  p.key('keyup', 'tab', p.t + 60 + 40 * rng.float(), field);
  p.t += 200 + 300 * rng.float();
  p.push({ type: 'focus', t: p.t, field });
}

function paste(p: Page, field: string, rng: Rng): void {
  p.t += 150 + 300 * rng.float();
  p.key('keydown', 'modifier', p.t, field);
  p.key('keydown', 'letter', p.t + 90, field);
  p.key('keyup', 'letter', p.t + 170, field);
  p.key('keyup', 'modifier', p.t + 230, field);
  p.push({ type: 'input', t: p.t + 95, field, state: 'paste' });
  p.t += 400 + 400 * rng.float();
}

// ---- typing families ------------------------------------------------------------------------

const clip = (v: number, lo: number) => Math.max(lo, v);

function timingFor(family: HeldoutFamily, rng: Rng): Timing {
  const speed = 0.7 + 0.7 * rng.float(); // this bot's tempo
  switch (family) {
    case 'uniform-iid-typing':
      return () => ({ hold: 50 + 100 * rng.float(), gap: speed * (120 + 260 * rng.float()) });
    case 'normal-iid-typing':
      return () => ({ hold: clip(95 + 25 * rng.normal(), 30), gap: clip(speed * (210 + 70 * rng.normal()), 60) });
    case 'drifting-lognormal-typing': {
      let drift = 0;
      return (cls, prev) => {
        drift = 0.6 * drift + 0.25 * rng.normal();
        const wordStart = prev === 'space' ? 120 + 200 * rng.float() : 0;
        return { hold: 90 * Math.exp(0.25 * rng.normal()), gap: speed * 170 * Math.exp(drift + 0.2 * rng.normal()) + wordStart };
      };
    }
    case 'digraph-table-typing': {
      const mean: Partial<Record<string, number>> = { 'letter>letter': 150, 'letter>space': 130, 'space>letter': 240, 'digit>digit': 190, 'letter>punctuation': 260, 'punctuation>letter': 230 };
      const holdOf: Partial<Record<KeyClass, number>> = { space: 105, letter: 88, digit: 95, punctuation: 100 };
      return (cls, prev) => ({
        hold: (holdOf[cls] ?? 95) * Math.exp(0.22 * rng.normal()),
        gap: speed * (mean[`${prev}>${cls}`] ?? 200) * Math.exp(0.35 * rng.normal()),
      });
    }
    default:
      throw new Error(`${family} is not a typing family`);
  }
}

// ---- pointer families -----------------------------------------------------------------------

type Path = (p: Page, tx: number, ty: number, rng: Rng) => void;

/** Minimum-jerk reach (Flash & Hogan 1985) along a gently curved path, sampled every `dt` ms. */
function minJerk(dt: number, noisePx: number): Path {
  return (p, tx, ty, rng) => {
    const [x0, y0] = [p.x, p.y];
    const d = Math.hypot(tx - x0, ty - y0);
    const duration = 250 + 150 * Math.log2(d / 20 + 1) * (0.8 + 0.4 * rng.float()); // Fitts
    const bend = (rng.float() - 0.5) * 0.3 * d;
    const [nx, ny] = d > 0 ? [-(ty - y0) / d, (tx - x0) / d] : [0, 0];
    for (let s = dt; s <= duration + 1e-9; s += dt) {
      const u = s / duration;
      const e = 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5;
      const off = 4 * e * (1 - e) * bend;
      const jx = noisePx ? (rng.float() - 0.5) * 2 * noisePx : 0;
      const jy = noisePx ? (rng.float() - 0.5) * 2 * noisePx : 0;
      p.push({ type: 'pointermove', t: p.t + s + 0.2 * rng.normal(), x: Math.round(x0 + (tx - x0) * e + nx * off + jx), y: Math.round(y0 + (ty - y0) * e + ny * off + jy) });
    }
    p.t += duration;
    [p.x, p.y] = [tx, ty];
  };
}

/** pyautogui.moveTo(x, y, duration, pyautogui.easeInOutQuad): a straight eased tween in ~10 ms steps. */
const tween: Path = (p, tx, ty, rng) => {
  const [x0, y0] = [p.x, p.y];
  const duration = 200 + 600 * rng.float();
  const steps = Math.max(2, Math.round(duration / 10));
  for (let i = 1; i <= steps; i++) {
    const u = i / steps;
    const e = u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2;
    p.push({ type: 'pointermove', t: p.t + (duration * i) / steps + rng.float(), x: Math.round(x0 + (tx - x0) * e), y: Math.round(y0 + (ty - y0) * e) });
  }
  p.t += duration;
  [p.x, p.y] = [tx, ty];
};

/** A Catmull-Rom spline through 2-4 waypoints near the line, at a near-constant speed, 60 Hz. */
const spline: Path = (p, tx, ty, rng) => {
  const pts: [number, number][] = [[p.x, p.y]];
  const n = 2 + rng.int(3);
  const d = Math.hypot(tx - p.x, ty - p.y);
  for (let i = 1; i <= n; i++) {
    const u = i / (n + 1);
    pts.push([p.x + (tx - p.x) * u + (rng.float() - 0.5) * 0.25 * d, p.y + (ty - p.y) * u + (rng.float() - 0.5) * 0.25 * d]);
  }
  pts.push([tx, ty]);
  const at = (k: number, u: number) => {
    const P = (j: number) => pts[Math.max(0, Math.min(pts.length - 1, j))]!;
    const [a, b, c, e] = [P(k - 1), P(k), P(k + 1), P(k + 2)];
    const f = (i: 0 | 1) => 0.5 * (2 * b[i] + (-a[i] + c[i]) * u + (2 * a[i] - 5 * b[i] + 4 * c[i] - e[i]) * u * u + (-a[i] + 3 * b[i] - 3 * c[i] + e[i]) * u ** 3);
    return [f(0), f(1)] as const;
  };
  const speed = 0.8 + 0.8 * rng.float(); // px/ms
  const phase = rng.float() * 6.28;
  let t = 0;
  for (let k = 0; k < pts.length - 1; k++) {
    const seg = Math.hypot(pts[k + 1]![0] - pts[k]![0], pts[k + 1]![1] - pts[k]![1]);
    const steps = Math.max(2, Math.ceil(seg / (speed * 16.7)));
    for (let i = 1; i <= steps; i++) {
      const [x, y] = at(k, i / steps);
      t += 16.7 * (1 + 0.15 * Math.sin(phase + t / 120));
      p.push({ type: 'pointermove', t: p.t + t, x: Math.round(x), y: Math.round(y) });
    }
  }
  p.t += t;
  [p.x, p.y] = [tx, ty];
};

function click(p: Page, rng: Rng, dwell: [number, number], hold: [number, number]): void {
  p.t += dwell[0] + (dwell[1] - dwell[0]) * rng.float();
  p.push({ type: 'pointerdown', t: p.t, x: p.x, y: p.y, button: 0, pointerType: 'mouse' });
  p.t += hold[0] + (hold[1] - hold[0]) * rng.float();
  p.push({ type: 'pointerup', t: p.t, x: p.x, y: p.y, button: 0, pointerType: 'mouse' });
}

// ---- pointer families after public bot libraries ----------------------------------------------
// Written from how these libraries work (their documented behaviour and well-known algorithms),
// not from their code. Each moves to a random point inside the target element, at integer pixels,
// sampled at a browser's frame rate; a browser reports no move when the pointer did not move.

type Pt = [number, number];

/** Sizes (w, h) of the page's elements around TARGETS' centres: text fields and buttons. */
const SIZES: Record<keyof typeof TARGETS, Pt> = { email: [280, 36], password: [280, 36], submit: [120, 40], amount: [240, 36], note: [240, 36], send: [120, 40] };

/** Offsets (ms) of the samples a browser reports over `duration` at `hz`: event-loop jitter, now and then a dropped frame; the last on the end. */
function frameTimes(duration: number, hz: number, rng: Rng): number[] {
  const period = 1000 / hz;
  const out: number[] = [];
  let s = period * rng.float();
  while (s < duration) {
    out.push(s);
    s += Math.max(0.5 * period, period * (rng.float() < 0.03 ? 2 : 1) + 0.06 * period * rng.normal());
  }
  out.push(duration);
  return out;
}

/** Moves along `at(u)` (u from 0 to 1 over `duration` ms) as the browser samples it. */
function trace(p: Page, duration: number, hz: number, at: (u: number) => Pt, rng: Rng): void {
  let [lx, ly] = [Math.round(p.x), Math.round(p.y)];
  for (const s of frameTimes(duration, hz, rng)) {
    const [fx, fy] = at(Math.min(1, s / duration));
    const [x, y] = [Math.round(fx), Math.round(fy)];
    if (x === lx && y === ly) continue;
    p.push({ type: 'pointermove', t: p.t + s, x, y });
    [lx, ly] = [x, y];
  }
  p.t += duration;
  [p.x, p.y] = at(1);
}

/** Fitts' law movement time (ms): a + b log2(d / w + 1), this move's a and b drawn around a person's. */
function fittsMs(d: number, w: number, rng: Rng): number {
  return 180 + 120 * rng.float() + (120 + 80 * rng.float()) * Math.log2(d / w + 1);
}

const unitNormal = (a: Pt, b: Pt): Pt => {
  const d = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return d > 0 ? [-(b[1] - a[1]) / d, (b[0] - a[0]) / d] : [0, 0];
};

/** A Bezier curve through any number of control points (de Casteljau). */
function bezier(pts: Pt[], u: number): Pt {
  let q = pts.map((v) => [...v] as Pt);
  while (q.length > 1) q = q.slice(1).map((v, i) => [q[i]![0] + (v[0] - q[i]![0]) * u, q[i]![1] + (v[1] - q[i]![1]) * u] as Pt);
  return q[0]!;
}

/**
 * ghost-cursor (puppeteer): a cubic Bezier whose two anchors are random points on the line pushed
 * to one side (the same side for both) by a random share of a spread equal to the distance, clamped
 * to 2..200 px, walked evenly in the curve's parameter (its look-up table), one point a frame. The
 * bot author awaits a frame between moves and sets the duration by Fitts' law; the anchors are
 * ordered along the move (upstream orders them by x, which tangles leftward paths).
 */
function ghostPath(p: Page, to: Pt, width: number, rng: Rng, spread?: number): void {
  const a: Pt = [p.x, p.y];
  const d = Math.hypot(to[0] - a[0], to[1] - a[1]);
  const sp = spread ?? Math.min(200, Math.max(2, d));
  const side = rng.float() < 0.5 ? 1 : -1;
  const [nx, ny] = unitNormal(a, to);
  const anchor = () => {
    const m = rng.float();
    const k = side * sp * rng.float();
    return { m, pt: [a[0] + (to[0] - a[0]) * m + nx * k, a[1] + (to[1] - a[1]) * m + ny * k] as Pt };
  };
  const [c1, c2] = [anchor(), anchor()].sort((q, r) => q.m - r.m).map((c) => c.pt) as [Pt, Pt];
  trace(p, fittsMs(d, width, rng), 60, (u) => bezier([a, c1, c2, to], u), rng);
}

/** ghost-cursor's move: past the overshoot threshold (lowered from 500 to 250 px for this page, radius 70 instead of 120), first to a random point in a disc around the target, then onto it with a spread of 10 px. */
function ghostMove(p: Page, to: Pt, width: number, rng: Rng): void {
  if (Math.hypot(to[0] - p.x, to[1] - p.y) > 250) {
    const ang = 2 * Math.PI * rng.float();
    const rad = 70 * Math.sqrt(rng.float());
    ghostPath(p, [to[0] + rad * Math.cos(ang), to[1] + rad * Math.sin(ang)], width, rng);
  }
  ghostPath(p, to, width, rng, 10);
}

// pytweening's easings, as HumanCursor draws one for each move.
const TWEENS: ((u: number) => number)[] = [
  (u) => (u === 1 ? 1 : 1 - 2 ** (-10 * u)), // easeOutExpo
  (u) => (u < 0.5 ? 16 * u ** 5 : 1 - (-2 * u + 2) ** 5 / 2), // easeInOutQuint
  (u) => -(Math.cos(Math.PI * u) - 1) / 2, // easeInOutSine
  (u) => (u < 0.5 ? 8 * u ** 4 : 1 - (-2 * u + 2) ** 4 / 2), // easeInOutQuart
  (u) => (u < 0.5 ? 4 * u ** 3 : 1 - (-2 * u + 2) ** 3 / 2), // easeInOutCubic
  (u) => Math.sin((Math.PI * u) / 2), // easeOutSine
  (u) => 1 - (1 - u) ** 4, // easeOutQuart
  (u) => 1 - (1 - u) ** 3, // easeOutCubic
  (u) => 1 - (1 - u) ** 2, // easeOutQuad
  (u) => u, // linear
];

/**
 * HumanCursor / pyclick HumanCurve (also pyHM): 1-3 random knots inside the start-end box widened
 * by an offset that grows with the distance, a Bezier through them computed at about a point per
 * pixel, y-distortion (mean ~1, sd ~1 px) on a random share of its inner points, then a random
 * easing picks 35-80 target points; the cursor steps through them over a Fitts'-law duration and
 * the browser reports where it is at each 60 Hz frame.
 */
function humanCurveMove(p: Page, to: Pt, width: number, rng: Rng): void {
  const a: Pt = [p.x, p.y];
  const d = Math.hypot(to[0] - a[0], to[1] - a[1]);
  const offset = d < 100 ? 10 + 10 * rng.float() : d < 300 ? 25 + 25 * rng.float() : 50 + 40 * rng.float();
  const [left, right] = [Math.min(a[0], to[0]) - offset, Math.max(a[0], to[0]) + offset];
  const [top, bottom] = [Math.min(a[1], to[1]) - offset, Math.max(a[1], to[1]) + offset];
  const knots = Array.from({ length: 1 + rng.int(3) }, (): Pt => [left + (right - left) * rng.float(), top + (bottom - top) * rng.float()]);
  const n = Math.max(2, Math.round(Math.max(Math.abs(to[0] - a[0]), Math.abs(to[1] - a[1]))));
  const [mean, sd, freq] = [0.8 + 0.3 * rng.float(), 0.85 + 0.25 * rng.float(), 0.25 + 0.45 * rng.float()];
  const curve = Array.from({ length: n + 1 }, (_, i) => bezier([a, ...knots, to], i / n));
  for (let i = 1; i < n; i++) if (rng.float() < freq) curve[i] = [curve[i]![0], curve[i]![1] + mean + sd * rng.normal()];
  const tween = TWEENS[rng.int(TWEENS.length)]!;
  const count = Math.min(80, Math.max(35, Math.round(35 + d / 10 + 15 * rng.float())));
  const points = Array.from({ length: count }, (_, i) => curve[Math.floor(tween(i / (count - 1)) * n)]!);
  trace(p, fittsMs(d, width, rng), 60, (u) => points[Math.min(count - 1, Math.floor(u * (count - 1) + 1e-9))]!, rng);
  [p.x, p.y] = to;
}

/**
 * "Undershoot then correct": an eased primary reach (easeInOutCubic on a time warp that puts the
 * peak speed early) along a gently bowed path to 84-95 % of the way, landing a little off the line;
 * a pause (none a third of the time); a short corrective move onto the target, which now and then
 * misses by a few pixels and takes a second one. Tremor of about half a pixel; a 125 Hz mouse.
 */
function undershootMove(p: Page, to: Pt, width: number, rng: Rng): void {
  const sub = (dest: Pt, duration: number, bow: number, ease: (u: number) => number, tremor: number) => {
    const a: Pt = [p.x, p.y];
    const [nx, ny] = unitNormal(a, dest);
    trace(p, duration, 125, (u) => {
      const e = ease(u);
      const w = tremor * Math.sin(Math.PI * u);
      const off = 4 * e * (1 - e) * bow;
      return [a[0] + (dest[0] - a[0]) * e + nx * off + w * rng.normal(), a[1] + (dest[1] - a[1]) * e + ny * off + w * rng.normal()];
    }, rng);
    [p.x, p.y] = dest;
  };
  const a: Pt = [p.x, p.y];
  const d = Math.hypot(to[0] - a[0], to[1] - a[1]);
  const inOutQuad = (u: number) => (u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2);
  if (d < 40) {
    sub(to, 150 + 100 * rng.float(), 0, inOutQuad, 0.4);
    return;
  }
  const f = 0.84 + 0.11 * rng.float();
  const [nx, ny] = unitNormal(a, to);
  const miss = 0.03 * d * rng.normal();
  const primary: Pt = [a[0] + (to[0] - a[0]) * f + nx * miss, a[1] + (to[1] - a[1]) * f + ny * miss];
  const warp = 0.7 + 0.15 * rng.float();
  sub(primary, fittsMs(d * f, width, rng), (rng.float() - 0.5) * 0.24 * d, (u) => TWEENS[4]!(u ** warp), 0.5);
  if (rng.float() > 1 / 3) p.t += 40 + 140 * rng.float();
  const corr = (dest: Pt) => sub(dest, 90 + 45 * Math.log2(Math.hypot(dest[0] - p.x, dest[1] - p.y) + 1) * (0.8 + 0.4 * rng.float()), 0, inOutQuad, 0.3);
  if (rng.float() < 0.3) {
    const ang = 2 * Math.PI * rng.float();
    const r = 2 + 3 * rng.float();
    corr([to[0] + Math.round(r * Math.cos(ang)), to[1] + Math.round(r * Math.sin(ang))]);
    p.t += 30 + 90 * rng.float();
  }
  corr(to);
}

const LIBRARY_FAMILIES: ReadonlySet<HeldoutFamily> = new Set(['ghost-cursor-overshoot', 'humancursor-curve', 'undershoot-correct']);

/** The pointer-and-paste session of a library family: a random point in each element, a pause, a press. */
function libraryPointer(family: HeldoutFamily, login: Page, transfer: Page, rng: Rng): void {
  const move = family === 'ghost-cursor-overshoot' ? ghostMove : family === 'humancursor-curve' ? humanCurveMove : undershootMove;
  // Where in the element: ghost-cursor, a uniform point inside a padding; HumanCursor, 20-80 % of
  // each side; the recipe, a normal spread around the centre clipped to the element.
  const pick = (c: number, size: number): number => {
    if (family === 'ghost-cursor-overshoot') return c - size * 0.4 + size * 0.8 * rng.float();
    if (family === 'humancursor-curve') return c - size * 0.3 + size * 0.6 * rng.float();
    return c + Math.max(-0.45, Math.min(0.45, rng.normal() / 6)) * size;
  };
  const [dwell, hold]: [[number, number], [number, number]] = family === 'ghost-cursor-overshoot' ? [[50, 250], [60, 150]] : family === 'humancursor-curve' ? [[100, 350], [60, 120]] : [[60, 220], [70, 150]];
  visitForms(login, transfer, (p, target) => {
    const [[cx, cy], [w, h]] = [TARGETS[target], SIZES[target]];
    move(p, [Math.round(pick(cx, w)), Math.round(pick(cy, h))], w, rng);
    [p.x, p.y] = [Math.round(p.x), Math.round(p.y)];
  }, rng, dwell, hold);
}

/**
 * The two pages' six stops in order (the login's email, password and submit; the transfer's amount,
 * note and send): `reach` brings the pointer to the target, then a press, and a paste into a field.
 */
function visitForms(login: Page, transfer: Page, reach: (p: Page, target: keyof typeof TARGETS) => void, rng: Rng, dwell: [number, number], hold: [number, number]) {
  const go = (p: Page, target: keyof typeof TARGETS, field?: string) => {
    reach(p, target);
    click(p, rng, dwell, hold);
    if (field) {
      p.push({ type: 'focus', t: p.t, field });
      paste(p, field, rng);
    }
  };
  go(login, 'email', 'email');
  go(login, 'password', 'password');
  go(login, 'submit');
  go(transfer, 'amount', 'amount');
  go(transfer, 'note', 'note');
  go(transfer, 'send');
}

// ---- sessions -------------------------------------------------------------------------------

const TARGETS = { email: [640, 260], password: [640, 330], submit: [640, 410], amount: [520, 300], note: [520, 380], send: [700, 470] } as const;

function session(family: HeldoutFamily, index: number, seed: number): HeldoutSession {
  const rng = new Rng(seed * 7919 + index * 104_729 + HELDOUT_FAMILIES.indexOf(family) * 15_485_863);
  const name = `${FIRST[rng.int(FIRST.length)]!}.${LAST[rng.int(LAST.length)]!}${rng.int(90) + 10}@example.com`;
  const password = `${LAST[rng.int(LAST.length)]!.replace(/^./, (c) => c.toUpperCase())}${2000 + rng.int(30)}!`;
  const amount = `${100 + rng.int(4900)}.${rng.int(10)}0`;
  const note = NOTES[rng.int(NOTES.length)]!;
  const login = new Page(rng);
  const transfer = new Page(rng);
  if (family.endsWith('-typing')) {
    const timing = timingFor(family, rng);
    tab(login, 'email', rng);
    typeText(login, name, 'email', timing);
    tab(login, 'password', rng);
    typeText(login, password, 'password', timing);
    login.t += 200 + 300 * rng.float();
    login.key('keydown', 'enter', login.t, 'password');
    login.key('keyup', 'enter', login.t + 80, 'password');
    tab(transfer, 'amount', rng);
    typeText(transfer, amount, 'amount', timing);
    tab(transfer, 'note', rng);
    typeText(transfer, note, 'note', timing);
    transfer.t += 300;
    transfer.key('keydown', 'enter', transfer.t, 'note');
    transfer.key('keyup', 'enter', transfer.t + 90, 'note');
  } else if (LIBRARY_FAMILIES.has(family)) {
    libraryPointer(family, login, transfer, rng);
  } else {
    const move: Path = family === 'min-jerk-125hz' ? minJerk(8, 0) : family === 'min-jerk-noisy-60hz' ? minJerk(16.7, 2) : family === 'pyautogui-tween' ? tween : spline;
    // pyautogui clicks at once (mouseDown/mouseUp back to back); the others pause like a hand.
    const [dwell, hold]: [[number, number], [number, number]] = family === 'pyautogui-tween' ? [[0, 2], [0, 3]] : [[80, 300], [60, 140]];
    visitForms(login, transfer, (p, target) => {
      const [x, y] = TARGETS[target];
      move(p, x + (rng.float() - 0.5) * 60, y + (rng.float() - 0.5) * 16, rng);
    }, rng, dwell, hold);
  }
  return { id: `heldout-${family}-${index}`, family, pages: [{ page: '/login', events: login.events }, { page: '/transfer', events: transfer.events }] };
}

/** `count` sessions of each family (or of `families`), seeded. */
export function heldoutSessions(count: number, seed = 1, families: readonly HeldoutFamily[] = HELDOUT_FAMILIES): HeldoutSession[] {
  return families.flatMap((f) => Array.from({ length: count }, (_, i) => session(f, i, seed)));
}
