// Isolation-forest scoring over linear memory: complete trees, branch-free descent, eight trees in
// flight at once so that their independent load chains overlap.
//
// Forest blob: trees in groups of eight, each group interleaved node by node. Heap node i (1-based:
// the children of i are 2i and 2i+1) of tree k of a group is the 8-byte entry at
// group + (i - 1) * 64 + k * 8, so one base register and constant offsets reach all eight trees.
// A split entry is (i32 threshold key, u32 address of its feature in the row slot); a leaf entry is
// (f32 path length, 0). A row goes to 2i+1 when key(x) > key(threshold), else to 2i. The host pads
// the last group with empty trees (threshold key i32.MAX, leaves 0) that add nothing to the sum.
//
// A step is kept to a handful of instructions: a feature's address is a plain load, and values
// compare as order-preserving i32 keys, an integer compare straight against memory. One row at a
// time, the descent waits on L2 (a 100-tree forest is 400 KB); a batch goes group by group, each
// group's 32 KB staying in L1 while every row passes through it.

/** Trees per group: the host lays the forest out in groups of this many. */
export const IFOREST_GROUP: i32 = 8;

/** Widest row the fixed slot holds. */
export const MAX_DIMS: i32 = 1024;
const SLOTS = memory.data(MAX_DIMS << 2, 16);
/**
 * Each cursor is also stored here as soon as it moves. The store is never read: it pins the step's
 * compare and move ahead of the next tree's loads, which V8 would otherwise hoist above them all,
 * keeping 24 values live and spilling half of them (measured: a batch 15% slower without it).
 */
const SINK = memory.data(16, 16);
/** Deepest forest whose groups the batch kernel copies to AREA (psi 256 has depth 8: 32 KB). */
const AREA_DEPTH: i32 = 8;
const AREA = memory.data(((2 << AREA_DEPTH) - 1) * 64, 64);

/** Address of the row slot: feature addresses point into it. */
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

/** Copies an f64 row (rounded to f32, as the forest's thresholds are) into a slot as keys. */
@inline
function toSlot64(row: usize, dims: i32, slot: usize): void {
  for (let j = 0; j < dims; j++) store<i32>(slot + (<usize>j << 2), key(<f32>load<f64>(row + (<usize>j << 3))));
}

@inline
function score(sum: f64, trees: i32, invC: f64): f64 {
  return Math.pow(2.0, -(sum / <f64>trees) * invC);
}

/**
 * Sum over one group's 8 trees of the path length of the row of keys at the slot + `shift` (0 for
 * the slot itself, which folds away; another row's distance from the slot in a batch). A cursor is
 * the address of its node, h + 64i with h the group's base minus 64, so a step is
 * child = 2 * cursor - h (+ 64 when going right): a conditional move, no index arithmetic.
 */
@inline
function groupPathSum(h: usize, depth: i32, shift: usize): f64 {
  const root = h + 64;
  let i0 = root, i1 = root, i2 = root, i3 = root, i4 = root, i5 = root, i6 = root, i7 = root;
  let q: usize = 0;
  for (let k = 0; k < depth; k++) {
    q = (i0 << 1) - h;
    i0 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i0, 4)) > load<i32>(i0, 0));
    store<usize>(SINK, i0);
    q = (i1 << 1) - h;
    i1 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i1, 12)) > load<i32>(i1, 8));
    store<usize>(SINK, i1);
    q = (i2 << 1) - h;
    i2 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i2, 20)) > load<i32>(i2, 16));
    store<usize>(SINK, i2);
    q = (i3 << 1) - h;
    i3 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i3, 28)) > load<i32>(i3, 24));
    store<usize>(SINK, i3);
    q = (i4 << 1) - h;
    i4 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i4, 36)) > load<i32>(i4, 32));
    store<usize>(SINK, i4);
    q = (i5 << 1) - h;
    i5 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i5, 44)) > load<i32>(i5, 40));
    store<usize>(SINK, i5);
    q = (i6 << 1) - h;
    i6 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i6, 52)) > load<i32>(i6, 48));
    store<usize>(SINK, i6);
    q = (i7 << 1) - h;
    i7 = select<usize>(q + 64, q, load<i32>(shift + <usize>load<u32>(i7, 60)) > load<i32>(i7, 56));
    store<usize>(SINK, i7);
  }
  return <f64>load<f32>(i0, 0) + <f64>load<f32>(i1, 8) + <f64>load<f32>(i2, 16) + <f64>load<f32>(i3, 24) + <f64>load<f32>(i4, 32) + <f64>load<f32>(i5, 40) + <f64>load<f32>(i6, 48) + <f64>load<f32>(i7, 56);
}

/** Anomaly score 2^(-E(h)/c(psi)) of one f64 row of `dims` values; `invC` is 1 / c(psi). */
export function iforestScoreOne(forest: usize, groups: i32, trees: i32, depth: i32, row: usize, dims: i32, invC: f64): f64 {
  toSlot64(row, dims, SLOTS);
  const groupBytes = <usize>((2 << depth) - 1) * 64;
  let sum: f64 = 0;
  let h = forest - 64;
  for (let g = 0; g < groups; g++) {
    sum += groupPathSum(h, depth, 0);
    h += groupBytes;
  }
  return score(sum, trees, invC);
}

/**
 * Scores `rows` f32 rows at `x` into `out` (f64 each); `x` is scratch and is overwritten with the
 * rows' keys. Group-major: one group's 8 trees (32 KB at psi 256) stay in L1 while every row goes
 * through them, so each step's node load hits L1 instead of L2, and a row's running sum waits in
 * `out`.
 */
export function iforestScoreBatch(forest: usize, groups: i32, trees: i32, depth: i32, x: usize, rows: i32, dims: i32, invC: f64, out: usize): void {
  const stride = <usize>dims << 2;
  const end = x + <usize>rows * stride;
  for (let p = x; p < end; p += 4) store<i32>(p, key(load<f32>(p)));
  for (let r = 0; r < rows; r++) store<f64>(out + (<usize>r << 3), 0);
  const groupBytes = <usize>((2 << depth) - 1) * 64;
  for (let g = 0; g < groups; g++) {
    const group = forest + <usize>g * groupBytes;
    let o = out;
    if (depth <= AREA_DEPTH) {
      // The group is copied to a fixed address, so its base is a constant folded into the step.
      memory.copy(AREA, group, groupBytes);
      for (let row = x; row < end; row += stride) {
        store<f64>(o, load<f64>(o) + groupPathSum(AREA - 64, depth, row - SLOTS));
        o += 8;
      }
    } else {
      for (let row = x; row < end; row += stride) {
        store<f64>(o, load<f64>(o) + groupPathSum(group - 64, depth, row - SLOTS));
        o += 8;
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    const o = out + (<usize>r << 3);
    store<f64>(o, score(load<f64>(o), trees, invC));
  }
}

/**
 * Per-feature contributions of one f64 row into `out` (f64 x dims): for every split on its paths, the
 * expected path length at the node (`values`: f32 per split node, tree-major, unpadded) minus that
 * at the child it went to, summed per feature and averaged over trees. They add up to
 * c(psi) - E(h): positive means the feature's splits isolated the row sooner than usual.
 */
export function iforestContributions(forest: usize, values: usize, trees: i32, depth: i32, row: usize, dims: i32, out: usize): void {
  const inner = (1 << depth) - 1;
  const groupBytes = <usize>((2 << depth) - 1) * 64;
  toSlot64(row, dims, SLOTS);
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
