// Extended isolation forest: hyperplane training, WASM kernel parity with its TS twin, model file.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKernels } from '../../cli/build.ts';
import { loadKernels } from '../../wasm/node.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { scoreExtendedForest } from '../../wasm/reference.ts';
import { decodeModel, encodeModel } from '../../wasm/model-format.ts';
import { trainExtendedIsolationForest, type ExtendedForestModel } from '../../scoring/models/eiforest.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { rocAuc } from '../../bench/lib/auc.ts';

let kernels: Kernels;
beforeAll(async () => {
  await buildKernels();
  kernels = await loadKernels();
}, 120_000);

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('extended isolation forest', () => {
  for (const d of [31, 5, 4]) {
    it(`WASM and TS twin agree within 1e-5 (${d} features)`, () => {
      const rng = new Rng(d);
      const x = new Float64Array(400 * d).map(() => rng.normal());
      const m = trainExtendedIsolationForest(x, d, { trees: 30, sampleSize: 128, seed: 1 });
      const rows = new Float64Array(77 * d).map(() => rng.normal() * 2);
      const k = kernels.loadExtendedForest(m);
      const wasm = k.score(rows);
      expect(maxDiff(wasm, scoreExtendedForest(m, rows))).toBeLessThan(1e-5);
      expect(k.scoreOne(rows.subarray(d, 2 * d))).toBe(wasm[1]);
      k.dispose();
    });
  }

  it('uses extension + 1 non-zero coordinates per normal', () => {
    const rng = new Rng(2);
    const x = new Float64Array(300 * 6).map(() => rng.normal());
    for (const extension of [0, 2, 5]) {
      const m = trainExtendedIsolationForest(x, 6, { trees: 3, extension, seed: 1 });
      const inner = (1 << m.depth) - 1;
      for (let k = 0; k < 3 * inner; k++) {
        if (m.offsets[k] === Infinity) continue; // pass-through below an early leaf
        let nonZero = 0;
        for (let j = 0; j < m.paddedFeatures; j++) if (m.normals[k * m.paddedFeatures + j] !== 0) nonZero++;
        expect(nonZero).toBe(extension + 1);
      }
    }
    expect(() => trainExtendedIsolationForest(x, 6, { extension: 6 })).toThrow(/extension/);
  });

  it('is deterministic under a seed', () => {
    const rng = new Rng(3);
    const x = new Float64Array(300 * 3).map(() => rng.normal());
    expect(trainExtendedIsolationForest(x, 3, { trees: 5, seed: 9 })).toEqual(trainExtendedIsolationForest(x, 3, { trees: 5, seed: 9 }));
  });

  it('ranks rows off a tilted ridge as anomalies (where axis-parallel cuts struggle)', () => {
    const rng = new Rng(4);
    const n = 1000;
    const x = new Float64Array((n + 20) * 2);
    for (let r = 0; r < n; r++) {
      const t = rng.normal() * 3;
      x[2 * r] = t + 0.1 * rng.normal();
      x[2 * r + 1] = t + 0.1 * rng.normal();
    }
    // Anomalies: inside the ridge's bounding box but off the diagonal.
    for (let r = n; r < n + 20; r++) {
      const t = rng.normal() * 2;
      x[2 * r] = t + 1.5;
      x[2 * r + 1] = t - 1.5;
    }
    const labels = new Uint8Array(n + 20).fill(1, n);
    const m = trainExtendedIsolationForest(x, 2, { seed: 1 });
    expect(rocAuc(kernels.loadExtendedForest(m).score(x), labels)).toBeGreaterThan(0.9);
  });

  it('round-trips through the model file and refuses another schema', async () => {
    const rng = new Rng(5);
    const m = trainExtendedIsolationForest(new Float64Array(200 * 3).map(() => rng.normal()), 3, { trees: 4, seed: 1 });
    const schema = ['a', 'b', 'c'];
    const bytes = await encodeModel(m, schema);
    const back = (await decodeModel(bytes, { schema, kind: 'eiforest' })) as ExtendedForestModel;
    expect(back).toEqual(m);
    await expect(decodeModel(bytes, { schema: ['a', 'c', 'b'] })).rejects.toThrow(/different feature schema/);
  });
});
