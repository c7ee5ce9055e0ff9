// The shape every per-user detector shares: fitted on a user's genuine windows (rows of one width),
// it scores new rows; higher means less like the owner. Pure data in, numbers out.

/** Row-major matrix of `dims` columns. */
export interface Rows {
  data: Float64Array;
  dims: number;
}

export interface FittedDetector {
  readonly name: string;
  /** One anomaly score per row (higher = less like the owner); always finite. */
  score(rows: Rows): Float64Array;
  /** Per-feature signed deviations of one row (positive = above the owner's usual), for reasons. */
  deviations?(row: Float64Array): Float64Array;
  /** Frees kernel memory (a resident forest); the detector must not be used afterwards. */
  dispose?(): void;
}

export type DetectorFit = (train: Rows) => FittedDetector;

/** Scaled-Manhattan distance of rows to a (centre, spread) profile: the WASM kernel or its TS twin. */
export type ManhattanKernel = (rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array) => Float64Array;

export function rowCount(r: Rows): number {
  return r.dims > 0 ? Math.floor(r.data.length / r.dims) : 0;
}

export function row(r: Rows, i: number): Float64Array {
  return r.data.subarray(i * r.dims, (i + 1) * r.dims);
}

/** The rows except row `skip` (for leave-one-out scoring of training windows). */
export function without(r: Rows, skip: number): Rows {
  const n = rowCount(r);
  const data = new Float64Array((n - 1) * r.dims);
  data.set(r.data.subarray(0, skip * r.dims), 0);
  data.set(r.data.subarray((skip + 1) * r.dims), skip * r.dims);
  return { data, dims: r.dims };
}

/** Replaces NaN/Infinity by 0 so no score can become NaN. */
export function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
