// Does a reach's speed follow its bends? A hand slows where its path bends: speed and curvature
// follow a power law, v = k * curvature^beta with beta near -1/3 (the "two-thirds power law" of
// Lacquaniti, Terzuolo and Viviani, 1983, for drawing and handwriting; Balabit's finely sampled
// people's reaches have medians near it, -0.34 to -0.43 per user, `npx cadence eval
// speed-curvature`; Bezier -0.19, WindMouse -0.02). A
// generated path sets its speed by an easing along its length (a Bezier, a minimum-jerk trajectory,
// a tween) or holds it (WindMouse, splines), and bends where its control points put the bend,
// whatever the speed there: its slope sits near 0.
//
// Measured per reach (scoring/features/submovements.ts: a judged reach's approach, finely sampled):
// the samples thinned to `minSampleMs` (the clock the bound was measured on), the path resampled
// every `stepPx` of its length along a Catmull-Rom spline through them (so a fast stretch sampled
// 20-30 px apart still bends between its samples, not all at them), at each resampled point the
// speed over its two neighbouring steps and the curvature (the turn between the two steps over the
// step length), and the least-squares slope of log speed on log curvature over the points that bend
// at all. A path walked by the law with sub-pixel positions measures -0.29 to -0.30 at 1-16 ms
// (test/node/speed-curvature.test.ts). A reach whose slope is above `maxSlope` ignores its bends.
// People do that on a few reaches (2-8 % per user as recorded and re-clocked, up to 12 % modelled at
// a 1000 Hz mouse: `npx cadence eval speed-curvature`); the session's count is a rate, tested with
// the other pointer counts in scoring/features/clean-pointer.ts. What it cannot see: a slow stretch
// on whole pixels bends like a hand (its pixel staircase turns most where it is slowest), so a
// generated path eased to a crawl at its ends and rounded to pixels may pass. I/O-free; two passes
// over the reach's samples, scratch buffers reused.

export const SPEED_CURVATURE_RULES = {
  /**
   * Samples kept at least this far apart (ms): the rate the bound was measured at (Balabit's 15.6 ms
   * tick). A 250-1000 Hz mouse on whole pixels moves a pixel or two per sample, and that staircase
   * bends everywhere: noise in the curvature that flattens any slope toward 0 (a path walked by the
   * law, spline-upsampled to 1 ms and rounded, read "ignores" in 90 % of reaches; found by review).
   */
  minSampleMs: 15,
  /** Resampling step along the path (px): above a pixel's grain, below a reach's bends. */
  stepPx: 6,
  /**
   * At most this many resampled points per kept sample on average: a reach whose path is longer than
   * that (144 px a sample: 9.6 px/ms at 15 ms, 2.9 at 50 ms, over the whole reach; coordinates may be
   * up to 1e6) is not judged, so the work is bounded by the batch's events (at most 500 x 24 steps),
   * not by its coordinates (found by review: one batch took 5 s).
   */
  maxPointsPerSample: 24,
  /** A point bends when its turn over one step is at least this (rad per px; an exactly straight run of integer pixels is 0). */
  minCurvature: 1e-4,
  /** Points needed for a slope. */
  minPoints: 8,
  /** A slope above this ignores the bends (the law's -1/3 cut to under a third). */
  maxSlope: -0.1,
} as const;

export type SpeedCurvatureRules = { readonly [K in keyof typeof SPEED_CURVATURE_RULES]: number };

/** Not judged: too few bending points, or a path no hand makes. */
export const NOT_JUDGED = -1;

// The kept samples (thinned to minSampleMs); grown on demand, never shrunk.
let kt = new Float64Array(256);
let kx = new Float64Array(256);
let ky = new Float64Array(256);

/**
 * Whether the path (ts, xs, ys)[from..m) ignores its bends: 1 if it does, 0 if its speed follows
 * them, NOT_JUDGED when it has too few bending points or is not a hand's (see the rules).
 */
export function speedIgnoresBends(ts: Float64Array, xs: Float64Array, ys: Float64Array, from: number, m: number, rules: SpeedCurvatureRules = SPEED_CURVATURE_RULES): number {
  const slope = speedCurvatureSlope(ts, xs, ys, from, m, rules);
  return Number.isNaN(slope) ? NOT_JUDGED : slope > rules.maxSlope ? 1 : 0;
}

/** The slope of log speed on log curvature of the path (ts, xs, ys)[from..m) (see the header); NaN when not judged. */
export function speedCurvatureSlope(ts: Float64Array, xs: Float64Array, ys: Float64Array, from: number, m: number, rules: SpeedCurvatureRules = SPEED_CURVATURE_RULES): number {
  if (m - from < 3) return NaN;
  while (kt.length < m - from) {
    kt = new Float64Array(kt.length * 2);
    kx = new Float64Array(kx.length * 2);
    ky = new Float64Array(ky.length * 2);
  }
  // Thinned to minSampleMs (the last sample always kept), and the path's length on the way.
  let k = 0, length = 0;
  for (let i = from; i < m; i++) {
    if (k > 0 && ts[i]! - kt[k - 1]! < rules.minSampleMs && i < m - 1) continue;
    if (k > 0) {
      const dx = xs[i]! - kx[k - 1]!, dy = ys[i]! - ky[k - 1]!;
      length += Math.sqrt(dx * dx + dy * dy);
    }
    kt[k] = ts[i]!;
    kx[k] = xs[i]!;
    ky[k] = ys[i]!;
    k++;
  }
  if (k < 3 || !Number.isFinite(length) || length > rules.maxPointsPerSample * rules.stepPx * k) return NaN;
  return slopeOf(kt, kx, ky, k, rules);
}

/** The resampling and the regression over the kept samples [0, m). */
function slopeOf(ts: Float64Array, xs: Float64Array, ys: Float64Array, m: number, rules: SpeedCurvatureRules): number {
  const D = rules.stepPx;
  // The last two resampled points (a, b) and the one being made (c); the point judged is b.
  let ax = NaN, ay = NaN, at = NaN, bx = xs[0]!, by = ys[0]!, bt = ts[0]!;
  let have = 1;
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  let carry = 0; // path length since the last resampled point
  for (let i = 1; i < m; i++) {
    const x0 = xs[i - 1]!, y0 = ys[i - 1]!, t0 = ts[i - 1]!, x2 = xs[i]!, y2 = ys[i]!;
    const dx = x2 - x0, dy = y2 - y0;
    const seg = Math.sqrt(dx * dx + dy * dy);
    if (seg === 0) continue;
    // The samples either side of the segment, for the spline (the ends repeat themselves).
    const h = i >= 2 ? i - 2 : i - 1, j = i + 1 < m ? i + 1 : i;
    const wx0 = xs[h]!, wy0 = ys[h]!, x3 = xs[j]!, y3 = ys[j]!;
    let s = D - carry;
    for (; s <= seg; s += D) {
      const f = s / seg;
      const u2 = f * f, u3 = u2 * f;
      const cx = 0.5 * (2 * x0 + (x2 - wx0) * f + (2 * wx0 - 5 * x0 + 4 * x2 - x3) * u2 + (3 * x0 - wx0 - 3 * x2 + x3) * u3);
      const cy = 0.5 * (2 * y0 + (y2 - wy0) * f + (2 * wy0 - 5 * y0 + 4 * y2 - y3) * u2 + (3 * y0 - wy0 - 3 * y2 + y3) * u3);
      const ct = t0 + f * (ts[i]! - t0);
      if (have >= 2) {
        const dt = ct - at;
        if (dt > 0) {
          const ux = bx - ax, uy = by - ay, wx = cx - bx, wy = cy - by;
          const turn = Math.abs(Math.atan2(ux * wy - uy * wx, ux * wx + uy * wy));
          const k = turn / D;
          if (k >= rules.minCurvature) {
            const lk = Math.log(k), lv = Math.log((2 * D) / dt);
            n++;
            sx += lk;
            sy += lv;
            sxx += lk * lk;
            sxy += lk * lv;
          }
        }
      }
      ax = bx;
      ay = by;
      at = bt;
      bx = cx;
      by = cy;
      bt = ct;
      have++;
    }
    carry = seg - (s - D);
  }
  if (n < rules.minPoints) return NaN;
  const vxx = sxx - (sx * sx) / n;
  if (!(vxx > 0)) return NaN;
  return (sxy - (sx * sy) / n) / vxx;
}
