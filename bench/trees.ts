// `cadence bench trees [--reps 7] [--json]`: random-forest scoring side by side in one process, 100
// trees trained on the same 2,000 synthetic rows of 31 features: the WASM kernel, its TS twin and
// npm `ml-random-forest` (the most used random forest on npm; its own trees, trained with the same
// bagging and sqrt(d) features). One row per call and batches of 5,000, microseconds per row
// (median of --reps, implementations interleaved); ratios matter, not absolute times. The last
// stdout line is the JSON result.
import { RandomForestClassifier } from 'ml-random-forest';
import { flag, intOption } from './lib/args.ts';
import { measureInterleaved, type Impl } from './lib/interleaved.ts';
import { buildKernels } from '../cli/build.ts';
import { loadKernels } from '../wasm/node.ts';
import { trainRandomForest } from '../scoring/models/rforest.ts';
import { scoreTreesRaw } from '../scoring/models/tree-ensemble.ts';
import { Rng } from '../scoring/models/rng.ts';

const D = 31;
const TRAIN = 2000;
const BATCH = 5000;

/** Gaussian rows; the label a noisy non-linear rule over a few features (about 20 % positive). */
function makeRows(rng: Rng, n: number): { x: Float64Array; y: Uint8Array } {
  const x = new Float64Array(n * D);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < D; j++) x[r * D + j] = rng.normal();
    const z = x[r * D]! * x[r * D + 1]! + Math.abs(x[r * D + 2]!) - 0.5 * x[r * D + 3]! + 0.7 * rng.normal();
    y[r] = z > 1.2 ? 1 : 0;
  }
  return { x, y };
}

export async function run(argv: string[]): Promise<number> {
  const reps = intOption(argv, 'reps', 7);
  await buildKernels();
  const kernels = await loadKernels();
  const rng = new Rng(19);
  const train = makeRows(rng, TRAIN);
  const test = makeRows(rng, BATCH);
  const views = Array.from({ length: BATCH }, (_, r) => test.x.subarray(r * D, (r + 1) * D));
  const arrays = views.map((v) => Array.from(v));

  const model = trainRandomForest(train.x, train.y, D, { trees: 100, seed: 1 });
  const kernel = kernels.loadTrees(model);
  const ml = new RandomForestClassifier({ nEstimators: 100, maxFeatures: Math.floor(Math.sqrt(D)), replacement: true, useSampleBagging: true, seed: 1, noOOB: true });
  ml.train(Array.from({ length: TRAIN }, (_, r) => Array.from(train.x.subarray(r * D, (r + 1) * D))), Array.from(train.y));

  const wasmAll = kernel.score(test.x);
  const twinAll = scoreTreesRaw(model, test.x);
  let worst = 0;
  for (let i = 0; i < BATCH; i++) worst = Math.max(worst, Math.abs(wasmAll[i]! - twinAll[i]!));
  process.stderr.write(`parity wasm vs ts twin on ${BATCH} rows: max |diff| ${worst.toExponential(2)}; ${model.roots[model.trees]} nodes\n`);

  const impls: Impl[] = [
    { name: 'wasm', singleRows: BATCH, one: (r) => kernel.scoreOne(views[r]!), batch: () => kernel.score(test.x) },
    { name: 'ts twin', singleRows: BATCH, one: (r) => scoreTreesRaw(model, views[r]!)[0]!, batch: () => scoreTreesRaw(model, test.x) },
    { name: 'ml-random-forest', singleRows: 500, one: (r) => ml.predictProbability([arrays[r]!], 1)[0]!, batch: () => ml.predictProbability(arrays, 1) },
  ];
  const timings = Object.fromEntries(measureInterleaved(impls, reps, BATCH, 300));
  const base = timings.wasm!;
  const lines = [`random forest, 100 trees, ${D} features (us per row, median of ${reps})`, `  ${'implementation'.padEnd(20)}${'one per call'.padStart(16)}${'x wasm'.padStart(9)}${'batch 5,000'.padStart(16)}${'x wasm'.padStart(9)}`];
  for (const [name, t] of Object.entries(timings)) {
    lines.push(`  ${name.padEnd(20)}${`${t.single_us.toFixed(3)} us`.padStart(16)}${(t.single_us / base.single_us).toFixed(1).padStart(9)}${`${t.batch_us.toFixed(3)} us`.padStart(16)}${(t.batch_us / base.batch_us).toFixed(1).padStart(9)}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
  kernel.dispose();
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify({ parity_max_diff: worst, nodes: model.roots[model.trees], ...timings })}\n`);
  return 0;
}
