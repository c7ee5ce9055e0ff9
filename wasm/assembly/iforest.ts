// Isolation-forest scoring over linear memory: complete trees, branch-free descent, four trees in
// flight at once so their independent load chains overlap.
//
// Forest blob: per tree, 2^(depth+1) - 1 entries of 8 bytes in breadth-first order. A split entry is
// (f32 threshold, u32 byte offset of its feature in a row); a leaf entry is (f32 path length, 0).
// Rows are f32, `dims` wide. A row goes to child 2i+2 when x > threshold, else 2i+1.

@inline
function step(tree: usize, i: u32, row: usize): u32 {
  const at = tree + (<usize>i << 3);
  return (i << 1) + 1 + <u32>(load<f32>(row + <usize>load<u32>(at, 4)) > load<f32>(at));
}

@inline
function leaf(tree: usize, i: u32): f64 {
  return <f64>load<f32>(tree + (<usize>i << 3));
}

/** Sum over trees of the row's path length (depth of its leaf + c(leaf size)). */
@inline
function pathSum(forest: usize, trees: i32, depth: i32, row: usize): f64 {
  const treeBytes = <usize>((2 << depth) - 1) << 3;
  let sum: f64 = 0;
  let t0 = forest;
  let t = 0;
  for (; t + 4 <= trees; t += 4) {
    const t1 = t0 + treeBytes;
    const t2 = t1 + treeBytes;
    const t3 = t2 + treeBytes;
    let i0: u32 = 0;
    let i1: u32 = 0;
    let i2: u32 = 0;
    let i3: u32 = 0;
    for (let k = 0; k < depth; k++) {
      i0 = step(t0, i0, row);
      i1 = step(t1, i1, row);
      i2 = step(t2, i2, row);
      i3 = step(t3, i3, row);
    }
    sum += leaf(t0, i0);
    sum += leaf(t1, i1);
    sum += leaf(t2, i2);
    sum += leaf(t3, i3);
    t0 = t3 + treeBytes;
  }
  for (; t < trees; t++) {
    let i: u32 = 0;
    for (let k = 0; k < depth; k++) i = step(t0, i, row);
    sum += leaf(t0, i);
    t0 += treeBytes;
  }
  return sum;
}

/** Anomaly score 2^(-E(h)/c(psi)) of one row; `invC` is 1 / c(psi). */
export function iforestScoreOne(forest: usize, trees: i32, depth: i32, row: usize, invC: f64): f64 {
  return Math.pow(2.0, -(pathSum(forest, trees, depth, row) / <f64>trees) * invC);
}

/** Scores `rows` rows into `out` (f64 each). */
export function iforestScoreBatch(forest: usize, trees: i32, depth: i32, x: usize, rows: i32, dims: i32, invC: f64, out: usize): void {
  const stride = <usize>dims << 2;
  for (let r = 0; r < rows; r++) {
    const s = pathSum(forest, trees, depth, x + <usize>r * stride);
    store<f64>(out + (<usize>r << 3), Math.pow(2.0, -(s / <f64>trees) * invC));
  }
}

/**
 * Per-feature contributions of one row into `out` (f64 x dims): for every split on its paths, the
 * expected path length at the node (`values`, f32 per split entry, tree-major) minus that at the
 * child it went to, summed per feature and averaged over trees. They add up to c(psi) - E(h):
 * positive means the feature's splits isolated the row sooner than an ordinary row.
 */
export function iforestContributions(forest: usize, values: usize, trees: i32, depth: i32, row: usize, dims: i32, out: usize): void {
  const inner = (1 << depth) - 1;
  const treeBytes = <usize>((2 << depth) - 1) << 3;
  for (let j = 0; j < dims; j++) store<f64>(out + (<usize>j << 3), 0);
  for (let t = 0; t < trees; t++) {
    const tree = forest + <usize>t * treeBytes;
    const vals = values + ((<usize>t * <usize>inner) << 2);
    let i: u32 = 0;
    let here = <f64>load<f32>(vals);
    for (let k = 0; k < depth; k++) {
      const at = tree + (<usize>i << 3);
      const featureOffset = <usize>load<u32>(at, 4);
      const next = step(tree, i, row);
      const there = k + 1 < depth ? <f64>load<f32>(vals + (<usize>next << 2)) : leaf(tree, next);
      const slot = out + (featureOffset << 1); // f32 offset * 2 = f64 offset
      store<f64>(slot, load<f64>(slot) + (here - there));
      here = there;
      i = next;
    }
  }
  const inv = 1.0 / <f64>trees;
  for (let j = 0; j < dims; j++) {
    const slot = out + (<usize>j << 3);
    store<f64>(slot, load<f64>(slot) * inv);
  }
}
