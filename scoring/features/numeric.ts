// Small total statistics for feature extractors: every function returns a finite number (the
// given `missing` value when there is nothing to summarise), never NaN or Infinity.

export function finite(v: number, missing = 0): number {
  return Number.isFinite(v) ? v : missing;
}

export function meanOf(v: readonly number[], missing = 0): number {
  let s = 0;
  let n = 0;
  for (const x of v) if (Number.isFinite(x)) { s += x; n++; }
  return n ? finite(s / n, missing) : missing;
}

export function sdOf(v: readonly number[], missing = 0): number {
  const xs = v.filter(Number.isFinite);
  if (xs.length < 2) return missing;
  const m = meanOf(xs);
  return finite(Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)), missing);
}

export function maxOf(v: readonly number[], missing = 0): number {
  let m = -Infinity;
  for (const x of v) if (Number.isFinite(x) && x > m) m = x;
  return m === -Infinity ? missing : m;
}

export function sumOf(v: readonly number[]): number {
  let s = 0;
  for (const x of v) if (Number.isFinite(x)) s += x;
  return finite(s);
}

/** Coefficient of variation (sd / mean); `missing` when the mean is 0 or there are < 2 values. */
export function cvOf(v: readonly number[], missing = 0): number {
  const m = meanOf(v);
  return m > 0 ? finite(sdOf(v, NaN) / m, missing) : missing;
}

export function ratio(a: number, b: number, missing = 0): number {
  return b !== 0 && Number.isFinite(a / b) ? a / b : missing;
}
