// A population profile (per-feature centre and spread) plus the calibration that maps a scaled
// Manhattan distance to a risk score in [0, 1], anchored on genuine human windows.

export interface Profile {
  version: string;
  features: readonly string[];
  /**
   * Applied to each feature before comparing: 'slog' is sign(v)*log(1+|v|). Timings are roughly
   * log-normal, and in log space a machine's near-zero, zero-variance rhythm stands far out.
   */
  transform: 'none' | 'slog';
  /** Per-feature centre (median of genuine windows). */
  mean: readonly number[];
  /** Per-feature spread (mean absolute deviation around the centre, floored). */
  mad: readonly number[];
  /** Distance quantiles over the genuine windows the profile was fitted on. */
  calibration: { q50: number; q99: number };
  source: string;
}

/** The profile's transform applied to a feature vector (a new array; NaN stays NaN). */
export function transformVector(vector: Float64Array, transform: Profile['transform']): Float64Array {
  if (transform === 'none') return vector;
  return vector.map((v) => Math.sign(v) * Math.log1p(Math.abs(v)));
}

/**
 * Piecewise-linear map from distance to score: the 99th percentile of genuine windows sits at the
 * monitor threshold (0.4), twice that at challenge (0.7), three times at block (0.9).
 */
export function calibrate(distance: number, calibration: Profile['calibration']): number {
  if (!(distance >= 0)) return 0;
  const q = calibration.q99;
  const knots: [number, number][] = [[0, 0], [q, 0.4], [2 * q, 0.7], [3 * q, 0.9], [5 * q, 1]];
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i]!;
    if (distance <= x1) {
      const [x0, y0] = knots[i - 1]!;
      return y0 + ((y1 - y0) * (distance - x0)) / (x1 - x0);
    }
  }
  return 1;
}

/** Fits centre, spread and calibration from genuine windows (rows of equal width; NaN = missing). */
export function fitProfile(
  rows: readonly Float64Array[],
  features: readonly string[],
  distance: (rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array) => Float64Array,
  meta: { version: string; source: string; transform: Profile['transform']; madFloor: number },
): Profile {
  const dims = features.length;
  rows = rows.map((r) => transformVector(r, meta.transform));
  const mean: number[] = [];
  const mad: number[] = [];
  for (let j = 0; j < dims; j++) {
    const column = rows.map((r) => r[j]!).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const centre = quantile(column, 0.5);
    const spread = column.reduce((s, v) => s + Math.abs(v - centre), 0) / Math.max(1, column.length);
    mean.push(round(centre));
    mad.push(round(Math.max(spread, meta.madFloor)));
  }
  const flat = new Float64Array(rows.length * dims);
  rows.forEach((r, i) => flat.set(r, i * dims));
  const d = Array.from(distance(flat, dims, Float64Array.from(mean), Float64Array.from(mad)))
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  return {
    version: meta.version,
    features,
    transform: meta.transform,
    mean,
    mad,
    calibration: { q50: round(quantile(d, 0.5)), q99: round(quantile(d, 0.99)) },
    source: meta.source,
  };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (v: number) => Math.round(v * 1000) / 1000;
