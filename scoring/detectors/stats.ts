// Column statistics of a row-major matrix, robust to NaN (skipped) and to empty columns.
import { type Rows, rowCount } from './types.ts';

export function column(r: Rows, j: number): number[] {
  const n = rowCount(r);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = r.data[i * r.dims + j]!;
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Linear-interpolated quantile of sorted values; 0 for an empty list. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function sd(values: readonly number[], centre = mean(values)): number {
  if (values.length < 2) return 0;
  let s = 0;
  for (const v of values) s += (v - centre) ** 2;
  return Math.sqrt(s / (values.length - 1));
}

export function meanAbsDev(values: readonly number[], centre: number): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (const v of values) s += Math.abs(v - centre);
  return s / values.length;
}

/** Per-column centre and spread; spreads floored at `floor` (relative to the column scale) so no division by 0. */
export function columnStats(r: Rows, centre: 'mean' | 'median', spread: 'mad' | 'sd'): { centre: Float64Array; spread: Float64Array } {
  const c = new Float64Array(r.dims);
  const s = new Float64Array(r.dims);
  for (let j = 0; j < r.dims; j++) {
    const col = column(r, j);
    c[j] = centre === 'mean' ? mean(col) : median(col);
    s[j] = spread === 'mad' ? meanAbsDev(col, c[j]!) : sd(col, c[j]!);
  }
  floorSpreads(s);
  return { centre: c, spread: s };
}

/** A zero spread (constant column) would make any deviation infinite: floor it at a share of the median spread. */
export function floorSpreads(s: Float64Array): void {
  const positive = [...s].filter((v) => v > 0).sort((a, b) => a - b);
  const floor = positive.length ? quantile(positive, 0.5) * 0.05 : 1e-6;
  for (let j = 0; j < s.length; j++) if (!(s[j]! > floor)) s[j] = Math.max(floor, 1e-9);
}
