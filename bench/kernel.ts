// `cadence bench kernel [--json]`: the scoring kernels side by side in one process. Isolation forest
// (100 trees, psi 256, 31 features): WASM kernel, its TS twin, npm `isolation-forest` and
// `ml-isolation-forest`; the seed-003 MLP (6-128-64-32-1): WASM and TS twin. One row per call and
// batches of 5,000, in microseconds per row (median of --reps, default 11, implementations
// interleaved); the last stdout line is the JSON result.
import { IsolationForest as NpmIsolationForest, type DataObject } from 'isolation-forest';
import { IsolationForest as MlIsolationForest } from 'ml-isolation-forest';
import { flag, intOption } from './lib/args.ts';
import { measureInterleaved, type Impl, type Timing } from './lib/interleaved.ts';
import { buildKernels } from '../cli/build.ts';
import { loadKernels } from '../wasm/node.ts';
import { mlpForward, scoreForest } from '../wasm/reference.ts';
import { trainIsolationForest } from '../scoring/models/iforest.ts';
import type { MlpModel } from '../scoring/models/mlp-model.ts';
import { Rng } from '../scoring/models/rng.ts';

const D = 31;
const TRAIN = 256;
const BATCH = 5000;

/** Correlated Gaussian rows with ~5% shifted anomalies: a realistic spread of path lengths. */
function makeRows(rng: Rng, n: number, d: number, mix: Float64Array): Float64Array {
  const x = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) z[j] = rng.normal();
    const anomalous = rng.float() < 0.05;
    for (let j = 0; j < d; j++) {
      let v = z[j]!;
      for (let k = 0; k < j; k++) v += mix[j * d + k]! * z[k]!;
      x[r * d + j] = v + (anomalous && j % 5 === 0 ? 4 : 0);
    }
  }
  return x;
}

function table(title: string, timings: Map<string, Timing>): string {
  const base = timings.get('wasm')!;
  const lines = [`${title}`, `  ${'implementation'.padEnd(22)}${'one per call'.padStart(16)}${'x wasm'.padStart(9)}${'batch 5,000'.padStart(16)}${'x wasm'.padStart(9)}`];
  for (const [name, t] of timings) {
    lines.push(
      `  ${name.padEnd(22)}${`${t.single_us.toFixed(3)} us`.padStart(16)}${(t.single_us / base.single_us).toFixed(1).padStart(9)}${`${t.batch_us.toFixed(3)} us`.padStart(16)}${(t.batch_us / base.batch_us).toFixed(1).padStart(9)}`,
    );
  }
  return lines.join('\n');
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export async function run(argv: string[]): Promise<number> {
  const reps = intOption(argv, 'reps', 11);
  await buildKernels();
  const kernels = await loadKernels();
  const rng = new Rng(2024);
  const mix = new Float64Array(D * D).map(() => (rng.float() < 0.1 ? rng.normal() * 0.5 : 0));
  const train = makeRows(rng, TRAIN, D, mix);
  const x = makeRows(rng, BATCH, D, mix);
  const views = Array.from({ length: BATCH }, (_, r) => x.subarray(r * D, (r + 1) * D));
  const arrays = views.map((v) => Array.from(v));
  const trainArrays = Array.from({ length: TRAIN }, (_, r) => Array.from(train.subarray(r * D, (r + 1) * D)));

  // Same training rows for all: psi = 256 = the training set, so every forest grows to height 8.
  const model = trainIsolationForest(train, D, { trees: 100, sampleSize: 256, seed: 1 });
  const forest = kernels.loadForest(model);
  // isolation-forest reads rows as objects by key; arrays are objects keyed '0'..'30' (its split
  // attributes come from Object.keys), so they serve as its DataObject without a conversion.
  const npm = new NpmIsolationForest(100, 256);
  npm.fit(trainArrays as unknown as DataObject[]);
  const npmRows = arrays as unknown as DataObject[];
  const ml = new MlIsolationForest({ nEstimators: 100 });
  ml.train(trainArrays);
  const peerRows = 1000;
  const forestImpls: Impl[] = [
    { name: 'wasm', singleRows: BATCH, one: (r) => forest.scoreOne(views[r]!), batch: () => forest.score(x) },
    { name: 'ts', singleRows: BATCH, one: (r) => scoreForest(model, views[r]!)[0]!, batch: () => scoreForest(model, x) },
    { name: 'isolation-forest', singleRows: peerRows, one: (r) => npm.predict([npmRows[r]!])[0]!, batch: () => npm.predict(npmRows) },
    { name: 'ml-isolation-forest', singleRows: peerRows, one: (r) => ml.predict([arrays[r]!])[0]!, batch: () => ml.predict(arrays) },
  ];
  process.stderr.write(`forest parity wasm vs ts: max |diff| ${maxDiff(forest.score(x), scoreForest(model, x)).toExponential(2)}\n`);

  const mlp = seed003Mlp(new Rng(3));
  const mlpKernel = kernels.loadMlp(mlp);
  const mx = new Float64Array(BATCH * 6).map(() => rng.normal());
  const mviews = Array.from({ length: BATCH }, (_, r) => mx.subarray(r * 6, (r + 1) * 6));
  const mlpImpls: Impl[] = [
    { name: 'wasm', singleRows: BATCH, one: (r) => mlpKernel.scoreOne(mviews[r]!), batch: () => mlpKernel.score(mx) },
    { name: 'ts', singleRows: BATCH, one: (r) => mlpForward(mlp, mviews[r]!)[0]!, batch: () => mlpForward(mlp, mx) },
  ];
  process.stderr.write(`mlp parity wasm vs ts: max |diff| ${maxDiff(mlpKernel.score(mx), mlpForward(mlp, mx)).toExponential(2)}\n`);

  const iforest = measureInterleaved(forestImpls, reps, BATCH);
  const mlpTimes = measureInterleaved(mlpImpls, reps, BATCH);
  process.stderr.write(`${table('isolation forest, 100 trees, psi 256, 31 features (us per row, median of ' + reps + ')', iforest)}\n`);
  process.stderr.write(`${table('MLP 6-128-64-32-1 (us per row)', mlpTimes)}\n`);
  const result = { iforest: Object.fromEntries(iforest), mlp: Object.fromEntries(mlpTimes) };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

/** Seed 003's shape with He-initialised weights: speed does not depend on the values. */
function seed003Mlp(rng: Rng): MlpModel {
  const sizes = [6, 128, 64, 32, 1];
  return {
    kind: 'mlp',
    sizes,
    activations: ['relu', 'relu', 'relu', 'sigmoid'],
    weights: sizes.slice(1).map((out, l) => new Float32Array(out * sizes[l]!).map(() => rng.normal() * Math.sqrt(2 / sizes[l]!))),
    biases: sizes.slice(1).map((out) => new Float32Array(out)),
    inputShift: new Float32Array(6),
    inputScale: new Float32Array(6).fill(1),
  };
}
