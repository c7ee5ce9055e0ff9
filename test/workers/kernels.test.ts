// The scoring kernels inside workerd: the same .wasm module, loader, training code and model format
// as in Node, checked against the TS twins.
import { describe, expect, it } from 'vitest';
import kernelModule from '../../wasm/build/kernels.wasm';
import { instantiateKernels } from '../../wasm/kernels.ts';
import { forestContributions, mlpForward, mlpReconstructionError, scoreForest } from '../../wasm/reference.ts';
import { decodeModel, encodeModel, parseModel } from '../../wasm/model-format.ts';
import { trainIsolationForest, type ForestModel } from '../../scoring/models/iforest.ts';
import { trainAutoencoder, trainMlp } from '../../scoring/models/mlp.ts';
import { Rng } from '../../scoring/models/rng.ts';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('kernels in workerd', () => {
  it('train a forest, round-trip its file and score it like the twin', async () => {
    const kernels = await instantiateKernels(kernelModule);
    const rng = new Rng(1);
    const d = 31;
    const x = new Float64Array(600 * d).map(() => rng.normal());
    const schema = Array.from({ length: d }, (_, j) => `f${j}`);
    const trained = trainIsolationForest(x, d, { trees: 100, seed: 2 });
    const model = (await decodeModel(await encodeModel(trained, schema), { schema, kind: 'iforest' })) as ForestModel;
    const forest = kernels.loadForest(model);
    const rows = x.subarray(0, 101 * d);
    expect(maxDiff(forest.score(rows), scoreForest(model, rows))).toBeLessThan(1e-5);
    expect(forest.scoreOne(rows.subarray(0, d))).toBeCloseTo(scoreForest(model, rows.subarray(0, d))[0]!, 12);
    expect(maxDiff(forest.contributions(rows.subarray(d, 2 * d)), forestContributions(model, rows.subarray(d, 2 * d)))).toBeLessThan(1e-5);
  });

  it('refuse a corrupted model file with the reason', async () => {
    const rng = new Rng(3);
    const model = trainIsolationForest(new Float64Array(200).map(() => rng.normal()), 2, { trees: 4, seed: 1 });
    const bytes = await encodeModel(model, ['a', 'b']);
    bytes[100]! ^= 1;
    const result = await parseModel(bytes, { schema: ['a', 'b'] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('checksum');
  });

  it('train an MLP and an autoencoder and run them like the twins', async () => {
    const kernels = await instantiateKernels(kernelModule);
    const rng = new Rng(4);
    const x = new Float64Array(200 * 6).map(() => rng.normal());
    const y = Uint8Array.from({ length: 200 }, (_, r) => (x[r * 6]! > 0 ? 1 : 0));
    const mlp = trainMlp(x, y, 6, { maxEpochs: 3, seed: 1 }).model;
    expect(mlp.sizes).toEqual([6, 128, 64, 32, 1]);
    expect(maxDiff(kernels.loadMlp(mlp).score(x), mlpForward(mlp, x))).toBeLessThan(1e-5);
    const ae = trainAutoencoder(x, 6, { maxEpochs: 3, seed: 1 }).model;
    expect(maxDiff(kernels.loadMlp(ae).score(x), mlpReconstructionError(ae, x))).toBeLessThan(1e-5);
  });
});
