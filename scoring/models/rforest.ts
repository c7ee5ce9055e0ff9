// Random-forest training (Breiman 2001) with scikit-learn RandomForestClassifier's defaults:
// bootstrap samples of n rows, Gini impurity, sqrt(d) features tried per split, trees grown until
// their leaves are pure, leaf value = the (weighted) fraction of positives. Splits are searched on
// at most 255 quantile bins per feature (exact when a feature has fewer distinct values), which
// makes a node cost one pass over its rows per feature tried instead of a sort. Out-of-bag rows
// fit the Platt calibration and the operating threshold, so no held-out rows are spent on them.
import { Rng } from './rng.ts';
import { bestF1Threshold, fitPlatt } from './calibration.ts';
import { MAX_TREE_FEATURES, type TreeEnsembleModel } from './tree-ensemble.ts';

export interface ForestTrainOptions {
  trees?: number;
  seed?: number;
  /** Features tried per split (default floor(sqrt(d)), at least 1). */
  maxFeatures?: number;
  /** 'balanced' weighs each class by n / (2 n_class), as scikit-learn's class_weight='balanced'. */
  classWeight?: 'none' | 'balanced';
  /** A node with fewer rows than this is a leaf (default 2, scikit-learn's min_samples_split). */
  minSamplesSplit?: number;
  /** Deepest level (default unlimited). */
  maxDepth?: number;
}

/** Largest bin count per feature; one more code (MISSING) marks NaN. */
const MAX_BINS = 255;
const MISSING = 255;

/** Per-feature bins: `upper[f][b]` is the largest float32 value of bin b, the split threshold. */
interface Binned {
  codes: Uint8Array; // column-major: codes[f * n + i]
  upper: Float32Array[];
}

/** Rows (row-major, `features` wide, NaN = missing) and 0/1 labels. */
export function trainRandomForest(rows: Float64Array | Float32Array, labels: ArrayLike<number>, features: number, options: ForestTrainOptions = {}): TreeEnsembleModel {
  return trainRandomForestOob(rows, labels, features, options).model;
}

/**
 * trainRandomForest with each row's out-of-bag score (mean leaf value over the trees that never saw
 * it; NaN for a row every tree saw): held-out scores of the training rows at no extra training.
 */
export function trainRandomForestOob(rows: Float64Array | Float32Array, labels: ArrayLike<number>, features: number, options: ForestTrainOptions = {}): { model: TreeEnsembleModel; oob: Float64Array } {
  if (!Number.isInteger(features) || features <= 0 || features > MAX_TREE_FEATURES) throw new RangeError(`features must be an integer in 1..${MAX_TREE_FEATURES}, got ${features}`);
  if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
  const n = rows.length / features;
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} rows`);
  if (n < 2) throw new RangeError('need at least two rows');
  const trees = options.trees ?? 100;
  if (!Number.isInteger(trees) || trees <= 0) throw new RangeError(`trees must be a positive integer, got ${trees}`);
  const mtry = Math.max(1, Math.min(features, options.maxFeatures ?? Math.floor(Math.sqrt(features))));
  const minSplit = Math.max(2, options.minSamplesSplit ?? 2);
  const maxDepth = options.maxDepth ?? Infinity;
  const y = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l !== 0 && l !== 1) throw new RangeError(`label ${i} must be 0 or 1, got ${l}`);
    y[i] = l;
    positives += l;
  }
  const classW = options.classWeight === 'balanced' && positives > 0 && positives < n ? [n / (2 * (n - positives)), n / (2 * positives)] : [1, 1];
  const binned = binFeatures(rows, n, features);
  const rng = new Rng(options.seed ?? 0);
  const nodes = new NodeBuffer();
  const roots = new Uint32Array(trees + 1);
  const counts = new Uint16Array(n);
  const oobSum = new Float64Array(n);
  const oobVotes = new Uint16Array(n);
  const x32 = rows instanceof Float32Array ? rows : Float32Array.from(rows);
  const grower = new TreeGrower(binned, y, n, features, mtry, minSplit, maxDepth, classW);
  for (let t = 0; t < trees; t++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      counts[k] = counts[k]! + 1;
    }
    roots[t] = nodes.size;
    grower.grow(counts, rng, nodes);
    // Out-of-bag: rows this tree never saw.
    for (let i = 0; i < n; i++) {
      if (counts[i] !== 0) continue;
      oobSum[i] = oobSum[i]! + nodes.predict(roots[t]!, x32, i * features);
      oobVotes[i] = oobVotes[i]! + 1;
    }
  }
  roots[trees] = nodes.size;
  const model = nodes.toModel(features, trees, roots);
  // Calibration and threshold on rows with out-of-bag votes (nearly all of them past ~10 trees).
  const oobScores: number[] = [];
  const oobLabels: number[] = [];
  for (let i = 0; i < n; i++) {
    if (oobVotes[i] === 0) continue;
    oobScores.push(oobSum[i]! / oobVotes[i]!);
    oobLabels.push(y[i]!);
  }
  const calibration = oobScores.length >= 2 ? fitPlatt(oobScores, oobLabels) : { a: -1e-6, b: 0 };
  const calibrated = oobScores.map((s) => 1 / (1 + Math.exp(calibration.a * s + calibration.b)));
  const operatingThreshold = calibrated.length > 0 ? bestF1Threshold(calibrated, oobLabels) : 0.5;
  const oob = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) if (oobVotes[i]! > 0) oob[i] = oobSum[i]! / oobVotes[i]!;
  return { model: { ...model, calibration, operatingThreshold }, oob };
}

/** Float32-rounded values to bin codes; bin b holds the values <= upper[b] and > upper[b - 1]. */
function binFeatures(rows: Float64Array | Float32Array, n: number, d: number): Binned {
  const codes = new Uint8Array(n * d);
  const upper: Float32Array[] = [];
  const col = new Float32Array(n);
  for (let f = 0; f < d; f++) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = rows[i * d + f]!;
      if (v === v) col[m++] = v; // NaN (missing) left out of the cuts
    }
    const present = col.subarray(0, m).slice().sort();
    const distinct: number[] = [];
    for (let i = 0; i < m; i++) if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]!);
    let cuts: number[];
    if (distinct.length <= MAX_BINS) cuts = distinct;
    else {
      // Quantile cuts over the rows (merged where a heavy value spans several), then the maximum:
      // at most MAX_BINS codes, so that MISSING stays free.
      cuts = [];
      for (let b = 1; b < MAX_BINS; b++) {
        const v = present[Math.min(m - 1, Math.floor((b * m) / MAX_BINS) - 1)]!;
        if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
      }
      if (cuts[cuts.length - 1] !== present[m - 1]) cuts.push(present[m - 1]!);
    }
    const up = Float32Array.from(cuts);
    upper.push(up);
    const base = f * n;
    for (let i = 0; i < n; i++) {
      const v = Math.fround(rows[i * d + f]!);
      if (v !== v) {
        codes[base + i] = MISSING;
        continue;
      }
      // First bin whose upper bound is >= v.
      let lo = 0;
      let hi = up.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (up[mid]! >= v) hi = mid;
        else lo = mid + 1;
      }
      codes[base + i] = lo;
    }
  }
  return { codes, upper };
}

/** Growable node arrays for the whole ensemble. */
class NodeBuffer {
  size = 0;
  feature = new Int32Array(1024);
  threshold = new Float32Array(1024);
  left = new Uint32Array(1024);
  value = new Float32Array(1024);

  /** Appends `count` nodes and returns the first one's index. */
  add(count: number): number {
    const at = this.size;
    this.size += count;
    if (this.size > this.feature.length) {
      const cap = Math.max(this.size, this.feature.length * 2);
      const grow = <T extends Int32Array | Float32Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      this.feature = grow(this.feature, (k) => new Int32Array(k));
      this.threshold = grow(this.threshold, (k) => new Float32Array(k));
      this.left = grow(this.left, (k) => new Uint32Array(k));
      this.value = grow(this.value, (k) => new Float32Array(k));
    }
    return at;
  }

  predict(root: number, x: Float32Array, offset: number): number {
    let k = root;
    for (;;) {
      const f = this.feature[k]!;
      if (f < 0) return this.value[k]!;
      k = root + this.left[k]! + (x[offset + f]! <= this.threshold[k]! ? 0 : 1);
    }
  }

  toModel(features: number, trees: number, roots: Uint32Array): Omit<TreeEnsembleModel, 'calibration' | 'operatingThreshold'> {
    return {
      kind: 'rforest',
      features,
      trees,
      roots,
      feature: this.feature.slice(0, this.size),
      threshold: this.threshold.slice(0, this.size),
      left: this.left.slice(0, this.size),
      value: this.value.slice(0, this.size),
    };
  }
}

/** Grows one tree depth-first over the rows a bootstrap drew, reusing its scratch arrays. */
class TreeGrower {
  private readonly idx: Uint32Array;
  private readonly w: Float64Array;
  private readonly histW = new Float64Array(256);
  private readonly histP = new Float64Array(256);
  private readonly order: Uint32Array;

  constructor(
    private readonly bins: Binned,
    private readonly y: Uint8Array,
    private readonly n: number,
    private readonly d: number,
    private readonly mtry: number,
    private readonly minSplit: number,
    private readonly maxDepth: number,
    private readonly classW: number[],
  ) {
    this.idx = new Uint32Array(n);
    this.w = new Float64Array(n);
    this.order = new Uint32Array(d);
  }

  grow(counts: Uint16Array, rng: Rng, out: NodeBuffer): void {
    const { idx, w, y, classW } = this;
    let m = 0;
    for (let i = 0; i < this.n; i++) {
      if (counts[i] === 0) continue;
      idx[m] = i;
      w[i] = counts[i]! * classW[y[i]!]!;
      m++;
    }
    const root = out.add(1);
    // Stack of (node, start, end, depth).
    const stack: number[] = [root, 0, m, 0];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const node = stack.pop()!;
      let total = 0;
      let pos = 0;
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        total += w[r]!;
        if (y[r]) pos += w[r]!;
      }
      const split = end - start >= this.minSplit && depth < this.maxDepth && pos > 0 && pos < total ? this.bestSplit(start, end, total, pos, rng) : null;
      if (!split) {
        out.feature[node] = -1;
        out.value[node] = total > 0 ? pos / total : 0;
        continue;
      }
      const [f, bin] = split;
      const codes = this.bins.codes;
      const base = f * this.n;
      let i = start;
      let j = end - 1;
      while (i <= j) {
        if (codes[base + idx[i]!]! <= bin) i++;
        else {
          const t = idx[i]!;
          idx[i] = idx[j]!;
          idx[j--] = t;
        }
      }
      const left = out.add(2);
      out.feature[node] = f;
      out.threshold[node] = this.bins.upper[f]![bin]!;
      out.left[node] = left; // made relative to the tree's root below
      stack.push(left + 1, i, end, depth + 1);
      stack.push(left, start, i, depth + 1);
    }
    // Children indices relative to the root.
    for (let k = root; k < out.size; k++) if (out.feature[k]! >= 0) out.left[k] = out.left[k]! - root;
  }

  /** The best (feature, bin) over mtry non-constant features drawn at random, or null. */
  private bestSplit(start: number, end: number, total: number, pos: number, rng: Rng): [number, number] | null {
    const { idx, w, y, histW, histP, order, d } = this;
    const codes = this.bins.codes;
    for (let f = 0; f < d; f++) order[f] = f;
    let bestScore = Infinity;
    let bestF = -1;
    let bestBin = -1;
    let visited = 0;
    for (let left = d; left > 0 && visited < this.mtry; ) {
      const k = rng.int(left);
      const f = order[k]!;
      order[k] = order[--left]!;
      const bins = this.bins.upper[f]!.length;
      histW.fill(0, 0, bins);
      histP.fill(0, 0, bins);
      let missW = 0;
      let missP = 0;
      const base = f * this.n;
      let lo = 255;
      let hi = 0;
      for (let i = start; i < end; i++) {
        const r = idx[i]!;
        const c = codes[base + r]!;
        const wr = w[r]!;
        if (c === MISSING) {
          missW += wr;
          if (y[r]) missP += wr;
          continue;
        }
        histW[c] = histW[c]! + wr;
        if (y[r]) histP[c] = histP[c]! + wr;
        if (c < lo) lo = c;
        if (c > hi) hi = c;
      }
      const hasMissing = missW > 0;
      // Constant in this node (one bin, no missing; or all missing): not a candidate.
      if (lo > hi || (lo === hi && !hasMissing)) continue;
      visited++;
      let lw = 0;
      let lp = 0;
      // Left = bins <= b (missing always right). The last bin is a split only when rows are missing.
      const lastBin = hasMissing ? hi : hi - 1;
      for (let b = lo; b <= lastBin; b++) {
        lw += histW[b]!;
        lp += histP[b]!;
        if (histW[b] === 0 && b !== lastBin) continue;
        const rw = total - lw;
        const rp = pos - lp;
        if (lw <= 0 || rw <= 0) continue;
        // Weighted Gini of the children, up to a constant factor: sum over sides of p(1-p) w.
        const score = (lp * (lw - lp)) / lw + (rp * (rw - rp)) / rw;
        if (score < bestScore) {
          bestScore = score;
          bestF = f;
          bestBin = b;
        }
      }
    }
    return bestF < 0 ? null : [bestF, bestBin];
  }
}
