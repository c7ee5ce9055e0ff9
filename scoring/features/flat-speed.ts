// Flat speed: a hand never moves the pointer at a constant speed. Every movement accelerates and
// decelerates, and within it the speed fluctuates (sub-movements, tremor, corrections): over the
// middle 60 % of a person's movement, a median of 20-29 % of its time is spent within +-15 % of its
// median speed. A program that steps at a fixed rate (WindMouse with waits in proportion to each
// step, as SRL and its ports do; constant-speed splines through waypoints; linear tweens) holds its
// speed: WindMouse's movements sit at 100 %. One flat movement says little (0.2-1.9 % of the
// movements of each of Balabit's ten users, in 3-s windows); a session of them is the signal, tested in
// scoring/session-evidence.ts (`flat_speed`).
//
// A movement and its speed chunks as scoring/features/movement-chunks.ts cuts them (moves between
// rests of `restMs`, presses and releases; chunks of at least `chunkMs`, 40-140 ms on a 60 Hz, a
// 1000 Hz or Balabit's ~100 ms irregular clock), so the test does not abstain on coarse sampling: a constant speed re-sampled
// on any clock stays constant, and a person re-sampled coarser looks no flatter (users 7, 9 and 20:
// 0.5, 1.9, 0.6 % -> 0.2, 0.9, 0.7 % at ~100 ms; bench/eval-flat-speed.ts). Movements of fewer than `minChunks` chunks are not judged. Pens and
// touch are not mouse movements; drags are (a program drags as it moves). I/O-free, one pass over
// the events, scratch buffers reused.
import type { BatchEvent } from '../batch.ts';
import { forEachMovement } from './movement-chunks.ts';

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

// A scratch copy of a movement's middle speeds to sort; grown on demand, never shrunk.
let sorted = new Float64Array(256);

/** The window's movements and how many held a flat speed (see the header). */
export function flatMoves(events: readonly BatchEvent[], rules = FLAT_SPEED_RULES): FlatMoves {
  let moves = 0, flat = 0;
  forEachMovement(events, rules, (m) => {
    const f = m.k >= rules.minChunks ? isFlat(m.k, m.speeds, rules) : -1;
    if (f >= 0) {
      moves++;
      flat += f;
    }
  });
  return { moves, flat };
}

/** 1 if the movement's `k` chunk speeds are flat over its middle, 0 if not, -1 if not judged. */
function isFlat(k: number, speeds: Float64Array, rules: typeof FLAT_SPEED_RULES): number {
  const a = Math.floor(k * rules.trim), b = Math.ceil(k * (1 - rules.trim));
  const n = b - a;
  if (sorted.length < n) sorted = new Float64Array(Math.max(n, sorted.length * 2));
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
