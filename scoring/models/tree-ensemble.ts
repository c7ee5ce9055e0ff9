// A trained tree ensemble (random forest of probability trees) and its TypeScript scorer, the twin
// of the WASM kernel (wasm/assembly/trees.ts): both walk the same flat node arrays and add the
// same float32 leaf values in the same order into a float64 sum.

/**
 * Trees as one flat node array. Node k of the ensemble is a split when `feature[k] >= 0`: a row
 * goes to `left[k]` when f32(x[feature]) <= threshold[k], else to `left[k] + 1` (a missing value,
 * NaN, fails the comparison and so goes right, as it did while training). A leaf has feature -1
 * and holds the tree's probability of the positive class in `value[k]`. Children indices are
 * relative to the tree's first node, `roots[t]`.
 */
export interface TreeEnsembleModel {
  readonly kind: 'rforest';
  /** Width of a row. */
  readonly features: number;
  readonly trees: number;
  /** First node of each tree, then the total node count (trees + 1 entries). */
  readonly roots: Uint32Array;
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Uint32Array;
  readonly value: Float32Array;
  /** Platt scaling of the raw mean, fitted on out-of-bag rows: p = 1 / (1 + exp(a s + b)). */
  readonly calibration: { readonly a: number; readonly b: number };
  /** Calibrated probability at or above which a row is called positive (chosen on out-of-bag rows). */
  readonly operatingThreshold: number;
}

/** Widest row the kernel takes: its node word has 10 bits of feature index, one kept for leaves. */
export const MAX_TREE_FEATURES = 1023;

/** Mean over trees of the leaf probability each row reaches (row-major rows, `features` wide). */
export function scoreTreesRaw(m: TreeEnsembleModel, rows: Float64Array | Float32Array): Float64Array {
  const d = m.features;
  const n = Math.floor(rows.length / d);
  const out = new Float64Array(n);
  const row = new Float32Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) row[j] = rows[r * d + j]!;
    let sum = 0;
    for (let t = 0; t < m.trees; t++) {
      const base = m.roots[t]!;
      let k = base;
      for (;;) {
        const f = m.feature[k]!;
        if (f < 0) break;
        k = base + m.left[k]! + (row[f]! <= m.threshold[k]! ? 0 : 1);
      }
      sum += m.value[k]!;
    }
    out[r] = sum / m.trees;
  }
  return out;
}

/** Platt-calibrated probability of a raw forest mean. */
export function calibrate(m: Pick<TreeEnsembleModel, 'calibration'>, raw: number): number {
  return 1 / (1 + Math.exp(m.calibration.a * raw + m.calibration.b));
}

export function calibrateAll(m: Pick<TreeEnsembleModel, 'calibration'>, raw: ArrayLike<number>): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = calibrate(m, raw[i]!);
  return out;
}
