// Distance of feature vectors to a per-feature profile: scaled Manhattan (Killourhy & Maxion 2009).
// Rows are f64, row-major; NaN marks a missing feature and is left out of that row's mean.

export function scaledManhattanBatch(
  x: usize,
  rows: i32,
  dims: i32,
  mean: usize,
  mad: usize,
  out: usize,
): void {
  const stride = <usize>dims << 3;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * stride;
    let sum: f64 = 0;
    let present: i32 = 0;
    for (let j = 0; j < dims; j++) {
      const off = <usize>j << 3;
      const v = load<f64>(row + off);
      if (v != v) continue;
      sum += Math.abs(v - load<f64>(mean + off)) / load<f64>(mad + off);
      present++;
    }
    store<f64>(out + (<usize>r << 3), present > 0 ? sum / <f64>present : NaN);
  }
}
