// Isolation forest: training semantics, WASM kernel parity with its TS twin, determinism, a sanity AUC.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKernels } from '../../cli/build.ts';
import { loadKernels } from '../../wasm/node.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { forestContributions, scoreForest } from '../../wasm/reference.ts';
import { averagePathLength, trainIsolationForest, type ForestModel } from '../../scoring/models/iforest.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { rocAuc } from '../../bench/lib/auc.ts';

let kernels: Kernels;
beforeAll(async () => {
  await buildKernels();
  kernels = await loadKernels();
}, 120_000);

function gaussian(rng: Rng, n: number, d: number, scale = 1): Float64Array {
  return new Float64Array(n * d).map(() => rng.normal() * scale);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('averagePathLength', () => {
  it('matches c(n) of the paper and sklearn', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // 2 H(255) - 2 * 255 / 256 with H(i) ~ ln(i) + gamma
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649015329) - (2 * 255) / 256, 12);
  });
});

describe('trainIsolationForest', () => {
  it('grows complete trees of height ceil(log2 psi) with leaf values depth + c(size)', () => {
    const rng = new Rng(7);
    const m = trainIsolationForest(gaussian(rng, 300, 3), 3, { trees: 5, sampleSize: 100, seed: 1 });
    expect(m.depth).toBe(7);
    expect(m.thresholds.length).toBe(5 * 127);
    expect(m.leaves.length).toBe(5 * 128);
    // The root of every tree holds all psi rows.
    for (let t = 0; t < 5; t++) expect(m.nodeValues[t * 127]).toBeCloseTo(averagePathLength(100), 5);
    // A leaf holds at least one row (value >= its depth) unless padded below an early leaf.
    for (const v of m.leaves) expect(v).toBeGreaterThanOrEqual(1);
  });

  it('makes every tree a single external node when all rows are equal: every score is 0.5', async () => {
    const x = new Float64Array(40 * 2).fill(3);
    const m = trainIsolationForest(x, 2, { trees: 6, seed: 1 });
    // E(h) = c(psi) for every row, so 2^(-1) exactly.
    for (const s of scoreForest(m, x)) expect(s).toBeCloseTo(0.5, 6);
    for (const s of kernels.loadForest(m).score(x)) expect(s).toBeCloseTo(0.5, 6);
  });

  it('never splits on a constant feature', () => {
    const rng = new Rng(3);
    const n = 200;
    const x = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      x[i * 3] = 5; // constant
      x[i * 3 + 1] = rng.normal();
      x[i * 3 + 2] = 5; // constant
    }
    const m = trainIsolationForest(x, 3, { trees: 10, seed: 2 });
    for (let i = 0; i < m.thresholds.length; i++) {
      if (m.thresholds[i] !== Infinity) expect(m.splitFeatures[i]).toBe(1);
    }
  });

  it('scores a hand-checked tiny forest', () => {
    // 4 rows on a line, psi = 4, depth 2: an outlier at 100 is isolated first, more often than not.
    const x = Float64Array.from([0, 1, 2, 100]);
    const m = trainIsolationForest(x, 1, { trees: 200, seed: 5 });
    const s = scoreForest(m, x);
    expect(s[3]!).toBeGreaterThan(s[0]!);
    expect(s[3]!).toBeGreaterThan(s[1]!);
    // Its path length is 1 whenever the first split falls in (2, 100): ~98% of the trees.
    const eh = -Math.log2(s[3]!) * averagePathLength(4);
    expect(eh).toBeGreaterThan(1);
    expect(eh).toBeLessThan(1.1);
  });

  it('is deterministic under a seed and differs across seeds', () => {
    const x = gaussian(new Rng(11), 500, 4);
    const a = trainIsolationForest(x, 4, { trees: 20, seed: 42 });
    const b = trainIsolationForest(x, 4, { trees: 20, seed: 42 });
    const c = trainIsolationForest(x, 4, { trees: 20, seed: 43 });
    expect(b).toEqual(a);
    expect(Array.from(c.thresholds)).not.toEqual(Array.from(a.thresholds));
  });

  it('refuses bad input', () => {
    expect(() => trainIsolationForest(new Float64Array(5), 2)).toThrow(/multiple/);
    expect(() => trainIsolationForest(Float64Array.from([1, NaN, 2, 3]), 2)).toThrow(/not finite/);
    expect(() => trainIsolationForest(new Float64Array(1), 1)).toThrow(/at least 2/);
  });

  it('ranks planted outliers above a Gaussian cloud (AUC > 0.95)', () => {
    const rng = new Rng(9);
    const d = 6;
    const inliers = gaussian(rng, 1000, d);
    const outliers = new Float64Array(30 * d).map(() => (rng.float() < 0.5 ? -1 : 1) * (4 + 2 * rng.float()));
    const x = new Float64Array([...inliers, ...outliers]);
    const labels = new Uint8Array(1030);
    labels.fill(1, 1000);
    const m = trainIsolationForest(x, d, { seed: 1 });
    expect(rocAuc(kernels.loadForest(m).score(x), labels)).toBeGreaterThan(0.95);
  });
});

describe('WASM forest kernel vs TS twin', () => {
  let model: ForestModel;
  let rows: Float64Array;
  const d = 31;
  beforeAll(() => {
    const rng = new Rng(21);
    // 37 trees: exercises the padded last group of eight.
    model = trainIsolationForest(gaussian(rng, 800, d), d, { trees: 37, sampleSize: 200, seed: 4 });
    // Fresh rows, wider than the training data, plus NaN and infinities.
    rows = gaussian(rng, 301, d, 2);
    rows[5] = NaN;
    rows[40] = Infinity;
    rows[41] = -Infinity;
  });

  it('batch scores agree within 1e-5', () => {
    const wasm = kernels.loadForest(model).score(rows);
    expect(maxDiff(wasm, scoreForest(model, rows))).toBeLessThan(1e-5);
    for (const s of wasm) expect(s).toBeGreaterThan(0);
  });

  it('scores a last group of at most 4 trees 4 wide like its twin (34 and 100 trees)', () => {
    for (const trees of [34, 100]) {
      const m = trainIsolationForest(gaussian(new Rng(trees), 400, d), d, { trees, sampleSize: 256, seed: 3 });
      const f = kernels.loadForest(m);
      const twin = scoreForest(m, rows);
      expect(maxDiff(f.score(rows), twin)).toBeLessThan(1e-5);
      const one = Float64Array.from({ length: 301 }, (_, r) => f.scoreOne(rows.subarray(r * d, (r + 1) * d)));
      expect(maxDiff(one, twin)).toBeLessThan(1e-5);
    }
  });

  it('scores a forest deeper than the batch kernel keeps in L1 (psi 600: depth 10) like its twin', () => {
    const deep = trainIsolationForest(gaussian(new Rng(5), 900, d), d, { trees: 11, sampleSize: 600, seed: 2 });
    expect(deep.depth).toBe(10);
    const f = kernels.loadForest(deep);
    const batch = f.score(rows);
    expect(maxDiff(batch, scoreForest(deep, rows))).toBeLessThan(1e-5);
    expect(Math.abs(f.scoreOne(rows.subarray(0, d)) - batch[0]!)).toBeLessThan(1e-12);
  });

  it('one-at-a-time and float32 input agree with the batch', () => {
    const f = kernels.loadForest(model);
    const batch = f.score(rows);
    const one = Float64Array.from({ length: 301 }, (_, r) => f.scoreOne(rows.subarray(r * d, (r + 1) * d)));
    expect(maxDiff(one, batch)).toBeLessThan(1e-12);
    expect(maxDiff(f.score(Float32Array.from(rows)), batch)).toBeLessThan(1e-12);
  });

  it('orders signed zeros, subnormals, infinities and NaN against thresholds as float compares do', () => {
    // Thresholds and row values drawn from the same edge cases, so rows land exactly on thresholds.
    const special = [0, -0, 1, -1, 1.4e-45, -1.4e-45, 1.2e-38, -1.2e-38, Infinity, -Infinity, 3.4e38, -3.4e38];
    const rng = new Rng(9);
    const edgy: ForestModel = { ...model, thresholds: model.thresholds.map(() => special[rng.int(special.length)]!) };
    const values = [...special, NaN];
    const x = new Float64Array(400 * d).map(() => values[rng.int(values.length)]!);
    const f = kernels.loadForest(edgy);
    const twin = scoreForest(edgy, x);
    expect(maxDiff(f.score(x), twin)).toBeLessThan(1e-5);
    const one = Float64Array.from({ length: 400 }, (_, r) => f.scoreOne(x.subarray(r * d, (r + 1) * d)));
    expect(maxDiff(one, twin)).toBeLessThan(1e-5);
  });

  it('contributions agree and sum to c(psi) - E(h)', () => {
    const f = kernels.loadForest(model);
    const c = averagePathLength(model.sampleSize);
    for (let r = 0; r < 20; r++) {
      const row = rows.subarray(r * d, (r + 1) * d);
      const wasm = f.contributions(row);
      expect(maxDiff(wasm, forestContributions(model, row))).toBeLessThan(1e-5);
      const eh = -Math.log2(f.scoreOne(row)) * c;
      expect(wasm.reduce((s, v) => s + v, 0)).toBeCloseTo(c - eh, 4);
    }
  });

  it('names the feature that makes a row anomalous', () => {
    const f = kernels.loadForest(model);
    const row = new Float64Array(d);
    row[17] = 25;
    const contrib = f.contributions(row);
    const top = contrib.indexOf(Math.max(...contrib));
    expect(top).toBe(17);
  });

  it('keeps several forests resident and frees them', () => {
    const rng = new Rng(2);
    const other = trainIsolationForest(gaussian(rng, 300, 5), 5, { trees: 10, seed: 1 });
    const a = kernels.loadForest(model);
    const b = kernels.loadForest(other);
    const otherRows = gaussian(rng, 50, 5);
    expect(maxDiff(b.score(otherRows), scoreForest(other, otherRows))).toBeLessThan(1e-5);
    expect(maxDiff(a.score(rows), scoreForest(model, rows))).toBeLessThan(1e-5);
    b.dispose();
    expect(() => b.score(otherRows)).toThrow(/dispose/);
    // The freed block is reused and the first forest is untouched.
    const c = kernels.loadForest(other);
    expect(maxDiff(c.score(otherRows), scoreForest(other, otherRows))).toBeLessThan(1e-5);
    expect(maxDiff(a.score(rows), scoreForest(model, rows))).toBeLessThan(1e-5);
    expect(() => a.scoreOne(new Float64Array(3))).toThrow(/31/);
  });
});
