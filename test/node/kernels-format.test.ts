// Model file format: round trips, and refusal (with the reason) of truncated, corrupted or mismatched files.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKernels } from '../../cli/build.ts';
import { loadKernels } from '../../wasm/node.ts';
import { mlpForward, scoreExtendedForest, scoreForest } from '../../wasm/reference.ts';
import { trainExtendedIsolationForest } from '../../scoring/models/eiforest.ts';
import { decodeModel, encodeModel, parseModel, ModelFormatError, type ModelFormatReason } from '../../wasm/model-format.ts';
import { trainIsolationForest } from '../../scoring/models/iforest.ts';
import type { MlpModel } from '../../scoring/models/mlp-model.ts';
import { Rng } from '../../scoring/models/rng.ts';

const schema = ['hold.mean', 'dd.mean', 'ud.mean'];
const rng = new Rng(5);
const forest = trainIsolationForest(new Float64Array(300).map(() => rng.normal()), 3, { trees: 7, seed: 1 });
const mlp: MlpModel = {
  kind: 'mlp',
  sizes: [3, 4, 1],
  activations: ['relu', 'sigmoid'],
  weights: [new Float32Array(12).map(() => rng.normal()), new Float32Array(4).map(() => rng.normal())],
  biases: [new Float32Array(4).fill(0.1), new Float32Array(1)],
  inputShift: new Float32Array(3),
  inputScale: new Float32Array(3).fill(1),
};

/** Re-signs a tampered file so that only the check under test can catch it. */
async function resign(bytes: Uint8Array): Promise<Uint8Array> {
  const body = bytes.subarray(0, bytes.length - 32);
  const out = bytes.slice();
  out.set(new Uint8Array(await crypto.subtle.digest('SHA-256', body as Uint8Array<ArrayBuffer>)), bytes.length - 32);
  return out;
}

async function refusal(bytes: Uint8Array, expectSchema = schema, kind?: 'iforest' | 'mlp'): Promise<{ reason: ModelFormatReason; message: string }> {
  const result = await parseModel(bytes, { schema: expectSchema, kind });
  if (result.ok) throw new Error('expected a refusal');
  return { reason: result.error.reason, message: result.error.message };
}

describe('model format', () => {
  it('round-trips a forest and an MLP exactly', async () => {
    expect(await decodeModel(await encodeModel(forest, schema), { schema, kind: 'iforest' })).toEqual(forest);
    expect(await decodeModel(await encodeModel(mlp, schema), { schema })).toEqual(mlp);
  });

  it('accepts a file at any byte offset of a larger buffer', async () => {
    const bytes = await encodeModel(forest, schema);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(await decodeModel(padded.subarray(3), { schema })).toEqual(forest);
  });

  it('refuses a truncated file', async () => {
    const bytes = await encodeModel(forest, schema);
    expect(await refusal(bytes.subarray(0, bytes.length - 1))).toMatchObject({ reason: 'truncated', message: expect.stringMatching(/declares \d+ bytes, file has/) });
    expect((await refusal(bytes.subarray(0, 20))).reason).toBe('truncated');
  });

  it('refuses trailing bytes', async () => {
    const bytes = await encodeModel(forest, schema);
    expect((await refusal(new Uint8Array([...bytes, 0]))).reason).toBe('length');
  });

  it('refuses any single flipped bit in the body by checksum', async () => {
    const bytes = await encodeModel(forest, schema);
    for (const at of [49, 200, bytes.length - 40, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at]! ^= 0x10;
      expect(await refusal(bad)).toMatchObject({ reason: 'checksum', message: expect.stringMatching(/corrupted/) });
    }
  });

  it('refuses another file type, another format version', async () => {
    const bytes = await encodeModel(forest, schema);
    const png = bytes.slice();
    png.set([0x89, 0x50, 0x4e, 0x47], 0);
    expect((await refusal(png)).reason).toBe('magic');
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(await refusal(await resign(v2))).toMatchObject({ reason: 'version', message: expect.stringMatching(/version 2/) });
  });

  it('refuses a model built for another feature schema or kind', async () => {
    const bytes = await encodeModel(forest, schema);
    expect(await refusal(bytes, ['hold.mean', 'ud.mean', 'dd.mean'])).toMatchObject({ reason: 'schema', message: expect.stringMatching(/different feature schema/) });
    expect((await refusal(bytes, ['a', 'b'])).reason).toBe('features');
    expect(await refusal(bytes, schema, 'mlp')).toMatchObject({ reason: 'kind', message: expect.stringMatching(/iforest model, expected mlp/) });
  });

  it('refuses a correctly signed file whose arrays are inconsistent', async () => {
    const bytes = await encodeModel(forest, schema);
    // First split feature index (after 3 u32 fields and the thresholds) set out of range.
    const inner = 7 * ((1 << forest.depth) - 1);
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(48 + 12 + inner * 4, 99, true);
    expect(await refusal(await resign(bad))).toMatchObject({ reason: 'payload', message: expect.stringMatching(/feature 99/) });
    const mlpBytes = await encodeModel(mlp, schema);
    const badAct = mlpBytes.slice();
    new DataView(badAct.buffer).setUint32(48 + 16, 9, true); // first activation code
    expect(await refusal(await resign(badAct))).toMatchObject({ reason: 'payload', message: expect.stringMatching(/activation/) });
  });

  it('decodeModel throws a ModelFormatError', async () => {
    await expect(decodeModel(new Uint8Array(10), { schema })).rejects.toBeInstanceOf(ModelFormatError);
  });

  it('refuses to encode a model with a schema of the wrong width', async () => {
    await expect(encodeModel(forest, ['a'])).rejects.toThrow(/schema names 1 features/);
  });
});

describe('loadModel', () => {
  beforeAll(async () => {
    await buildKernels();
  }, 120_000);

  it('scores any decoded model file by its kind, like the twins', async () => {
    const kernels = await loadKernels();
    const rows = new Float64Array(3 * 20).map(() => rng.normal());
    const eif = trainExtendedIsolationForest(rows, 3, { trees: 5, seed: 2 });
    const twins = [
      [forest, () => scoreForest(forest, rows)],
      [eif, () => scoreExtendedForest(eif, rows)],
      [mlp, () => mlpForward(mlp, rows)],
    ] as const;
    for (const [model, twin] of twins) {
      const decoded = await decodeModel(await encodeModel(model, schema), { schema });
      const scorer = kernels.loadModel(decoded);
      expect(scorer.features).toBe(3);
      const got = scorer.score(rows);
      const want = twin();
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
      scorer.dispose();
    }
  });
});
