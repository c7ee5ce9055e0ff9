// A window's mouse movements cut into speed chunks, shared by scoring/features/flat-speed.ts and
// scoring/features/fast-bends.ts (one cut, two tests). A movement: the pointer's moves between rests
// (no move for `restMs`), presses and releases, out-of-order times; its speed is path length over
// elapsed time in chunks of at least `chunkMs` (consecutive intervals summed until they span it), so
// a 60 Hz, a 1000 Hz and Balabit's ~100 ms irregular clock all give chunks of 40-140 ms. Pens and
// touch are not mouse movements; drags are. Samples at the same time (coalesced, flushed at once)
// add nothing but say where the pointer is. I/O-free, one pass, scratch buffers reused.
import type { BatchEvent } from '../batch.ts';

export interface ChunkRules {
  /** No move for this long ends a movement (ms). */
  restMs: number;
  /** A speed sample spans at least this long (ms). */
  chunkMs: number;
}

/**
 * The movement just ended, valid during the callback only (the buffers are reused): `k` chunks, chunk
 * i's speed (px/ms) in speeds[i] and its end point in ends[2i], ends[2i + 1]; the movement's first
 * sample at (x0, y0).
 */
export interface Movement {
  k: number;
  speeds: Float64Array;
  ends: Float64Array;
  x0: number;
  y0: number;
}

let speeds = new Float64Array(256);
let ends = new Float64Array(512);

/** Calls `onMovement` for each movement of the window with at least one chunk, in order. */
export function forEachMovement(events: readonly BatchEvent[], rules: ChunkRules, onMovement: (m: Movement) => void): void {
  while (speeds.length <= events.length) {
    speeds = new Float64Array(speeds.length * 2);
    ends = new Float64Array(ends.length * 2);
  }
  const m: Movement = { k: 0, speeds, ends, x0: 0, y0: 0 };
  let lastT = NaN, lastX = 0, lastY = 0, accT = 0, accD = 0;
  const end = () => {
    if (m.k > 0) onMovement(m);
    m.k = 0;
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
    const dt = t - lastT;
    if (Number.isNaN(lastT) || dt < 0 || dt > rules.restMs) {
      // A new movement starts here (the first sample, after a rest, or out of order).
      if (!Number.isNaN(lastT)) end();
      m.x0 = x;
      m.y0 = y;
    } else if (dt > 0) {
      const dx = x - lastX, dy = y - lastY;
      accT += dt;
      accD += Math.sqrt(dx * dx + dy * dy); // not Math.hypot (slow in V8)
      if (accT >= rules.chunkMs) {
        speeds[m.k] = accD / accT;
        ends[2 * m.k] = x;
        ends[2 * m.k + 1] = y;
        m.k++;
        accT = 0;
        accD = 0;
      }
    }
    lastT = t;
    lastX = x;
    lastY = y;
  }
  end();
}
