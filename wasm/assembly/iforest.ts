// Isolation-forest scoring over linear memory: complete trees, branch-free descent, eight trees
// (or two rows x four trees) in flight at once so that their independent load chains overlap.
//
// Forest blob: trees in groups of eight, each group interleaved node by node. Heap node i (1-based:
// the children of i are 2i and 2i+1) of tree k of a group is the 8-byte entry at
// group + (i - 1) * 64 + k * 8, so one base register and constant offsets reach all eight trees.
// A split entry is (i32 threshold key, u32 address of its feature in row slot A); a leaf entry is
// (f32 path length, 0). A row goes to 2i+1 when key(x) > key(threshold), else to 2i. The host pads
// the last group with empty trees (threshold key i32.MAX, leaves 0) that add nothing to the sum.
//
// The descent is bound by how many instructions the core retires, so a step is kept to a handful:
// the row is copied into a fixed slot, making a feature's address a plain load, and values compare
// as order-preserving i32 keys, an integer compare straight against memory.

/** Trees per group: the host lays the forest out in groups of this many. */
export const IFOREST_GROUP: i32 = 8;

/** Widest row the fixed slots hold. */
export const MAX_DIMS: i32 = 1024;
const SLOT_BYTES: usize = <usize>MAX_DIMS << 2;
const SLOTS = memory.data(<i32>SLOT_BYTES * 2, 16);

/** Address of row slot A (slot B follows at +MAX_DIMS*4): feature addresses point into it. */
export function iforestRowSlot(): usize {
  return SLOTS;
}

/**
 * Order-preserving i32 key of an f32: signed comparison of keys is float comparison. -0 becomes
 * +0 and NaN the smallest key, so NaN goes left like a failed float `x > t`.
 */
@inline
function key(v: f32): i32 {
  const b = reinterpret<i32>(v);
  if (v != v) return i32.MIN_VALUE;
  if (b == i32.MIN_VALUE) return 0;
  return b >= 0 ? b : b ^ 0x7fffffff;
}

/** The key of a threshold, for the host's upload (one definition of the mapping). */
export function iforestKey(v: f32): i32 {
  return key(v);
}

/** Copies an f32 row into a slot as keys. */
@inline
function toSlot(row: usize, dims: i32, slot: usize): void {
  for (let j = 0; j < dims; j++) store<i32>(slot + (<usize>j << 2), key(load<f32>(row + (<usize>j << 2))));
}

@inline
function score(sum: f64, trees: i32, invC: f64): f64 {
  return Math.pow(2.0, -(sum / <f64>trees) * invC);
}

/**
 * Sum over the forest of the path length of the row in slot A, 8 trees per pass. A cursor is
 * the address of its node, h + 64i with h the group's base minus 64, so a step is
 * child = 2 * cursor - h (+ 64 when going right): a conditional move, no index arithmetic.
 */
@inline
function pathSum(forest: usize, groups: i32, depth: i32): f64 {
  const groupBytes = <usize>((2 << depth) - 1) * 64;
  let sum: f64 = 0;
  let h = forest - 64;
  for (let g = 0; g < groups; g++) {
    const root = h + 64;
    let i0 = root, i1 = root, i2 = root, i3 = root, i4 = root, i5 = root, i6 = root, i7 = root;
    let q: usize = 0;
    for (let k = 0; k < depth; k++) {
      q = (i0 << 1) - h;
      i0 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i0, 4)) > load<i32>(i0, 0));
      q = (i1 << 1) - h;
      i1 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i1, 12)) > load<i32>(i1, 8));
      q = (i2 << 1) - h;
      i2 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i2, 20)) > load<i32>(i2, 16));
      q = (i3 << 1) - h;
      i3 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i3, 28)) > load<i32>(i3, 24));
      q = (i4 << 1) - h;
      i4 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i4, 36)) > load<i32>(i4, 32));
      q = (i5 << 1) - h;
      i5 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i5, 44)) > load<i32>(i5, 40));
      q = (i6 << 1) - h;
      i6 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i6, 52)) > load<i32>(i6, 48));
      q = (i7 << 1) - h;
      i7 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(i7, 60)) > load<i32>(i7, 56));
    }
    sum += <f64>load<f32>(i0, 0) + <f64>load<f32>(i1, 8) + <f64>load<f32>(i2, 16) + <f64>load<f32>(i3, 24) + <f64>load<f32>(i4, 32) + <f64>load<f32>(i5, 40) + <f64>load<f32>(i6, 48) + <f64>load<f32>(i7, 56);
    h += groupBytes;
  }
  return sum;
}

/** Anomaly score 2^(-E(h)/c(psi)) of one f32 row of `dims` values; `invC` is 1 / c(psi). */
export function iforestScoreOne(forest: usize, groups: i32, trees: i32, depth: i32, row: usize, dims: i32, invC: f64): f64 {
  toSlot(row, dims, SLOTS);
  return score(pathSum(forest, groups, depth), trees, invC);
}

/**
 * Scores `rows` rows into `out` (f64 each). Two rows share each half group of 4 trees: 8
 * chains in flight, and the second row finds the trees' upper levels in cache.
 */
export function iforestScoreBatch(forest: usize, groups: i32, trees: i32, depth: i32, x: usize, rows: i32, dims: i32, invC: f64, out: usize): void {
  const stride = <usize>dims << 2;
  const groupBytes = <usize>((2 << depth) - 1) * 64;
  let r = 0;
  for (; r + 2 <= rows; r += 2) {
    toSlot(x + <usize>r * stride, dims, SLOTS);
    toSlot(x + <usize>(r + 1) * stride, dims, SLOTS + SLOT_BYTES);
    let sa: f64 = 0;
    let sb: f64 = 0;
    let base = forest - 64;
    for (let g = 0; g < groups; g++) {
      // Trees 0..3 of the group, then the next 4 with the base moved by 32 bytes.
      for (let half = 0; half < 2; half++) {
        const h = base + <usize>half * 32;
        const root = h + 64;
        let a0 = root, a1 = root, a2 = root, a3 = root, b0 = root, b1 = root, b2 = root, b3 = root;
        let q: usize = 0;
        for (let k = 0; k < depth; k++) {
          q = (a0 << 1) - h;
          a0 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(a0, 4)) > load<i32>(a0, 0));
          q = (a1 << 1) - h;
          a1 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(a1, 12)) > load<i32>(a1, 8));
          q = (a2 << 1) - h;
          a2 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(a2, 20)) > load<i32>(a2, 16));
          q = (a3 << 1) - h;
          a3 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(a3, 28)) > load<i32>(a3, 24));
          q = (b0 << 1) - h;
          b0 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(b0, 4), SLOT_BYTES) > load<i32>(b0, 0));
          q = (b1 << 1) - h;
          b1 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(b1, 12), SLOT_BYTES) > load<i32>(b1, 8));
          q = (b2 << 1) - h;
          b2 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(b2, 20), SLOT_BYTES) > load<i32>(b2, 16));
          q = (b3 << 1) - h;
          b3 = select<usize>(q + 64, q, load<i32>(<usize>load<u32>(b3, 28), SLOT_BYTES) > load<i32>(b3, 24));
        }
        sa += <f64>load<f32>(a0, 0) + <f64>load<f32>(a1, 8) + <f64>load<f32>(a2, 16) + <f64>load<f32>(a3, 24);
        sb += <f64>load<f32>(b0, 0) + <f64>load<f32>(b1, 8) + <f64>load<f32>(b2, 16) + <f64>load<f32>(b3, 24);
      }
      base += groupBytes;
    }
    store<f64>(out + (<usize>r << 3), score(sa, trees, invC));
    store<f64>(out + (<usize>(r + 1) << 3), score(sb, trees, invC));
  }
  if (r < rows) {
    toSlot(x + <usize>r * stride, dims, SLOTS);
    store<f64>(out + (<usize>r << 3), score(pathSum(forest, groups, depth), trees, invC));
  }
}

/**
 * Per-feature contributions of one row into `out` (f64 x dims): for every split on its paths, the
 * expected path length at the node (`values`: f32 per split node, tree-major, unpadded) minus that
 * at the child it went to, summed per feature and averaged over trees. They add up to
 * c(psi) - E(h): positive means the feature's splits isolated the row sooner than usual.
 */
export function iforestContributions(forest: usize, values: usize, trees: i32, depth: i32, row: usize, dims: i32, out: usize): void {
  const inner = (1 << depth) - 1;
  const groupBytes = <usize>((2 << depth) - 1) * 64;
  toSlot(row, dims, SLOTS);
  for (let j = 0; j < dims; j++) store<f64>(out + (<usize>j << 3), 0);
  for (let t = 0; t < trees; t++) {
    // Tree t's node i at base + (group width * 8) * i.
    const base = forest + <usize>(t / 8) * groupBytes + (<usize>(t % 8) << 3) - 64;
    const vals = values + ((<usize>t * <usize>inner) << 2) - 4; // node i's value at vals + 4i
    let i: u32 = 1;
    let here = <f64>load<f32>(vals + 4);
    for (let k = 0; k < depth; k++) {
      const at = base + <usize>i * 64;
      const feature = (<usize>load<u32>(at, 4) - SLOTS) >> 2;
      const next = (i << 1) + <u32>(load<i32>(<usize>load<u32>(at, 4)) > load<i32>(at));
      const there = k + 1 < depth ? <f64>load<f32>(vals + (<usize>next << 2)) : <f64>load<f32>(base + <usize>next * 64);
      const slot = out + (feature << 3);
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
