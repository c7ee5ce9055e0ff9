// Isolation forest training (Liu, Ting & Zhou 2008) with scikit-learn's semantics, into a flat
// complete-tree layout that the WASM kernel and its TS twin score without branches.
import { Rng } from './rng.ts';

/** sklearn treats a feature whose range in a node is at most this as constant there. */
const FEATURE_THRESHOLD = 1e-7;

/** Euler-Mascheroni constant, as numpy's `np.euler_gamma`. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Average path length of an unsuccessful BST search among n points, c(n) in the paper; the
 * adjustment added at an external node that still holds n training points (sklearn's
 * `_average_path_length`).
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * A trained forest. Every tree is stored as a complete binary tree of `depth` levels in
 * breadth-first order (children of node i are 2i+1 and 2i+2), so scoring is exactly `depth`
 * steps of `i = 2i + 1 + (x[f] > t)`. A node that became external before the height limit is
 * padded with pass-through splits (threshold +Infinity: everything goes left) and copies of its
 * leaf value, which keeps the path lengths exact.
 */
export interface ForestModel {
  readonly kind: 'iforest';
  /** Width of a row (number of features). */
  readonly features: number;
  readonly trees: number;
  /** Levels of split nodes per tree: ceil(log2(sampleSize)). */
  readonly depth: number;
  /** Sub-sample size psi each tree was grown on; scores are normalised by c(psi). */
  readonly sampleSize: number;
  /** trees * (2^depth - 1) split thresholds; a row goes right when f32(x[f]) > threshold. */
  readonly thresholds: Float32Array;
  /** trees * (2^depth - 1) split feature indices. */
  readonly splitFeatures: Uint32Array;
  /** trees * 2^depth path lengths at the leaves: depth of the external node + c(size). */
  readonly leaves: Float32Array;
  /**
   * trees * (2^depth - 1) expected path lengths at each split node: its depth + c(size). The
   * difference between a node and the child a row takes is how much that split shortened (or
   * lengthened) the row's path; summed per feature it gives the row's contributions.
   */
  readonly nodeValues: Float32Array;
}

export interface ForestOptions {
  /** Number of trees (default 100). */
  trees?: number;
  /** Sub-sample size psi (default min(256, rows)). */
  sampleSize?: number;
  /** Seed of the random generator (default 0). */
  seed?: number;
}

/** Rows as one flat row-major array of `features` columns. */
export type Matrix = Float64Array | Float32Array;

/**
 * Fits an isolation forest on `rows` (row-major, `features` wide). As in scikit-learn: values are
 * rounded to float32; each tree sees psi rows drawn without replacement; a node splits on a feature
 * drawn uniformly among those not constant in it (range > 1e-7), at a threshold uniform in [min, max), going left
 * when x <= threshold; a node is external at the height limit, with one row, or when every feature
 * is constant in it.
 */
export function trainIsolationForest(rows: Matrix, features: number, options: ForestOptions = {}): ForestModel {
  if (!Number.isInteger(features) || features <= 0) throw new RangeError(`features must be a positive integer, got ${features}`);
  if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
  const n = rows.length / features;
  const trees = options.trees ?? 100;
  const sampleSize = options.sampleSize === undefined ? Math.min(256, n) : Math.min(options.sampleSize, n);
  if (!Number.isInteger(trees) || trees <= 0) throw new RangeError(`trees must be a positive integer, got ${trees}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new RangeError(`need a sample size of at least 2 rows, got ${sampleSize}`);
  for (let i = 0; i < rows.length; i++) {
    if (!Number.isFinite(rows[i]!)) throw new RangeError(`row ${Math.floor(i / features)} feature ${i % features} is not finite`);
  }
  const x = rows instanceof Float32Array ? rows : Float32Array.from(rows);
  const depth = Math.ceil(Math.log2(sampleSize));
  const inner = (1 << depth) - 1;
  const leafCount = 1 << depth;
  const model: ForestModel = {
    kind: 'iforest',
    features,
    trees,
    depth,
    sampleSize,
    thresholds: new Float32Array(trees * inner),
    splitFeatures: new Uint32Array(trees * inner),
    leaves: new Float32Array(trees * leafCount),
    nodeValues: new Float32Array(trees * inner),
  };
  const rng = new Rng(options.seed ?? 0);
  const candidates = new Uint32Array(features);
  for (let t = 0; t < trees; t++) {
    const sample = rng.sample(n, sampleSize);
    growTree(model, t, x, sample, rng, candidates);
  }
  return model;
}

function growTree(m: ForestModel, tree: number, x: Float32Array, sample: Uint32Array, rng: Rng, candidates: Uint32Array): void {
  const d = m.features;
  const inner = (1 << m.depth) - 1;
  const nodeBase = tree * inner;
  const leafBase = tree * (inner + 1);
  // Explicit stack of (node, start, end, level) over `sample`, partitioned in place.
  const stack: number[] = [0, 0, sample.length, 0];
  while (stack.length > 0) {
    const level = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const size = end - start;
    const value = level + averagePathLength(size);
    if (level === m.depth) {
      m.leaves[leafBase + node - inner] = value;
      continue;
    }
    let feature = -1;
    let lo = 0;
    let hi = 0;
    if (size > 1) {
      // Draw features without replacement until one is not constant in this node.
      for (let i = 0; i < d; i++) candidates[i] = i;
      for (let left = d; left > 0 && feature < 0; ) {
        const k = rng.int(left);
        const f = candidates[k]!;
        candidates[k] = candidates[--left]!;
        lo = Infinity;
        hi = -Infinity;
        for (let i = start; i < end; i++) {
          const v = x[sample[i]! * d + f]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (hi > lo + FEATURE_THRESHOLD) feature = f;
      }
    }
    if (feature < 0) {
      fillExternal(m, tree, node, level, value);
      continue;
    }
    let threshold = floorToF32(lo + rng.float() * (hi - lo));
    if (threshold >= hi) threshold = lo;
    m.thresholds[nodeBase + node] = threshold;
    m.splitFeatures[nodeBase + node] = feature;
    m.nodeValues[nodeBase + node] = value;
    // Partition: rows with x <= threshold first.
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (x[sample[i]! * d + feature]! <= threshold) i++;
      else {
        const t = sample[i]!;
        sample[i] = sample[j]!;
        sample[j--] = t;
      }
    }
    stack.push(2 * node + 2, i, end, level + 1);
    stack.push(2 * node + 1, start, i, level + 1);
  }
}

const f32Cell = new Float32Array(1);
const u32Cell = new Uint32Array(f32Cell.buffer);

/**
 * Largest float32 not above v (v finite, >= some float32 lower bound): comparing float32 data
 * with it, `x <= t`, decides exactly as comparing with the float64 threshold would.
 */
function floorToF32(v: number): number {
  f32Cell[0] = v;
  if (f32Cell[0]! <= v) return f32Cell[0]!;
  // Rounded up: step one ulp towards -Infinity.
  const bits = u32Cell[0]!;
  if (f32Cell[0] === 0) u32Cell[0] = 0x80000001;
  else u32Cell[0] = f32Cell[0]! > 0 ? bits - 1 : bits + 1;
  return f32Cell[0]!;
}

/** Pads the subtree under an early external node with pass-through splits and its leaf value. */
function fillExternal(m: ForestModel, tree: number, node: number, level: number, value: number): void {
  const inner = (1 << m.depth) - 1;
  const nodeBase = tree * inner;
  let first = node;
  for (let l = level, width = 1; l <= m.depth; l++, width <<= 1) {
    for (let k = first; k < first + width; k++) {
      if (l === m.depth) m.leaves[tree * (inner + 1) + k - inner] = value;
      else {
        m.thresholds[nodeBase + k] = Infinity;
        m.splitFeatures[nodeBase + k] = 0;
        m.nodeValues[nodeBase + k] = value;
      }
    }
    first = 2 * first + 1;
  }
}
