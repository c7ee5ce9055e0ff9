// Plain-TypeScript twins of the WebAssembly kernels: same arithmetic in the same order, for parity
// tests and side-by-side benchmarks.

/** Scaled Manhattan distance of each row to a profile; NaN features are skipped (see profile.ts). */
export function scaledManhattan(
  rows: Float64Array,
  dims: number,
  mean: Float64Array,
  mad: Float64Array,
  out: Float64Array = new Float64Array(dims > 0 ? rows.length / dims : 0),
): Float64Array {
  const n = out.length;
  for (let r = 0; r < n; r++) {
    const base = r * dims;
    let sum = 0;
    let present = 0;
    for (let j = 0; j < dims; j++) {
      const v = rows[base + j]!;
      if (v !== v) continue;
      sum += Math.abs(v - mean[j]!) / mad[j]!;
      present++;
    }
    out[r] = present > 0 ? sum / present : NaN;
  }
  return out;
}
