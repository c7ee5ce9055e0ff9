// Fast at a bend: a hand slows down where its path turns (the speed-curvature relation of drawing
// and pointing movements, Lacquaniti, Terzuolo and Viviani 1983: speed falls with the radius of
// curvature), so a movement's sharpest turn comes at a low share of its peak speed. A generated curve
// whose speed is laid over its shape by time alone (a Bezier eased from start to end, a spline at
// constant speed) turns at whatever speed the easing gives there, often near its peak.
//
// Per movement (as scoring/features/movement-chunks.ts cuts them for flat speed too: moves between rests of `restMs`,
// presses and releases; speed in chunks of at least `chunkMs`, so a 60 Hz, a 1000 Hz and Balabit's
// ~100 ms irregular clock all give chunks of 40-140 ms): the turn between consecutive chunks' chords,
// where both chords span at least `minChordPx`; the sharpest such turn is a bend when it reaches
// `minTurnDeg`, and a fast bend when the slower of its two chunks is above `fastShare` of the
// movement's top chunk speed. Measured in 3-s windows (session 12, `npx cadence eval fast-bends`):
// 3.0-7.0 % of the bends of each of Balabit's ten users are fast (coarse and fine clocks alike), 2.1 %
// of the synth people's, 56 % of bezier-mouse's, 46 % of human-mix's. One fast bend says little; a session of them is the signal,
// counted with the reaches and flat movements in scoring/features/clean-pointer.ts.
import type { BatchEvent } from '../batch.ts';
import { FLAT_SPEED_RULES } from './flat-speed.ts';
import { forEachMovement, type Movement } from './movement-chunks.ts';

export const FAST_BEND_RULES = {
  /** Movements, chunks and the slowest movement judged: as flat speed's. */
  restMs: FLAT_SPEED_RULES.restMs,
  chunkMs: FLAT_SPEED_RULES.chunkMs,
  minChunks: FLAT_SPEED_RULES.minChunks,
  minSpeed: FLAT_SPEED_RULES.minSpeed,
  /** A chord shorter than this has no direction worth measuring (px). */
  minChordPx: 2,
  /** Turns measured (both chords long enough) before a movement is judged. */
  minTurns: 3,
  /** The sharpest turn of a movement is a bend from this angle (degrees). */
  minTurnDeg: 30,
  /** A bend is fast when the slower of its two chunks is above this share of the movement's top speed. */
  fastShare: 0.5,
} as const;

export interface FastBends {
  /** Movements with a bend. */
  bends: number;
  /** Of them, bends taken fast. */
  fast: number;
}

// A scratch copy of a movement's speeds to sort; grown on demand, never shrunk.
let sorted = new Float64Array(256);

/** The window's bends and how many were taken fast (see the header). */
export function fastBends(events: readonly BatchEvent[], rules = FAST_BEND_RULES): FastBends {
  const minCos = Math.cos((rules.minTurnDeg * Math.PI) / 180);
  let bends = 0, fast = 0;
  forEachMovement(events, rules, (m) => {
    if (m.k < rules.minChunks) return;
    const f = judge(m, rules, minCos);
    if (f >= 0) {
      bends++;
      fast += f;
    }
  });
  return { bends, fast };
}

/** 1 if the movement's sharpest turn is a fast bend, 0 a slow one, -1 no bend or not judged. */
function judge({ k, speeds, ends, x0, y0 }: Movement, rules: typeof FAST_BEND_RULES, minCos: number): number {
  if (sorted.length < k) sorted = new Float64Array(Math.max(k, sorted.length * 2));
  let top = 0;
  for (let i = 0; i < k; i++) {
    top = Math.max(top, speeds[i]!);
    sorted[i] = speeds[i]!;
  }
  if (sorted.subarray(0, k).sort()[k >> 1]! < rules.minSpeed) return -1; // a drift at rest, as flat speed's
  // The sharpest turn: the smallest cosine between consecutive chords (chunk i-1's end to i's, i's to i+1's).
  let best = 2, at = -1, turns = 0;
  let px = x0, py = y0;
  for (let i = 0; i + 1 < k; i++) {
    const ax = ends[2 * i]! - px, ay = ends[2 * i + 1]! - py;
    const bx = ends[2 * i + 2]! - ends[2 * i]!, by = ends[2 * i + 3]! - ends[2 * i + 1]!;
    px = ends[2 * i]!;
    py = ends[2 * i + 1]!;
    const la = Math.sqrt(ax * ax + ay * ay), lb = Math.sqrt(bx * bx + by * by);
    if (la < rules.minChordPx || lb < rules.minChordPx) continue;
    turns++;
    const c = (ax * bx + ay * by) / (la * lb);
    if (c < best) {
      best = c;
      at = i;
    }
  }
  if (turns < rules.minTurns || best > minCos) return -1;
  return Math.min(speeds[at]!, speeds[at + 1]!) > rules.fastShare * top ? 1 : 0;
}
