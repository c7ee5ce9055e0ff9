// Random forest: training semantics, WASM tree kernel parity with its TS twin (missing values too),
// determinism, calibration, the table encoding and the classification metrics.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildKernels } from '../../cli/build.ts';
import { loadKernels } from '../../wasm/node.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { trainRandomForest } from '../../scoring/models/rforest.ts';
import { calibrateAll, scoreTreesRaw, type TreeEnsembleModel } from '../../scoring/models/tree-ensemble.ts';
import { bestF1Threshold, fitPlatt } from '../../scoring/models/calibration.ts';
import { averagePrecision, classificationMetrics, rocAuc } from '../../scoring/models/classification-metrics.ts';
import { encodeRows, fitTableEncoding } from '../../scoring/features/tabular-encoding.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { parseLabelledTable, stratifiedSplit } from '../../bench/eval-supervised.ts';

let kernels: Kernels;
beforeAll(async () => {
  await buildKernels();
  kernels = await loadKernels();
}, 120_000);

/** Rows of d Gaussian features; positive when a noisy non-linear rule of the first three fires. */
function problem(seed: number, n: number, d: number, missing = 0, cut = 1): { x: Float64Array; y: Uint8Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) x[r * d + j] = rng.normal();
    y[r] = x[r * d]! * x[r * d + 1]! + Math.abs(x[r * d + 2]!) + 0.2 * rng.normal() > cut ? 1 : 0;
    for (let j = 0; j < d; j++) if (rng.float() < missing) x[r * d + j] = NaN;
  }
  return { x, y };
}

function checkShape(m: TreeEnsembleModel): void {
  for (let t = 0; t < m.trees; t++) {
    for (let k = m.roots[t]!; k < m.roots[t + 1]!; k++) {
      if (m.feature[k]! < 0) {
        expect(m.value[k]).toBeGreaterThanOrEqual(0);
        expect(m.value[k]).toBeLessThanOrEqual(1);
      } else {
        // Children inside the same tree, after their parent.
        const left = m.roots[t]! + m.left[k]!;
        expect(left).toBeGreaterThan(k);
        expect(left + 1).toBeLessThan(m.roots[t + 1]!);
      }
    }
  }
}

describe('trainRandomForest', () => {
  it('grows pure-leaf trees that separate a non-linear problem on held-out rows', () => {
    const train = problem(1, 1500, 8);
    const test = problem(2, 1000, 8);
    const m = trainRandomForest(train.x, train.y, 8, { trees: 40, seed: 3 });
    checkShape(m);
    const p = calibrateAll(m, scoreTreesRaw(m, test.x));
    expect(rocAuc(p, test.y)).toBeGreaterThan(0.9);
    // Fully grown trees fit their own bootstrap: training rows score near their label.
    const own = scoreTreesRaw(m, train.x);
    expect(rocAuc(own, train.y)).toBeGreaterThan(0.99);
    expect(m.operatingThreshold).toBeGreaterThan(0);
    expect(m.operatingThreshold).toBeLessThan(1);
    expect(m.calibration.a).toBeLessThan(0); // monotone increasing in the raw mean
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const { x, y } = problem(4, 400, 5);
    const a = trainRandomForest(x, y, 5, { trees: 10, seed: 9 });
    const b = trainRandomForest(x, y, 5, { trees: 10, seed: 9 });
    const c = trainRandomForest(x, y, 5, { trees: 10, seed: 10 });
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    expect(a.calibration).toEqual(b.calibration);
    expect(Array.from(a.value)).not.toEqual(Array.from(c.value));
  });

  it('learns from missing values (NaN goes right) and still separates the classes', () => {
    const train = problem(5, 1500, 6, 0.1);
    const test = problem(6, 800, 6, 0.1);
    const m = trainRandomForest(train.x, train.y, 6, { trees: 30, seed: 1 });
    expect(rocAuc(scoreTreesRaw(m, test.x), test.y)).toBeGreaterThan(0.8);
  });

  it('with balanced class weights, leans its raw scores towards the rare class', () => {
    const { x, y } = problem(7, 1000, 6, 0, 2.2); // about 10 % positive
    const plain = scoreTreesRaw(trainRandomForest(x, y, 6, { trees: 20, seed: 1, minSamplesSplit: 40 }), x);
    const weighted = scoreTreesRaw(trainRandomForest(x, y, 6, { trees: 20, seed: 1, minSamplesSplit: 40, classWeight: 'balanced' }), x);
    const mean = (v: Float64Array) => v.reduce((s, z) => s + z, 0) / v.length;
    expect(mean(weighted)).toBeGreaterThan(mean(plain) + 0.05);
  });

  it('refuses bad shapes and labels', () => {
    expect(() => trainRandomForest(new Float64Array(5), [0, 1], 2)).toThrow(/multiple/);
    expect(() => trainRandomForest(new Float64Array(4), [0, 2], 2)).toThrow(/label/);
    expect(() => trainRandomForest(new Float64Array(4), [0, 1, 1], 2)).toThrow(/labels/);
  });
});

describe('WASM tree kernel', () => {
  it('gives the twin probabilities within 1e-6, one row at a time and in batches, with missing values', () => {
    const train = problem(11, 1200, 13, 0.05);
    const test = problem(12, 700, 13, 0.05);
    // 37 trees: exercises both the eight-wide lockstep and the remainder.
    const m = trainRandomForest(train.x, train.y, 13, { trees: 37, seed: 2 });
    const kernel = kernels.loadTrees(m);
    const twin = scoreTreesRaw(m, test.x);
    const batch = kernel.score(test.x);
    let worst = 0;
    for (let i = 0; i < twin.length; i++) worst = Math.max(worst, Math.abs(batch[i]! - twin[i]!));
    for (let r = 0; r < 50; r++) worst = Math.max(worst, Math.abs(kernel.scoreOne(test.x.subarray(r * 13, (r + 1) * 13)) - twin[r]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(new Set(Array.from(twin)).size).toBeGreaterThan(20); // not a constant model
    kernel.dispose();
    expect(() => kernel.scoreOne(new Float64Array(13))).toThrow(/dispose/);
  });

  it('agrees with the twin within 1e-6 on any tree shapes and rows (ties, NaN, infinities, signed zeros)', () => {
    // Random ensembles built node by node (not trained), so shapes and thresholds go where training
    // never would; rows reuse the thresholds so that ties (x == threshold goes left) are common.
    const special = [NaN, Infinity, -Infinity, 0, -0, 1.401298464324817e-45, 3.4028234663852886e38];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 19 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 14 }), (seed, trees, d, depth) => {
        const rng = new Rng(seed);
        const feature: number[] = [];
        const threshold: number[] = [];
        const left: number[] = [];
        const value: number[] = [];
        const cuts: number[] = [];
        const roots = new Uint32Array(trees + 1);
        for (let t = 0; t < trees; t++) {
          const base = feature.length;
          roots[t] = base;
          const levels = [0];
          feature.push(0), threshold.push(0), left.push(0), value.push(0);
          for (let q = 0; q < levels.length; q++) {
            const k = base + q;
            if (levels[q]! < depth && rng.float() < 0.8) {
              const cut = rng.float() < 0.1 ? special[rng.int(special.length)]! : Math.fround(rng.normal() * 3);
              cuts.push(cut);
              feature[k] = rng.int(d);
              threshold[k] = cut;
              left[k] = levels.length;
              levels.push(levels[q]! + 1, levels[q]! + 1);
              feature.push(0, 0), threshold.push(0, 0), left.push(0, 0), value.push(0, 0);
            } else {
              feature[k] = -1;
              value[k] = rng.float();
            }
          }
        }
        roots[trees] = feature.length;
        const m: TreeEnsembleModel = { kind: 'rforest', features: d, trees, roots, feature: Int32Array.from(feature), threshold: Float32Array.from(threshold), left: Uint32Array.from(left), value: Float32Array.from(value), calibration: { a: -1, b: 0 }, operatingThreshold: 0.5 };
        const n = 40;
        const rows = new Float64Array(n * d);
        for (let i = 0; i < rows.length; i++) {
          const u = rng.float();
          rows[i] = u < 0.4 && cuts.length > 0 ? cuts[rng.int(cuts.length)]! : u < 0.5 ? special[rng.int(special.length)]! : rng.normal() * 3;
        }
        const kernel = kernels.loadTrees(m);
        try {
          const twin = scoreTreesRaw(m, rows);
          const batch = kernel.score(rows);
          for (let r = 0; r < n; r++) {
            expect(Math.abs(batch[r]! - twin[r]!)).toBeLessThanOrEqual(1e-6);
            expect(Math.abs(kernel.scoreOne(rows.subarray(r * d, (r + 1) * d)) - twin[r]!)).toBeLessThanOrEqual(1e-6);
          }
        } finally {
          kernel.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a row of the wrong width', () => {
    const { x, y } = problem(13, 200, 4);
    const kernel = kernels.loadTrees(trainRandomForest(x, y, 4, { trees: 3, seed: 1 }));
    expect(() => kernel.scoreOne([1, 2, 3])).toThrow(/4/);
    expect(() => kernel.score(new Float64Array(7))).toThrow(/multiple/);
    kernel.dispose();
  });
});

describe('calibration', () => {
  it('Platt scaling is monotone increasing and near the empirical rate', () => {
    const rng = new Rng(1);
    const s: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const v = rng.float();
      s.push(v);
      y.push(rng.float() < v * v ? 1 : 0);
    }
    const { a, b } = fitPlatt(s, y);
    expect(a).toBeLessThan(0);
    const p = (v: number) => 1 / (1 + Math.exp(a * v + b));
    expect(p(0.9)).toBeGreaterThan(p(0.1));
    expect(Math.abs(p(0.5) - 0.25)).toBeLessThan(0.1);
  });

  it('the F1 threshold is the best cut of a small example', () => {
    // Scores 0.9 (1), 0.8 (1), 0.7 (0), 0.6 (1), 0.1 (0): cutting at 0.6 gives F1 6/7, at 0.8 gives 0.8.
    expect(bestF1Threshold([0.9, 0.8, 0.7, 0.6, 0.1], [1, 1, 0, 1, 0])).toBe(0.6);
  });
});

describe('classification metrics', () => {
  it('match hand-computed AUC, average precision and the confusion matrix', () => {
    const p = [0.9, 0.8, 0.7, 0.6, 0.1];
    const y = [1, 0, 1, 0, 0];
    expect(rocAuc(p, y)).toBeCloseTo(5 / 6, 12);
    // scikit-learn: precision 1 at recall 0.5, 2/3 at recall 1 -> 0.5 + 0.5 * 2/3.
    expect(averagePrecision(p, y)).toBeCloseTo(0.5 + (0.5 * 2) / 3, 12);
    const m = classificationMetrics(p, y, 0.7);
    expect(m.confusion).toEqual({ tp: 2, fp: 1, tn: 2, fn: 0 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBe(1);
    expect(m.f1).toBeCloseTo(0.8, 12);
    expect(m.accuracy).toBeCloseTo(0.8, 12);
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
  });
});

describe('table encoding and split', () => {
  it('codes categories by training frequency, unseen ones past the end, missing cells as NaN', () => {
    const enc = fitTableEncoding(['device', 'clicks'], [['mobile', '3'], ['desktop', '5'], ['mobile', ''], ['tablet', 'NA']]);
    expect(enc.columns[0]!.kind).toBe('categorical');
    expect(enc.columns[1]!.kind).toBe('numeric');
    const x = encodeRows(enc, [['mobile', '2'], ['desktop', '?'], ['watch', '1'], ['', 'many']]);
    expect(Array.from(x.slice(0, 2))).toEqual([0, 2]);
    expect(x[2]).toBe(1); // desktop and tablet once each: ties by name
    expect(x[3]).toBeNaN();
    expect(x[4]).toBe(3); // unseen
    expect(x[6]).toBeNaN(); // missing category
    expect(x[7]).toBeNaN(); // a word in a numeric column
  });

  it('parses a labelled CSV with quotes and a label column anywhere, and splits each class 70/30', () => {
    const t = parseLabelledTable('a,label,b\n"x, y",1,2\nz,0,3\nz,0,\n');
    expect(t.names).toEqual(['a', 'b']);
    expect(t.cells[0]).toEqual(['x, y', '2']);
    expect(Array.from(t.labels)).toEqual([1, 0, 0]);
    expect(t.categorical).toEqual(['a']);
    expect(() => parseLabelledTable('a,label\n1,2\n')).toThrow(/label/);
    const labels = Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
    const { train, test } = stratifiedSplit(labels, 0.7, 3);
    expect(train.filter((i) => labels[i]).length).toBe(14);
    expect(test.length).toBe(30);
    expect(new Set([...train, ...test]).size).toBe(100);
  });
});
