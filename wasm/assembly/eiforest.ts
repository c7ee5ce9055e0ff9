// Extended isolation-forest scoring over linear memory: hyperplane splits as f32x4 dot products.
//
// Forest blob, per tree: `inner` split entries of (padded + 4) f32 each — the normal (padded to a
// multiple of 4 with zeros), then the offset and three unused floats, so entries stay 16-byte
// aligned — followed by 2^depth leaf path lengths (f32), the tree rounded up to 16 bytes. Rows
// are f32, `padded` wide, zero padded. A row goes right when dot(normal, row) > offset, with the
// dot as four lane sums added ((l0 + l1) + l2) + l3, as hyperplaneDot in the TS training code.

@inline
function treeBytes(depth: i32, padded: i32): usize {
  const inner = (1 << depth) - 1;
  return ((<usize>inner * <usize>(padded + 4) + <usize>(inner + 1)) * 4 + 15) & ~15;
}

@inline
function pathSum(forest: usize, trees: i32, depth: i32, padded: i32, row: usize): f64 {
  const inner = (1 << depth) - 1;
  const entry = <usize>(padded + 4) << 2;
  const stride = treeBytes(depth, padded);
  const rowBytes = <usize>padded << 2;
  let sum: f64 = 0;
  let tree = forest;
  for (let t = 0; t < trees; t++) {
    let i: u32 = 0;
    for (let k = 0; k < depth; k++) {
      const node = tree + <usize>i * entry;
      let acc = f32x4.splat(0);
      for (let j: usize = 0; j < rowBytes; j += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(node + j), v128.load(row + j)));
      const dot = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      i = (i << 1) + 1 + <u32>(dot > load<f32>(node + rowBytes));
    }
    sum += <f64>load<f32>(tree + <usize>inner * entry + ((<usize>i - <usize>inner) << 2));
    tree += stride;
  }
  return sum;
}

/** Scores `rows` zero-padded f32 rows into `out` (f64 each); `invC` is 1 / c(psi). */
export function eiforestScoreBatch(forest: usize, trees: i32, depth: i32, padded: i32, x: usize, rows: i32, invC: f64, out: usize): void {
  const rowBytes = <usize>padded << 2;
  for (let r = 0; r < rows; r++) {
    const s = pathSum(forest, trees, depth, padded, x + <usize>r * rowBytes);
    store<f64>(out + (<usize>r << 3), Math.pow(2.0, -(s / <f64>trees) * invC));
  }
}
