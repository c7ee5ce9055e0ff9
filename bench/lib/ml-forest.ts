// Moving trees between Cadence's tree ensembles and npm `ml-random-forest`, so that `bench trees`
// races the scorers on the very same trees: Cadence's fully grown trees in ml's format, and ml's
// own trained trees in Cadence's format. ml-cart goes left when x < splitValue; Cadence when
// f32(x) <= threshold: both sides are given the f32-rounded rows, and the split values are moved
// to the neighbouring float32 so that every row takes the same branch (a NaN goes right in both).
// ml-random-forest's probability is the share of trees voting 1, which is Cadence's mean of leaf
// values when the leaves are 0 or 1 (pure leaves, or ml's votes). Its `predictProbability` drops
// the first tree's vote (a `reduce` with no initial value), so agreement is checked on the votes.
import { RandomForestClassifier } from 'ml-random-forest';
import type { TreeEnsembleModel } from '../../scoring/models/tree-ensemble.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 next to finite v (itself a float32), upwards or downwards. */
function nextFloat32(v: number, up: boolean): number {
  if (v === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = v;
  u32[0] = v > 0 === up ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

interface MlNode {
  splitValue?: number;
  splitColumn?: number;
  gain?: number;
  left?: MlNode;
  right?: MlNode;
  distribution?: number[][] | { maxRowIndex(row: number): [number, number] };
}

function toMlNode(m: TreeEnsembleModel, base: number, k: number): MlNode {
  if (m.feature[k]! < 0) return { distribution: [[1 - m.value[k]!, m.value[k]!]] };
  const left = base + m.left[k]!;
  // f32 x <= t  <=>  x < the next float32 above t.
  return { splitValue: nextFloat32(m.threshold[k]!, true), splitColumn: m.feature[k]!, gain: 1, left: toMlNode(m, base, left), right: toMlNode(m, base, left + 1) };
}

/** An ml-random-forest classifier holding the model's trees, every tree seeing every column. */
export function toMlRandomForest(m: TreeEnsembleModel): RandomForestClassifier {
  const columns = Array.from({ length: m.features }, (_, j) => j);
  const baseModel = {
    indexes: Array.from({ length: m.trees }, () => columns),
    n: m.features,
    replacement: true,
    maxFeatures: m.features,
    nEstimators: m.trees,
    treeOptions: {},
    isClassifier: true,
    seed: 0,
    useSampleBagging: true,
    noOOB: true,
    estimators: Array.from({ length: m.trees }, (_, t) => ({
      name: 'DTClassifier',
      options: { gainFunction: 'gini', splitFunction: 'mean', minNumSamples: 3, maxDepth: Infinity, kind: 'classifier' },
      root: toMlNode(m, m.roots[t]!, m.roots[t]!),
    })),
  };
  return RandomForestClassifier.load({ name: 'RFClassifier', baseModel });
}

/** A trained ml-random-forest's trees as a Cadence ensemble (leaf value = the tree's vote). */
export function fromMlRandomForest(ml: RandomForestClassifier, features: number): TreeEnsembleModel {
  const { estimators, indexes } = ml as unknown as { estimators: { root: MlNode }[]; indexes: number[][] };
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const value: number[] = [];
  const roots = new Uint32Array(estimators.length + 1);
  estimators.forEach((est, t) => {
    const base = feature.length;
    roots[t] = base;
    // Breadth first: a split's two children take adjacent slots after it.
    const queue: MlNode[] = [est.root];
    feature.push(0), threshold.push(0), left.push(0), value.push(0);
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      const k = base + q;
      if (node.left && node.right) {
        const s = node.splitValue!;
        const r = Math.fround(s);
        feature[k] = indexes[t]![node.splitColumn!]!;
        // f32 x < s  <=>  x <= the largest float32 below s.
        threshold[k] = r < s ? r : nextFloat32(r, false);
        left[k] = queue.length;
        queue.push(node.left, node.right);
        for (let i = 0; i < 2; i++) feature.push(0), threshold.push(0), left.push(0), value.push(0);
      } else {
        const d = node.distribution as { maxRowIndex(row: number): [number, number] };
        feature[k] = -1;
        value[k] = d.maxRowIndex(0)[1];
      }
    }
  });
  roots[estimators.length] = feature.length;
  return {
    kind: 'rforest',
    features,
    trees: estimators.length,
    roots,
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Uint32Array.from(left),
    value: Float32Array.from(value),
    calibration: { a: -1, b: 0 },
    operatingThreshold: 0.5,
  };
}

/** Mean of ml-random-forest's per-tree votes for label 1 (what predictProbability means to give). */
export function mlVoteShare(ml: RandomForestClassifier, rows: number[][]): Float64Array {
  const votes = (ml as unknown as { predictionValues(x: number[][]): { rows: number; columns: number; get(i: number, j: number): number } }).predictionValues(rows);
  const out = new Float64Array(votes.rows);
  for (let i = 0; i < votes.rows; i++) {
    let s = 0;
    for (let j = 0; j < votes.columns; j++) s += votes.get(i, j) === 1 ? 1 : 0;
    out[i] = s / votes.columns;
  }
  return out;
}
