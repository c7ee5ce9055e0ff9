// Shrunk covariance and its Cholesky factor: with few enrolment windows (20 for 31 features) the
// sample covariance is singular, so it is pulled towards its diagonal before inverting.
import { columnStats } from './stats.ts';
import { type Rows, rowCount } from './types.ts';

export interface Whitener {
  dims: number;
  centre: Float64Array;
  /** Lower-triangular Cholesky factor of the shrunk covariance, row-major d x d. */
  chol: Float64Array;
}

export function fitWhitener(train: Rows, shrink = 0.5): Whitener {
  const d = train.dims;
  const n = rowCount(train);
  const { centre, spread } = columnStats(train, 'mean', 'sd');
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = train.data[i * d + a]! - centre[a]!;
      if (!Number.isFinite(xa)) continue;
      for (let b = 0; b <= a; b++) {
        const xb = train.data[i * d + b]! - centre[b]!;
        if (Number.isFinite(xb)) cov[a * d + b] = cov[a * d + b]! + (xa * xb) / Math.max(1, n - 1);
      }
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) cov[a * d + b] = cov[a * d + b]! * (1 - shrink);
    cov[a * d + a] = Math.max(cov[a * d + a]!, spread[a]! ** 2);
  }
  return { dims: d, centre, chol: cholesky(cov, d) };
}

/** Whitened copy of a row: L^-1 (x - centre); NaN features count as the centre. */
export function whiten(w: Whitener, x: ArrayLike<number>, out = new Float64Array(w.dims)): Float64Array {
  const d = w.dims;
  for (let a = 0; a < d; a++) {
    let v = x[a]! - w.centre[a]!;
    if (!Number.isFinite(v)) v = 0;
    for (let b = 0; b < a; b++) v -= w.chol[a * d + b]! * out[b]!;
    out[a] = v / w.chol[a * d + a]!;
  }
  return out;
}

function cholesky(lower: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = lower[a * d + b]!;
      for (let k = 0; k < b; k++) s -= l[a * d + k]! * l[b * d + k]!;
      if (a === b) l[a * d + a] = Math.sqrt(Math.max(s, lower[a * d + a]! * 1e-6, 1e-12));
      else l[a * d + b] = s / l[b * d + b]!;
    }
  }
  return l;
}
