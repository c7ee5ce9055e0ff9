// Flat speed: a hand never moves the pointer at a constant speed. Every movement accelerates and
// decelerates, and within it the speed fluctuates (sub-movements, tremor, corrections): over the
// middle 60 % of a person's movement, a median of 20-29 % of its time is spent within +-15 % of its
// median speed. A program that steps at a fixed rate (WindMouse with waits in proportion to each
// step, as SRL and its ports do; constant-speed splines through waypoints; linear tweens) holds its
// speed: WindMouse's movements sit at 100 %. One flat movement says little (0.2-1.9 % of the
// movements of each of Balabit's ten users, in 3-s windows); a session of them is the signal, tested in
// scoring/session-evidence.ts (`flat_speed`).
//
// A movement: the pointer's moves between rests (no move for `restMs`), presses and releases. Its
// speed is path length over elapsed time in chunks of at least `chunkMs` (consecutive intervals
// summed until they span it), so a 60 Hz, a 1000 Hz and Balabit's ~100 ms irregular clock all give
// chunks of 40-140 ms and the test does not abstain on coarse sampling: a constant speed re-sampled
// on any clock stays constant, and a person re-sampled coarser looks no flatter (users 7, 9 and 20:
// 0.5, 1.9, 0.6 % -> 0.2, 0.9, 0.7 % at ~100 ms; bench/eval-flat-speed.ts). Movements of fewer than `minChunks` chunks are not judged. Pens and
// touch are not mouse movements; drags are (a program drags as it moves). I/O-free, one pass over
// the events, scratch buffers reused.
import type { BatchEvent } from '../batch.ts';

export const FLAT_SPEED_RULES = {
  /** No move for this long ends a movement (ms). */
  restMs: 300,
  /** A speed sample spans at least this long (ms). */
  chunkMs: 40,
  /** Movements of fewer chunks are not judged (5 x 40 ms: at least 200 ms of moving). */
  minChunks: 5,
  /** The middle of a movement: chunks from this share of its length to 1 minus it. */
  trim: 0.2,
  /** A chunk is "at the median speed" within this share of it. */
  band: 0.15,
  /** A movement is flat when at least this share of its middle chunks are at its median speed. */
  flatShare: 0.8,
  /** A movement whose median speed is under this (px/ms) is a drift at rest, not judged. */
  minSpeed: 0.05,
} as const;

export interface FlatMoves {
  /** Movements judged. */
  moves: number;
  /** Of them, movements at a flat speed. */
  flat: number;
}

// The current movement's chunk speeds and a scratch copy to sort; grown on demand, never shrunk.
let speeds = new Float64Array(256);
let sorted = new Float64Array(256);

/** The window's movements and how many held a flat speed (see the header). */
export function flatMoves(events: readonly BatchEvent[], rules = FLAT_SPEED_RULES): FlatMoves {
  while (speeds.length <= events.length) {
    speeds = new Float64Array(speeds.length * 2);
    sorted = new Float64Array(sorted.length * 2);
  }
  let moves = 0, flat = 0;
  let k = 0; // chunks of the current movement
  let lastT = NaN, lastX = 0, lastY = 0, accT = 0, accD = 0;
  const end = () => {
    const f = k >= rules.minChunks ? isFlat(k, rules) : -1;
    if (f >= 0) {
      moves++;
      flat += f;
    }
    k = 0;
    accT = 0;
    accD = 0;
  };
  for (const e of events) {
    if (e.pointerType !== undefined && e.pointerType !== 'mouse') continue;
    if (e.type === 'pointerdown' || e.type === 'pointerup') {
      end();
      lastT = NaN;
      continue;
    }
    const { t, x, y } = e;
    if (e.type !== 'pointermove' || x === undefined || y === undefined || !Number.isFinite(t) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (Number.isNaN(lastT)) {
      lastT = t;
      lastX = x;
      lastY = y;
      continue;
    }
    const dt = t - lastT;
    if (dt < 0) {
      // Out of order: start again from here.
      end();
    } else if (dt > rules.restMs) {
      end();
    } else if (dt > 0) {
      const dx = x - lastX, dy = y - lastY;
      accT += dt;
      accD += Math.sqrt(dx * dx + dy * dy); // not Math.hypot (slow in V8)
      if (accT >= rules.chunkMs) {
        speeds[k++] = accD / accT;
        accT = 0;
        accD = 0;
      }
    }
    // dt === 0: coalesced samples flushed at once; the last says where the pointer is.
    lastT = t;
    lastX = x;
    lastY = y;
  }
  end();
  return { moves, flat };
}

/** 1 if the movement's `k` chunk speeds are flat over its middle, 0 if not, -1 if not judged. */
function isFlat(k: number, rules: typeof FLAT_SPEED_RULES): number {
  const a = Math.floor(k * rules.trim), b = Math.ceil(k * (1 - rules.trim));
  const n = b - a;
  for (let i = 0; i < n; i++) sorted[i] = speeds[a + i]!;
  const mid = sorted.subarray(0, n).sort();
  const median = mid[n >> 1]!;
  if (median < rules.minSpeed) return -1;
  let at = 0;
  for (let i = 0; i < n; i++) if (Math.abs(mid[i]! / median - 1) <= rules.band) at++;
  return at >= rules.flatShare * n ? 1 : 0;
}

/**
 * The session's test: are its movements too flat for a hand? Under H0 (a person) a judged movement
 * is flat with probability at most p0; the session is raised while P(Bin(moves, p0) >= flat) <= alpha.
 * p0 = 0.05 is 2.6 times the highest share among Balabit's ten users (0.019, user9; the others
 * 0.2-0.8 %); leave-users-out (bench/eval-flat-speed.ts: p0 = 4 x the other nine's largest, 0.033
 * for user9) raises none of the held-out user's stretches.
 * With alpha = 0.01 it takes two flat movements of two, three of nine, four of 17.
 */
export const FLAT_TEST = { p0: 0.05, alpha: 0.01 } as const;
