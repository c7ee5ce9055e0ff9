// MLP and autoencoder: WASM kernel parity with the TS twin, training determinism and sanity.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKernels } from '../../cli/build.ts';
import { loadKernels } from '../../wasm/node.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { mlpForward, mlpReconstructionError } from '../../wasm/reference.ts';
import { decodeModel, encodeModel } from '../../wasm/model-format.ts';
import type { Activation, MlpModel } from '../../scoring/models/mlp-model.ts';
import { trainAutoencoder, trainMlp } from '../../scoring/models/mlp.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { rocAuc } from '../../bench/lib/auc.ts';

let kernels: Kernels;
beforeAll(async () => {
  await buildKernels();
  kernels = await loadKernels();
}, 120_000);

function randomMlp(rng: Rng, sizes: number[], activations: Activation[], kind: MlpModel['kind'] = 'mlp'): MlpModel {
  return {
    kind,
    sizes,
    activations,
    weights: sizes.slice(1).map((out, l) => new Float32Array(out * sizes[l]!).map(() => rng.normal() / Math.sqrt(sizes[l]!))),
    biases: sizes.slice(1).map((out) => new Float32Array(out).map(() => rng.normal() * 0.1)),
    inputShift: new Float32Array(sizes[0]!).map(() => rng.normal()),
    inputScale: new Float32Array(sizes[0]!).map(() => 0.5 + rng.float()),
  };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('WASM MLP kernel vs TS twin', () => {
  const rng = new Rng(31);
  const shapes: [number[], Activation[]][] = [
    [[6, 128, 64, 32, 1], ['relu', 'relu', 'relu', 'sigmoid']], // seed 003
    [[5, 7, 3, 2], ['relu', 'sigmoid', 'linear']], // widths that are not multiples of four
    [[31, 20, 1], ['linear', 'sigmoid']],
    [[3, 1], ['linear']],
  ];
  for (const [sizes, acts] of shapes) {
    it(`forward ${sizes.join('-')} agrees within 1e-5, batch and one at a time`, () => {
      const m = randomMlp(rng, sizes, acts);
      const rows = new Float64Array(sizes[0]! * 57).map(() => rng.normal() * 3);
      const k = kernels.loadMlp(m);
      const wasm = k.forward(rows);
      expect(maxDiff(wasm, mlpForward(m, rows))).toBeLessThan(1e-5);
      const outW = sizes[sizes.length - 1]!;
      const first = Float64Array.from({ length: 57 }, (_, r) => wasm[r * outW]!);
      expect(maxDiff(k.score(rows), first)).toBe(0);
      expect(k.scoreOne(rows.subarray(0, sizes[0]!))).toBe(first[0]);
      k.dispose();
    });
  }

  it('autoencoder reconstruction error agrees within 1e-5', () => {
    const m = randomMlp(rng, [9, 12, 3, 12, 9], ['relu', 'relu', 'relu', 'linear'], 'autoencoder');
    const rows = new Float64Array(9 * 40).map(() => rng.normal());
    const k = kernels.loadMlp(m);
    const wasm = k.score(rows);
    expect(maxDiff(wasm, mlpReconstructionError(m, rows))).toBeLessThan(1e-5);
    expect(k.scoreOne(rows.subarray(9, 18))).toBeCloseTo(wasm[1]!, 12);
  });

  it('computes a hand-checked network', () => {
    // y = sigmoid(2 * relu(x0 - x1) + 0.5), inputs standardised by shift 1, scale 2.
    const m: MlpModel = {
      kind: 'mlp',
      sizes: [2, 1, 1],
      activations: ['relu', 'sigmoid'],
      weights: [Float32Array.from([1, -1]), Float32Array.from([2])],
      biases: [Float32Array.from([0]), Float32Array.from([0.5])],
      inputShift: Float32Array.from([1, 1]),
      inputScale: Float32Array.from([2, 2]),
    };
    const k = kernels.loadMlp(m);
    // x = (3, 2): standardised (4, 2), relu(2) = 2, sigmoid(4.5)
    expect(k.scoreOne([3, 2])).toBeCloseTo(1 / (1 + Math.exp(-4.5)), 6);
    // x = (2, 3): relu(-2) = 0, sigmoid(0.5)
    expect(k.scoreOne([2, 3])).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
  });
});

describe('MLP training', () => {
  // Two classes separated along a direction, with a nonlinear twist.
  function twoClasses(seed: number, n: number, d: number): { x: Float64Array; y: Uint8Array } {
    const rng = new Rng(seed);
    const x = new Float64Array(n * d);
    const y = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < d; j++) x[r * d + j] = rng.normal();
      y[r] = x[r * d]! * x[r * d]! + x[r * d + 1]! > 1 ? 1 : 0;
    }
    return { x, y };
  }

  it('is deterministic under a seed', () => {
    const { x, y } = twoClasses(1, 200, 6);
    const opts = { hidden: [8, 4], maxEpochs: 3, seed: 7 };
    const a = trainMlp(x, y, 6, opts);
    const b = trainMlp(x, y, 6, opts);
    expect(b.model).toEqual(a.model);
    expect(trainMlp(x, y, 6, { ...opts, seed: 8 }).model.weights[0]).not.toEqual(a.model.weights[0]);
  });

  it('learns a nonlinear boundary (held-out AUC > 0.9) and survives the model file', async () => {
    const { x, y } = twoClasses(2, 1200, 6);
    const test = twoClasses(3, 400, 6);
    const result = trainMlp(x, y, 6, { hidden: [32, 16], maxEpochs: 60, patience: 8, seed: 1 });
    const schema = ['a', 'b', 'c', 'd', 'e', 'f'];
    const model = await decodeModel(await encodeModel(result.model, schema), { schema, kind: 'mlp' });
    const scores = kernels.loadMlp(model as MlpModel).score(test.x);
    expect(rocAuc(scores, test.y)).toBeGreaterThan(0.9);
    expect(result.trainLoss[result.trainLoss.length - 1]!).toBeLessThan(result.trainLoss[0]!);
  });

  it('stops early when validation loss stops improving and keeps the best epoch', () => {
    const rng = new Rng(4);
    // Pure noise labels: nothing generalises, so validation loss stalls quickly.
    const x = new Float64Array(300 * 4).map(() => rng.normal());
    const y = Uint8Array.from({ length: 300 }, () => (rng.float() < 0.5 ? 1 : 0));
    const r = trainMlp(x, y, 4, { hidden: [16], maxEpochs: 200, patience: 5, seed: 2 });
    expect(r.epochs).toBeLessThan(200);
    expect(r.epochs - r.bestEpoch).toBe(5);
    expect(Math.min(...r.validationLoss)).toBe(r.validationLoss[r.bestEpoch]);
  });

  it('refuses bad input', () => {
    expect(() => trainMlp(new Float64Array(8), [0, 1, 2, 0], 2)).toThrow(/label 2/);
    expect(() => trainMlp(new Float64Array(8), [0, 1], 2)).toThrow(/2 labels for 4 rows/);
    expect(() => trainAutoencoder(Float64Array.from([1, 2, NaN, 4, 5, 6, 7, 8]), 2)).toThrow(/not finite/);
  });
});

describe('autoencoder training', () => {
  it('reconstructs its manifold and flags rows off it (AUC > 0.9)', () => {
    const rng = new Rng(12);
    const d = 6;
    const rows = (n: number, off: boolean): Float64Array => {
      const x = new Float64Array(n * d);
      for (let r = 0; r < n; r++) {
        // Inliers live on a 2-D plane in 6-D; outliers do not.
        const u = rng.normal();
        const v = rng.normal();
        const base = [u, v, u + v, u - v, 2 * u, -v];
        for (let j = 0; j < d; j++) x[r * d + j] = base[j]! + 0.05 * rng.normal() + (off ? 1.5 * rng.normal() : 0);
      }
      return x;
    };
    const train = rows(800, false);
    const r = trainAutoencoder(train, d, { hidden: [12, 2, 12], maxEpochs: 80, seed: 3, dropout: 0 });
    const test = new Float64Array([...rows(200, false), ...rows(20, true)]);
    const labels = new Uint8Array(220).fill(1, 200);
    const k = kernels.loadMlp(r.model);
    expect(rocAuc(k.score(test), labels)).toBeGreaterThan(0.9);
    expect(maxDiff(k.score(test), mlpReconstructionError(r.model, test))).toBeLessThan(1e-5);
  });
});
