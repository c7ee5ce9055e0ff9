// White noise on a pointer's path: the mark of a generated path with per-sample jitter (ghost-cursor
// and "humanize" libraries add Gaussian noise to each point of a Bezier curve) or with a speed
// redrawn at random at every step (WindMouse clips each step to a random fraction of its maximum).
//
// A hand moves a mass: seen through a mouse sensor at the device's rate (125-1000 Hz) its path is
// smooth at the scale of a few samples, so the second differences of positions (the change of one
// step to the next) are positively correlated from one sample to the next. Noise drawn afresh at
// each sample is the opposite: its second differences n[i+1] - 2n[i] + n[i-1] have lag-1
// covariance -4 sd^2 (autocorrelation -2/3). The statistic is that covariance, negated, of the
// component of the second difference across the direction of travel: roughness = -mean(d2n[i] *
// d2n[i+1]) in px^2, 4 sd^2 for jitter of sd px. Only the component across the path: a clock that
// slices the sensor's reports unevenly (Windows' 15.6 ms tick over a 125 Hz mouse, remote desktops)
// makes steps uneven along the path, which along-path roughness would mistake for noise (it reached
// 278 px^2 on a Balabit user).
//
// What a person's sensor adds across the path is quantisation: positions on a grid of one count
// (1 px on most set-ups; 2-3 px for a low-DPI mouse with a high pointer speed), white when the
// pointer crosses several counts per sample, about c^2 / 3 for counts of c px. The threshold sits
// above that for counts of 1 px, and grows as c^2 with the window's grid: the smallest step any of
// its coordinates took (a high pointer speed without acceleration moves 2-4 px a count; people's
// roughness on Balabit's paths snapped to a grid of c px reaches 1.2 c^2 at c = 2 and 0.84-0.98 c^2
// from 3 to 6 px: a scratch check, tmp-explore of session 14; `npx cadence eval people-stress`
// judges such grids). The smallest step, not a common divisor: a fractional gain (1.5, 2.5 px a
// count, common pointer-speed settings) lands on whole pixels in steps of 1 and 2, 2 and 3, and a
// divisor of 1 held 2.5 px counts to the 1 px bound (3 of Balabit's 20 sessions challenged). A grid
// over `maxGridPx` is not judged at all. The cost: a bot that snaps its jittered path to a grid of
// 2 px is held to the 2 px bound (about a third of 1.5 px jitter still fires), to 3 px or more is
// not judged (the red-team review of session 14 measured both). Jitter under ~0.8 px is below a
// sensor's own grain and cannot be told from it. The statistic needs fine, regular sampling:
// intervals of at most `maxStepMs`, pairs of intervals within `evenness` of each other (a smooth
// path's second difference is only small when the two steps span equal times). Coarse or irregular sampling (remote
// desktops, Balabit's ~100 ms, the old 50 ms collector), pens and touch give too few pairs and the
// window is not judged. Only slow stretches count (`maxSpeed`): at speed, pointer acceleration
// makes a count several pixels. I/O-free and allocation-light: one pass over the events.
import type { BatchEvent } from '../batch.ts';

export const POINTER_NOISE_RULES = {
  /** Consecutive samples at most this far apart are fine sampling (ms). */
  maxStepMs: 20,
  /** Samples closer than this to the last one kept are skipped (ms). */
  minStepMs: 6,
  /** Two consecutive intervals differ by at most this share of the longer for their second difference to count. */
  evenness: 0.2,
  /** The two steps around a sample span at least this (px): the direction of travel is defined. */
  minChordPx: 4,
  /** Consecutive normals this aligned (cos): the pointer did not turn back between them. */
  minTurnCos: 0.9,
  /** Pairs of consecutive second differences needed before the window is judged. */
  minPairs: 20,
  /**
   * Roughness across the path above this (px^2) is more than a sensor's quantisation (counts of up
   * to 3 px: c^2 / 3) and more than 1.5 times the largest seen on people (1.98, Balabit's two users
   * with fine sampling): jitter of sd >= ~0.8 px.
   */
  maxRoughness: 3,
  /**
   * A grid coarser than this (px) is not judged: quantisation of 3 px counts or more is as large as
   * the jitter the rule looks for, and a path snapped to such a grid would choose its own bound.
   */
  maxGridPx: 2.5,
  /**
   * Only where the pointer moves at most this fast (px/ms, the chord of the two steps over their
   * time): an operating system's pointer acceleration multiplies each count by a gain that rises
   * with speed (Windows' "enhance pointer precision", macOS's curve), so at speed one count is 2-3 px
   * while the window's grid, set by its slow moves, stays 1 px. Balabit's people at 1 px with a gain
   * rising to 2x or 3x at 1.5 px/ms on top of their own (`npx cadence eval people-stress`,
   * acceleration x2 / x3) read as jitter in 1 and 2 of 20 sessions judged at every speed, in none
   * judged under 1, 1.5 or 2 px/ms (2: the highest tried that clears both). Session 20.
   */
  maxSpeed: 2,
} as const;

export interface PointerNoise {
  /** Enough fine, regular sampling to judge. */
  judged: boolean;
  /** -mean(d2n[i] * d2n[i+1]) over the pairs measured (px^2); 0 when not judged. */
  roughness: number;
  /** Pairs of consecutive second differences measured. */
  pairs: number;
  /** The smallest nonzero step of either coordinate between consecutive moves (px): the sensor's grid as seen; 0 when none. */
  grid: number;
}

/** The roughness above which the window's path carries noise of its own: the bound for counts of the window's grid. */
export function roughnessLimit(n: Pick<PointerNoise, 'grid'>, rules = POINTER_NOISE_RULES): number {
  return rules.maxRoughness * Math.max(1, n.grid) ** 2;
}

/** Roughness of the mouse's path in one window (see the header). */
export function pointerNoise(events: readonly BatchEvent[], rules = POINTER_NOISE_RULES): PointerNoise {
  // The last three samples (t, x, y), the previous second difference across the path and its normal.
  let t0 = NaN, x0 = 0, y0 = 0, t1 = NaN, x1 = 0, y1 = 0;
  let pd = 0, pnx = 0, pny = 0, prevValid = false;
  let sum = 0, pairs = 0;
  let grid = Infinity, lx = NaN, ly = NaN;
  for (const e of events) {
    if (e.type !== 'pointermove' || (e.pointerType !== undefined && e.pointerType !== 'mouse')) continue;
    const t = e.t, x = e.x, y = e.y;
    if (!Number.isFinite(t) || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    // The grid: every sample, before any is thinned or skipped.
    const gx = Math.abs(x! - lx), gy = Math.abs(y! - ly);
    if (gx > 0 && gx < grid) grid = gx;
    if (gy > 0 && gy < grid) grid = gy;
    lx = x!;
    ly = y!;
    // A repeated timestamp (a flush of coalesced samples) says where the pointer ended: keep the last.
    // Samples closer than minStepMs (a 1000 Hz mouse: steps of a pixel, all quantisation) are
    // thinned to about that rate, where a hand's steps span several counts.
    if (t === t1 || (t > t1 && t - t1 < rules.minStepMs)) {
      if (t === t1) {
        x1 = x!;
        y1 = y!;
        prevValid = false;
      }
      continue;
    }
    const a = t1 - t0;
    const b = t - t1;
    let valid = false;
    if (a > 0 && b > 0 && a <= rules.maxStepMs && b <= rules.maxStepMs && Math.abs(a - b) <= rules.evenness * Math.max(a, b)) {
      const cx = x! - x0;
      const cy = y! - y0;
      const chord = Math.sqrt(cx * cx + cy * cy); // not Math.hypot: several times slower in V8
      if (chord >= rules.minChordPx && chord <= rules.maxSpeed * (a + b)) {
        // The normal to the direction of travel: a clock that slices the sensor's reports unevenly
        // (two reports in one tick, one in the next) makes the steps uneven along the path, never across it.
        const nx = -cy / chord;
        const ny = cx / chord;
        const d = (x! - 2 * x1 + x0) * nx + (y! - 2 * y1 + y0) * ny;
        if (prevValid && nx * pnx + ny * pny >= rules.minTurnCos) {
          sum += d * pd;
          pairs++;
        }
        pd = d;
        pnx = nx;
        pny = ny;
        valid = true;
      }
    }
    prevValid = valid;
    t0 = t1; x0 = x1; y0 = y1;
    t1 = t; x1 = x!; y1 = y!;
  }
  const judged = pairs >= rules.minPairs && grid <= rules.maxGridPx;
  return { judged, roughness: judged ? Math.round((-sum / pairs) * 1e3) / 1e3 : 0, pairs, grid: grid === Infinity ? 0 : grid };
}
