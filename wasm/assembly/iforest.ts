// Isolation-forest scoring over linear memory: complete trees, branch-free descent, eight trees in
// flight at once so that their independent load chains overlap.
//
// Forest blob: trees one after another, each a "blocked heap" of 64-byte blocks that each hold a
// three-level subtree (7 entries of 8 bytes, in heap order within the block). Levels 0-2 of a tree
// are its first block, the 8 blocks below it hold levels 3-5, the 64 below those levels 6-8, and so
// on, each level of blocks (a region) after the one above it. A row's path through a depth-8 tree
// touches 3 cache lines instead of 9: one row at a time the forest (nearly 500 KB at 100 trees)
// cannot stay in L1, and each line that is not there costs an L2 round trip on the path's chain of
// dependent loads. Depth 8 (psi 256, the default) fills its blocks exactly; other depths leave part
// of the last region's blocks empty, up to 4.6 times the bytes of a plain heap (never read).
//
// A split entry is (i32 threshold key, u32 address of its feature in the row slot); a leaf entry is
// (f32 path length, 0), on level `depth`. A row goes right when key(x) > key(threshold). From entry
// c, with c & 63 its offset in its 64-byte aligned block, the left child is at
//   - c + (c & 63) + 8 inside the block, the right one 8 bytes after it;
//   - 8 (c + (c & 63)) - 7 T - 320 from the block's bottom level, the right one 64 bytes after it
//     (T is the tree's base): block b of a region has its 8 children at 8b..8b+7 in the next one,
//     and region m + 1 starts at 8 R(m) + 64.
// So a step is a couple of instructions besides its loads, with no index to carry beside the cursor.
// The host pads the forest to whole groups with empty trees (threshold key i32.MAX, leaves 0) that
// add nothing to the sum.

/** Trees scored side by side: the host pads the forest to a multiple of this many. */
export const IFOREST_GROUP: i32 = 8;

/** Widest row the fixed slot holds. */
export const MAX_DIMS: i32 = 1024;
const SLOTS = memory.data(MAX_DIMS << 2, 16);
/**
 * Each cursor is also stored here as soon as it moves. The store is never read: it pins the step's
 * compare and move ahead of the next tree's loads, which V8 would otherwise hoist above them all,
 * keeping 24 values live and spilling half of them (measured without it: a batch 15% slower, one
 * row per call 5-10%).
 */
const SINK = memory.data(16, 16);
/** Bytes of a depth-8 tree (psi 256, the default): regions of 1, 8 and 64 blocks. */
const TREE8: usize = 73 * 64;
/** A group of depth-8 trees is copied here for a batch, so that its base folds into every step. */
const AREA = memory.data(<i32>TREE8 * 8, 64);

/** Address of the row slot: feature addresses point into it. */
export function iforestRowSlot(): usize {
  return SLOTS;
}

/** Bytes of one tree with `depth` levels of splits: regions of 1, 8, 64, ... blocks down to its leaves. */
export function iforestTreeBytes(depth: i32): i32 {
  const regions = depth / 3 + 1;
  return ((1 << (3 * regions)) - 1) / 7 * 64;
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

/**
 * The key of a row's value, branch-free and so also four at a time: key() except that -0 becomes
 * -1, which orders the same against every threshold's key (never -1: key() sends -0 to 0).
 */
@inline
function rowKey(v: f32): i32 {
  const b = reinterpret<i32>(v);
  return select<i32>(i32.MIN_VALUE, b ^ ((b >> 31) & 0x7fffffff), v != v);
}

/** rowKey() of four f32 lanes. */
@inline
function rowKeys4(v: v128): v128 {
  const k = v128.xor(v, v128.and(i32x4.shr_s(v, 31), i32x4.splat(0x7fffffff)));
  return v128.bitselect(i32x4.splat(i32.MIN_VALUE), k, f32x4.ne(v, v));
}

/** Copies an f64 row (rounded to f32, as the forest's thresholds are) into a slot as keys. */
@inline
function toSlot64(row: usize, dims: i32, slot: usize): void {
  let j = 0;
  for (; j + 4 <= dims; j += 4) {
    const at = row + (<usize>j << 3);
    const low = f32x4.demote_f64x2_zero(v128.load(at));
    const high = f32x4.demote_f64x2_zero(v128.load(at, 16));
    v128.store(slot + (<usize>j << 2), rowKeys4(i8x16.shuffle(low, high, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23)));
  }
  for (; j < dims; j++) store<i32>(slot + (<usize>j << 2), rowKey(<f32>load<f64>(row + (<usize>j << 3))));
}

@inline
function score(sum: f64, trees: i32, invC: f64): f64 {
  return Math.pow(2.0, -(sum / <f64>trees) * invC);
}

/** The next entry on a row's path from split entry c, inside c's block. */
@inline
function down(c: usize, right: bool): usize {
  const q = c + (c & 63) + 8;
  return select<usize>(q + 8, q, right);
}

/** The next entry on a row's path from split entry c on its block's bottom level; `o` is 7 T + 320. */
@inline
function across(c: usize, right: bool, o: usize): usize {
  const q = ((c + (c & 63)) << 3) - o;
  return select<usize>(q + 64, q, right);
}

/** Whether the row of keys at the slot + `shift` goes right at split entry c. */
@inline
function goesRight(c: usize, shift: usize): bool {
  return load<i32>(shift + <usize>load<u32>(c, 4)) > load<i32>(c);
}

/** down() of the row at the slot + `shift`; the new cursor also goes to SINK (see there). */
@inline
function stepIn(c: usize, shift: usize): usize {
  const next = down(c, goesRight(c, shift));
  store<usize>(SINK, next);
  return next;
}

/** across() of the row at the slot + `shift`; the new cursor also goes to SINK. */
@inline
function stepOut(c: usize, shift: usize, o: usize): usize {
  const next = across(c, goesRight(c, shift), o);
  store<usize>(SINK, next);
  return next;
}

/** across()'s `o` for the k-th depth-8 tree after `base`. */
@inline
function out8(base: usize, k: usize): usize {
  return (base + k * TREE8) * 7 + 320;
}

/**
 * Sum of the path lengths, through the 8 depth-8 trees at `base`, of the row of keys at the slot +
 * `shift` (0 for the slot itself, which folds away; another row's distance from the slot in a
 * batch). Unrolled, level by level: behind a loop's back-edge V8 kept the cursors on the stack.
 */
@inline
function groupPathSum8(base: usize, shift: usize): f64 {
  let c0 = base, c1 = base + TREE8, c2 = base + 2 * TREE8, c3 = base + 3 * TREE8;
  let c4 = base + 4 * TREE8, c5 = base + 5 * TREE8, c6 = base + 6 * TREE8, c7 = base + 7 * TREE8;
  // Levels 0-1 inside the first block, 2 out of it; 3-4 and 5 likewise; 6-7 end on the leaves.
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
  c0 = stepOut(c0, shift, out8(base, 0)); c1 = stepOut(c1, shift, out8(base, 1));
  c2 = stepOut(c2, shift, out8(base, 2)); c3 = stepOut(c3, shift, out8(base, 3));
  c4 = stepOut(c4, shift, out8(base, 4)); c5 = stepOut(c5, shift, out8(base, 5));
  c6 = stepOut(c6, shift, out8(base, 6)); c7 = stepOut(c7, shift, out8(base, 7));
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
  c0 = stepOut(c0, shift, out8(base, 0)); c1 = stepOut(c1, shift, out8(base, 1));
  c2 = stepOut(c2, shift, out8(base, 2)); c3 = stepOut(c3, shift, out8(base, 3));
  c4 = stepOut(c4, shift, out8(base, 4)); c5 = stepOut(c5, shift, out8(base, 5));
  c6 = stepOut(c6, shift, out8(base, 6)); c7 = stepOut(c7, shift, out8(base, 7));
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
  return <f64>load<f32>(c0) + <f64>load<f32>(c1) + <f64>load<f32>(c2) + <f64>load<f32>(c3) +
    <f64>load<f32>(c4) + <f64>load<f32>(c5) + <f64>load<f32>(c6) + <f64>load<f32>(c7);
}

/** groupPathSum8 of the first 4 trees at `base`: the last group, when at most 4 of its trees are real. */
@inline
function groupPathSum4(base: usize, shift: usize): f64 {
  let c0 = base, c1 = base + TREE8, c2 = base + 2 * TREE8, c3 = base + 3 * TREE8;
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c0 = stepOut(c0, shift, out8(base, 0)); c1 = stepOut(c1, shift, out8(base, 1));
  c2 = stepOut(c2, shift, out8(base, 2)); c3 = stepOut(c3, shift, out8(base, 3));
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c0 = stepOut(c0, shift, out8(base, 0)); c1 = stepOut(c1, shift, out8(base, 1));
  c2 = stepOut(c2, shift, out8(base, 2)); c3 = stepOut(c3, shift, out8(base, 3));
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
  return <f64>load<f32>(c0) + <f64>load<f32>(c1) + <f64>load<f32>(c2) + <f64>load<f32>(c3);
}

/** groupPathSum8 for any depth and tree size `tb`: the level decides each step's kind. */
@inline
function groupPathSum(base: usize, tb: usize, depth: i32, shift: usize): f64 {
  let c0 = base, c1 = base + tb, c2 = base + 2 * tb, c3 = base + 3 * tb;
  let c4 = base + 4 * tb, c5 = base + 5 * tb, c6 = base + 6 * tb, c7 = base + 7 * tb;
  const o = base * 7 + 320;
  const t = tb * 7;
  for (let k = 0; k < depth; k++) {
    if (k % 3 == 2) {
      c0 = stepOut(c0, shift, o); c1 = stepOut(c1, shift, o + t); c2 = stepOut(c2, shift, o + 2 * t);
      c3 = stepOut(c3, shift, o + 3 * t); c4 = stepOut(c4, shift, o + 4 * t); c5 = stepOut(c5, shift, o + 5 * t);
      c6 = stepOut(c6, shift, o + 6 * t); c7 = stepOut(c7, shift, o + 7 * t);
    } else {
      c0 = stepIn(c0, shift); c1 = stepIn(c1, shift); c2 = stepIn(c2, shift); c3 = stepIn(c3, shift);
      c4 = stepIn(c4, shift); c5 = stepIn(c5, shift); c6 = stepIn(c6, shift); c7 = stepIn(c7, shift);
    }
  }
  return <f64>load<f32>(c0) + <f64>load<f32>(c1) + <f64>load<f32>(c2) + <f64>load<f32>(c3) +
    <f64>load<f32>(c4) + <f64>load<f32>(c5) + <f64>load<f32>(c6) + <f64>load<f32>(c7);
}

/** Anomaly score 2^(-E(h)/c(psi)) of one f64 row of `dims` values; `invC` is 1 / c(psi). */
export function iforestScoreOne(forest: usize, groups: i32, trees: i32, depth: i32, row: usize, dims: i32, invC: f64): f64 {
  toSlot64(row, dims, SLOTS);
  let sum: f64 = 0;
  if (depth == 8) {
    // Whole groups of 8, then a last group of at most 4 real trees 4 wide: 100 trees are 12.5 groups.
    const end = forest + <usize>(trees >> 3) * 8 * TREE8;
    let base = forest;
    for (; base < end; base += 8 * TREE8) sum += groupPathSum8(base, 0);
    const rest = trees & 7;
    if (rest > 4) sum += groupPathSum8(base, 0);
    else if (rest > 0) sum += groupPathSum4(base, 0);
  } else {
    const tb = <usize>iforestTreeBytes(depth);
    const end = forest + <usize>groups * 8 * tb;
    for (let base = forest; base < end; base += 8 * tb) sum += groupPathSum(base, tb, depth, 0);
  }
  return score(sum, trees, invC);
}

/**
 * Scores `rows` f32 rows at `x` into `out` (f64 each); `x` is scratch and is overwritten with the
 * rows' keys. Group-major: one group's 8 trees (37 KB at psi 256) stay in L1 while every row goes
 * through them, so each step's loads hit L1, and a row's running sum waits in `out`.
 */
export function iforestScoreBatch(forest: usize, groups: i32, trees: i32, depth: i32, x: usize, rows: i32, dims: i32, invC: f64, out: usize): void {
  const stride = <usize>dims << 2;
  const end = x + <usize>rows * stride;
  let p = x;
  for (; p + 16 <= end; p += 16) v128.store(p, rowKeys4(v128.load(p)));
  for (; p < end; p += 4) store<i32>(p, rowKey(load<f32>(p)));
  for (let r = 0; r < rows; r++) store<f64>(out + (<usize>r << 3), 0);
  const tb = <usize>iforestTreeBytes(depth);
  for (let g = 0; g < groups; g++) {
    const group = forest + <usize>g * 8 * tb;
    let o = out;
    if (depth == 8) {
      // The group is copied to a fixed address, so its base is a constant folded into the step.
      // A last group with at most 4 real trees goes 4 wide (see iforestScoreOne).
      const four = g == groups - 1 && (trees & 7) != 0 && (trees & 7) <= 4;
      memory.copy(AREA, group, (four ? 4 : 8) * TREE8);
      for (let row = x; row < end; row += stride) {
        // The row goes to the slot, so that the feature addresses need no shift: one register and
        // one add per step fewer, for a copy of 8 vectors.
        let j: usize = 0;
        for (; j + 16 <= stride; j += 16) v128.store(SLOTS + j, v128.load(row + j));
        for (; j < stride; j += 4) store<i32>(SLOTS + j, load<i32>(row + j));
        store<f64>(o, load<f64>(o) + (four ? groupPathSum4(AREA, 0) : groupPathSum8(AREA, 0)));
        o += 8;
      }
    } else {
      for (let row = x; row < end; row += stride) {
        store<f64>(o, load<f64>(o) + groupPathSum(group, tb, depth, row - SLOTS));
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
  const tb = <usize>iforestTreeBytes(depth);
  toSlot64(row, dims, SLOTS);
  for (let j = 0; j < dims; j++) store<f64>(out + (<usize>j << 3), 0);
  for (let t = 0; t < trees; t++) {
    const base = forest + <usize>t * tb;
    const vals = values + ((<usize>t * <usize>inner) << 2) - 4; // heap node i's value at vals + 4i
    const o = base * 7 + 320;
    let c = base;
    let i: u32 = 1;
    let here = <f64>load<f32>(vals + 4);
    for (let k = 0; k < depth; k++) {
      const feature = (<usize>load<u32>(c, 4) - SLOTS) >> 2;
      const right = goesRight(c, 0);
      c = k % 3 == 2 ? across(c, right, o) : down(c, right);
      i = (i << 1) + <u32>right;
      const there = k + 1 < depth ? <f64>load<f32>(vals + (<usize>i << 2)) : <f64>load<f32>(c);
      const slot = out + (feature << 3);
      store<f64>(slot, load<f64>(slot) + (here - there));
      here = there;
    }
  }
  const inv = 1.0 / <f64>trees;
  for (let j = 0; j < dims; j++) {
    const slot = out + (<usize>j << 3);
    store<f64>(slot, load<f64>(slot) * inv);
  }
}
