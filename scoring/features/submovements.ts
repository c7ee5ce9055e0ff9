// Sub-movements of aimed reaches: a person's reach to a click target is a primary ballistic
// sub-movement and one or more corrective ones (Meyer et al. 1988's optimised sub-movement model;
// Woodworth's "current control"), so its speed profile has several peaks. A generated path
// (a Bezier curve eased along its length, a minimum-jerk trajectory, a tween, WindMouse's pull
// toward the target) is one bell or one plateau that ends on the target: one sub-movement. One
// clean reach says nothing (people make them too: 5-26 % of the reaches of Balabit's finely sampled
// users); a session whose reaches are nearly all clean is the signal, tested in
// scoring/session-evidence.ts.
//
// A reach: the pointer's moves from a rest (no move for `restMs`, or a release) to a press, measured
// from the sample farthest from where it ends (the approach). Its speed is resampled on a fixed
// `gridMs` grid (positions interpolated linearly), so the count does not depend on the device's
// rate once that is finer than the grid: 60 Hz, 125 Hz and 1000 Hz mice, and a Windows 15.6 ms tick
// with skipped ticks, see the same profile (bench/eval-submovements.ts re-samples bot paths on such
// clocks: they stay one peak). A sub-movement is a peak of at least `minPeak` of the reach's top
// speed that rose from the valley before it by 1 / `valley` and fell to `valley` of itself.
//
// How a corrected reach corrects says something too: a person's primary sub-movement mostly falls
// short and the correction continues the same way (the undershoot bias of aimed movements: coming
// back costs a reversal); a program that overshoots on purpose along its line of travel and then
// corrects always comes back (one that overshoots to a random point near the target, as
// ghost-cursor does, only sometimes: not caught by this). A reach is `reversed` when the path after
// the slowdown that ends its fastest sub-movement heads back against the path before it (more than
// `reversalDeg` apart): 5.5-12.3 % of the judged reaches of Balabit's finely sampled users, as
// recorded and at ~30 ms; 75-87 % of the overshooting synth bot's on the same clocks
// (`npx cadence eval submovements --reversed`).
//
// Coarse sampling (remote desktops, Balabit's ~100 ms, the old 50 ms collector) hides corrections:
// a reach with any interval longer than `maxStepMs` that moved more than `pausePx` (a jump, not a
// pause) is not judged, so coarse sampling abstains instead of looking clean. Pens and touch are
// not reaches of a mouse. I/O-free, one pass over the events, scratch buffers reused.
import type { BatchEvent } from '../batch.ts';
import { NOT_JUDGED, speedIgnoresBends } from './speed-curvature.ts';

export const SUBMOVEMENT_RULES = {
  /** No move for this long is a rest: the next move starts a reach (ms). */
  restMs: 300,
  /** The speed profile's grid (ms). */
  gridMs: 40,
  /** A reach with an interval longer than this that moved more than pausePx is coarsely sampled (ms). */
  maxStepMs: 50,
  /** An interval moving at most this far is the pointer at rest, whatever its length (px). */
  pausePx: 4,
  /** Reaches shorter than this say nothing of aiming (px). */
  minDistancePx: 50,
  /**
   * A peak falls to this share of itself before the next one; the next rises by its inverse from the
   * valley. 0.8 since session 20 (0.7 before): a driver that smooths the pointer (a second-order
   * low-pass of 25 ms at 125 Hz, modelled) fills a correction's valley to 70-80 %, and a person's
   * reaches read one sub-movement in up to half of them; at 0.8 people's shares fall (Balabit
   * user20 0.221 -> 0.193 as recorded) and no bot family developed on moves (one bell has no valley).
   */
  valley: 0.8,
  /** A sub-movement's peak reaches at least this share of the reach's top speed. */
  minPeak: 0.1,
  /** A reach that opens its window counts only if its first grid step is under this share of its top speed. */
  startShare: 0.5,
  /** A correction heading back more than this far from the primary movement's direction is a reversal (degrees). */
  reversalDeg: 120,
  /**
   * A correction shorter than this is the pointer settling, not a reversal: at least `minCorrectionPx`,
   * `minCorrectionShare` of the primary movement, and two of the smallest steps the reach's
   * coordinates took (a coarse grid: one step of settling on a 10 px grid is not a correction).
   */
  minCorrectionPx: 3,
  minCorrectionShare: 0.05,
} as const;

export interface Reaches {
  /** Reaches judged (finely sampled, long enough). */
  n: number;
  /** Of them, reaches made of one sub-movement. */
  single: number;
  /** Of them, corrected reaches whose correction came back against the primary movement (see the header), when any. */
  reversed?: number;
  /** Movements judged for a flat speed (scoring/features/flat-speed.ts), when any; kept with the reaches so the session's pointer counts are one record. */
  moves?: number;
  /** Of them, movements at a flat speed. */
  flat?: number;
  /** Movements with a bend (scoring/features/fast-bends.ts), when any, and how many took it fast. */
  bends?: number;
  fastBends?: number;
  /** Judged reaches whose speed against their bends could be measured (scoring/features/speed-curvature.ts), when any, and how many ignored their bends. */
  curved?: number;
  unslowed?: number;
  /** Of the measured ones, reaches that were both one sub-movement and ignored their bends (the joint test's count, scoring/features/clean-pointer.ts). */
  singleUnslowed?: number;
}

export const NO_REACHES: Reaches = Object.freeze({ n: 0, single: 0 });

// The current reach's samples; grown on demand, never shrunk (a batch holds at most 500 events).
let ts = new Float64Array(512);
let xs = new Float64Array(512);
let ys = new Float64Array(512);

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The window's reaches to a press and how many were one sub-movement (see the header). `atRest`: the
 * pointer is known to have rested before the first event (a movement's samples kept by the session,
 * scoring/features/pointer-window.ts), so a reach from there starts from rest.
 */
export function reaches(events: readonly BatchEvent[], rules = SUBMOVEMENT_RULES, atRest = false): Reaches {
  // Room for every event of the window (at most 500 in a batch), grown once and kept.
  while (ts.length <= events.length) {
    ts = grow(ts);
    xs = grow(xs);
    ys = grow(ys);
  }
  const T = ts, X = xs, Y = ys;
  let n = 0, single = 0, reversed = 0, curved = 0, unslowed = 0, singleUnslowed = 0;
  let m = 0;
  // Whether the samples held start at a rest: the window has seen no move and no press for restMs
  // (typing into a field, reading), or a release (ANCHORED). A window that opens on a move (the
  // collector starts a batch with the first event after a flush, so after an idle pointer it is
  // the reach's first move) may also have been cut mid-reach, whose end is one bell for anyone:
  // such a reach counts only if it visibly starts from rest (OPENS_WINDOW, see submovementsOf).
  let anchored = NOT_ANCHORED;
  let quietSince = atRest ? -Infinity : events.length ? events[0]!.t : 0;
  let pressed = false;
  let seenPointer = false;
  for (const e of events) {
    if (e.pointerType !== undefined && e.pointerType !== 'mouse') continue;
    const t = e.t, x = e.x, y = e.y;
    if (!Number.isFinite(t) || x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (e.type === 'pointermove') {
      if (e.state === 'drag') {
        m = 0;
        anchored = NOT_ANCHORED;
        seenPointer = true;
        continue;
      }
      if (m > 0 && t === T[m - 1]) {
        // A repeated timestamp (coalesced samples flushed at once): the last says where the pointer is.
        X[m - 1] = x;
        Y[m - 1] = y;
        continue;
      }
      if (m === 0) anchored = pressed ? NOT_ANCHORED : t - quietSince >= rules.restMs ? ANCHORED : seenPointer ? NOT_ANCHORED : OPENS_WINDOW;
      quietSince = t;
      seenPointer = true;
      if (m > 0 && t - T[m - 1]! > rules.restMs) {
        // After a rest: the reach starts from where the pointer rested.
        T[0] = T[m - 1]!;
        X[0] = X[m - 1]!;
        Y[0] = Y[m - 1]!;
        m = 1;
        anchored = ANCHORED;
      }
      T[m] = t;
      X[m] = x;
      Y[m] = y;
      m++;
    } else if (e.type === 'pointerdown') {
      pressed = true;
      quietSince = t;
      seenPointer = true;
      if (anchored !== NOT_ANCHORED && m >= 3) {
        const subs = submovementsOf(T, X, Y, m, rules, anchored === OPENS_WINDOW);
        if (subs > 0) {
          n++;
          if (subs === 1) single++;
          else if (lastReversed) reversed++;
          const ignores = speedIgnoresBends(T, X, Y, lastApproach, m);
          if (ignores !== NOT_JUDGED) {
            curved++;
            unslowed += ignores;
            if (subs === 1) singleUnslowed += ignores;
          }
        }
      }
      m = 0;
      anchored = NOT_ANCHORED;
    } else if (e.type === 'pointerup') {
      // The next reach starts where the press was released.
      pressed = false;
      quietSince = t;
      seenPointer = true;
      T[0] = t;
      X[0] = x;
      Y[0] = y;
      m = 1;
      anchored = ANCHORED;
    }
  }
  return { n, single, ...(reversed > 0 ? { reversed } : {}), ...(curved > 0 ? { curved, unslowed, singleUnslowed } : {}) };
}

const NOT_ANCHORED = 0;
const ANCHORED = 1;
const OPENS_WINDOW = 2;

/**
 * Sub-movements of the reach held in the scratch buffers (0: not judged). `fromRest`: judge it only
 * if its first grid step is slower than `startShare` of its top speed (it starts from rest, not
 * mid-flight).
 */
function submovementsOf(ts: Float64Array, xs: Float64Array, ys: Float64Array, m: number, rules: typeof SUBMOVEMENT_RULES, fromRest = false): number {
  const ex = xs[m - 1]!, ey = ys[m - 1]!;
  let far = 0, i0 = 0;
  for (let i = 0; i < m; i++) {
    const dx = xs[i]! - ex, dy = ys[i]! - ey;
    const d = dx * dx + dy * dy;
    if (d >= far) {
      far = d;
      i0 = i;
    }
  }
  if (far < rules.minDistancePx * rules.minDistancePx) return 0;
  lastApproach = i0;
  const pause2 = rules.pausePx * rules.pausePx;
  for (let i = i0 + 1; i < m; i++) {
    const dx = xs[i]! - xs[i - 1]!, dy = ys[i]! - ys[i - 1]!;
    if (ts[i]! - ts[i - 1]! > rules.maxStepMs && dx * dx + dy * dy > pause2) return 0;
  }
  const t0 = ts[i0]!;
  const steps = Math.floor((ts[m - 1]! - t0) / rules.gridMs);
  if (steps < 2) return 0;
  // Two passes over the grid: the top speed, then the peaks against it, and where the slowdown after
  // the top ends (the grid point from which a correction, if any, sets off).
  let top = 0, first = 0;
  lastReversed = false;
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1 && fromRest && first > rules.startShare * top) return 0;
    let j = i0, px = xs[i0]!, py = ys[i0]!;
    let subs = 0, peak = 0, low = 0, rising = false;
    // 0: before the top speed; 1: slowing down after it; 2: the slowdown's end found at (vx, vy).
    let phase = 0, prev = 0, vx = xs[i0]!, vy = ys[i0]!;
    for (let k = 1; k <= steps; k++) {
      const t = t0 + k * rules.gridMs;
      while (j < m - 2 && ts[j + 1]! < t) j++;
      const span = ts[j + 1]! - ts[j]!;
      const f = span > 0 ? Math.min(1, Math.max(0, (t - ts[j]!) / span)) : 1;
      const qx = xs[j]! + f * (xs[j + 1]! - xs[j]!);
      const qy = ys[j]! + f * (ys[j + 1]! - ys[j]!);
      const dx = qx - px, dy = qy - py;
      const v = Math.sqrt(dx * dx + dy * dy); // per grid step; not Math.hypot (slow in V8)
      px = qx;
      py = qy;
      if (pass === 0) {
        if (v > top) top = v;
        if (k === 1) first = v;
        continue;
      }
      if (phase === 0 ? v === top : phase === 1 && v <= prev) {
        phase = 1;
        vx = qx;
        vy = qy;
      } else if (phase === 1) phase = 2;
      prev = v;
      if (!rising) {
        if (v >= rules.minPeak * top && v * rules.valley > low) {
          rising = true;
          peak = v;
          subs++;
        } else if (v < low) low = v;
      } else if (v > peak) peak = v;
      else if (v <= rules.valley * peak) {
        rising = false;
        low = v;
      }
    }
    if (pass === 1) {
      if (subs > 1) lastReversed = reversal(xs[i0]!, ys[i0]!, vx, vy, ex, ey, coordinateStep(xs, ys, i0, m), rules);
      return subs;
    }
  }
  return 0;
}

/** Whether the reach of the last submovementsOf call came back against its primary movement. */
let lastReversed = false;
/** Where the approach of the last reach submovementsOf judged begins (the sample farthest from its end). */
let lastApproach = 0;

/** The smallest non-zero step of either coordinate between consecutive samples from i0 (the grid the device reports on). */
function coordinateStep(xs: Float64Array, ys: Float64Array, i0: number, m: number): number {
  let step = Infinity;
  for (let i = i0 + 1; i < m; i++) {
    const dx = Math.abs(xs[i]! - xs[i - 1]!), dy = Math.abs(ys[i]! - ys[i - 1]!);
    if (dx > 0 && dx < step) step = dx;
    if (dy > 0 && dy < step) step = dy;
  }
  return Number.isFinite(step) ? step : 0;
}

/** The path from (ax, ay) to the slowdown's end (vx, vy), then on to (ex, ey): does the second leg head back? */
function reversal(ax: number, ay: number, vx: number, vy: number, ex: number, ey: number, step: number, rules: typeof SUBMOVEMENT_RULES): boolean {
  const px = vx - ax, py = vy - ay, cx = ex - vx, cy = ey - vy;
  const p = Math.sqrt(px * px + py * py), c = Math.sqrt(cx * cx + cy * cy);
  if (p === 0 || c < Math.max(rules.minCorrectionPx, rules.minCorrectionShare * p, 2 * step)) return false;
  return (px * cx + py * cy) / (p * c) < Math.cos((rules.reversalDeg * Math.PI) / 180);
}

/**
 * The session's test: are its reaches too clean for a person? Under H0 (a person) a judged reach
 * is one sub-movement with probability at most p0; the session is raised while the binomial tail
 * P(Bin(n, p0) >= single) <= alpha. p0 = 0.4 is 1.5 times the highest share of one-sub-movement
 * reaches among Balabit's finely sampled users (0.048, 0.125, 0.264, in 3-s windows, with the valley
 * of 0.7 it was fitted with; at 0.8 the highest is 0.225, user20 at ~30 ms, and p0 was kept); with
 * alpha = 0.01 it takes six clean reaches of six, nine of ten, 53 of 100 (bench/eval-submovements.ts).
 */
export const REACH_TEST = { p0: 0.4, alpha: 0.01 } as const;

/**
 * The session's test of how its reaches correct: under H0 (a person) a judged reach comes back
 * against its primary movement with probability at most p0. p0 = 0.3 is 2.3 times the highest share
 * among Balabit's finely sampled users at any clock (0.127, user7 on a ~30 ms clock; 0.061-0.127
 * as recorded, on a 15.6 ms tick and at ~30 ms) and twice the highest of any user's recording re-clocked
 * (0.146); with alpha = 0.01 it takes four reversed reaches of four, six of seven, eight of ten
 * (bench/eval-submovements.ts, leave-users-out there), and never fewer than five (`minReversed`).
 */
export const REVERSAL_TEST = { p0: 0.3, alpha: 0.01, minReversed: 5 } as const;

/**
 * Whether the session's corrected reaches come back too often for a person (see REVERSAL_TEST), and
 * at least `minReversed` of them did: a person's overshoots come in runs (the same layout, the same
 * slip), and a run of four at a session's start is not a program.
 */
export function reachesOvershoot(r: Reaches, test: { p0: number; alpha: number; minReversed: number } = REVERSAL_TEST): boolean {
  return (r.reversed ?? 0) >= test.minReversed && tooManyFor(r.n, r.reversed ?? 0, test);
}

export function addReaches(a: Reaches, b: Reaches): Reaches {
  const moves = (a.moves ?? 0) + (b.moves ?? 0);
  const bends = (a.bends ?? 0) + (b.bends ?? 0);
  const reversed = (a.reversed ?? 0) + (b.reversed ?? 0);
  const curved = (a.curved ?? 0) + (b.curved ?? 0);
  return {
    n: a.n + b.n,
    single: a.single + b.single,
    ...(reversed > 0 ? { reversed } : {}),
    ...(moves > 0 ? { moves, flat: (a.flat ?? 0) + (b.flat ?? 0) } : {}),
    ...(bends > 0 ? { bends, fastBends: (a.fastBends ?? 0) + (b.fastBends ?? 0) } : {}),
    ...(curved > 0 ? { curved, unslowed: (a.unslowed ?? 0) + (b.unslowed ?? 0), singleUnslowed: (a.singleUnslowed ?? 0) + (b.singleUnslowed ?? 0) } : {}),
  };
}

/** Whether the session's reaches so far are too clean for a person (see REACH_TEST). */
export function reachesUncorrected(r: Reaches, test: { p0: number; alpha: number } = REACH_TEST): boolean {
  return tooManyFor(r.n, r.single, test);
}

/**
 * The pointer tests' one binomial test: of n trials, k too clean for a person, whose rate is at most
 * p0; true while P(Bin(n, p0) >= k) <= alpha.
 */
export function tooManyFor(n: number, k: number, test: { p0: number; alpha: number }): boolean {
  const s = k;
  if (n === 0 || s <= test.p0 * n) return false; // at or under a person's rate: the tail is large
  // P(Bin(n, p) >= s), summed from its first term: C(n, s) p^s q^(n - s), then term(k + 1) = term(k) (n - k) / (k + 1) p / q.
  const p = test.p0, q = 1 - p;
  let logC = 0;
  for (let i = 1; i <= s; i++) logC += Math.log((n - s + i) / i);
  let term = Math.exp(logC + s * Math.log(p) + (n - s) * Math.log(q));
  let tail = 0;
  for (let j = s; j <= n && term > 0; j++) {
    tail += term;
    if (tail > test.alpha) return false;
    term *= ((n - j) / (j + 1)) * (p / q);
  }
  return tail <= test.alpha;
}
