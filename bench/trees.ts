// `cadence bench trees [--reps 7] [--json]`: random-forest scoring side by side in one process, the
// same trees in every scorer: the WASM kernel, its TS twin and npm `ml-random-forest` 2.1 (the only
// npm random forest for numeric features with probabilities: `decision-tree` is ID3 over categories
// with no probabilities, `@tensorflow/tfjs-tfdf` only loads models trained in Python). Two forests
// of 100 trees on the same 2,000 synthetic rows of 31 features: Cadence's (fully grown, sqrt(d)
// features per split) loaded into ml-random-forest, and ml-random-forest's own (sqrt(d) features
// per tree, its default stopping) loaded into the kernel. One row per call and batches of 5,000,
// microseconds per row (median of --reps, implementations interleaved); ratios matter, not
// absolute times. Agreement is checked first. The last stdout line is the JSON result.
import { RandomForestClassifier } from 'ml-random-forest';
import { flag, intOption } from './lib/args.ts';
import { measureInterleaved, type Impl, type Timing } from './lib/interleaved.ts';
import { fromMlRandomForest, mlVoteShare, toMlRandomForest } from './lib/ml-forest.ts';
import { buildKernels } from '../cli/build.ts';
import { loadKernels } from '../wasm/node.ts';
import type { Kernels } from '../wasm/kernels.ts';
import { trainRandomForest } from '../scoring/models/rforest.ts';
import { scoreTreesRaw, type TreeEnsembleModel } from '../scoring/models/tree-ensemble.ts';
import { Rng } from '../scoring/models/rng.ts';

const D = 31;
const TRAIN = 2000;
const BATCH = 5000;

/** Gaussian rows, f32-rounded (as every scorer reads them); the label a noisy non-linear rule. */
function makeRows(rng: Rng, n: number): { x: Float32Array; y: Uint8Array } {
  const x = new Float32Array(n * D);
  const y = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < D; j++) x[r * D + j] = rng.normal();
    const z = x[r * D]! * x[r * D + 1]! + Math.abs(x[r * D + 2]!) - 0.5 * x[r * D + 3]! + 0.7 * rng.normal();
    y[r] = z > 1.2 ? 1 : 0;
  }
  return { x, y };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
};

interface Race {
  forest: string;
  nodes: number;
  parity: { wasm_vs_twin: number; ml_votes_vs_twin: number; ml_predictProbability_vs_twin: number };
  timings: Record<string, Timing>;
}

function race(kernels: Kernels, forest: string, model: TreeEnsembleModel, ml: RandomForestClassifier, test: Float32Array, reps: number): Race {
  const kernel = kernels.loadTrees(model);
  const views = Array.from({ length: BATCH }, (_, r) => test.subarray(r * D, (r + 1) * D));
  const arrays = views.map((v) => Array.from(v));
  const twin = scoreTreesRaw(model, test);
  const single = new Float64Array(200);
  for (let r = 0; r < single.length; r++) single[r] = kernel.scoreOne(views[r]!);
  const parity = {
    wasm_vs_twin: Math.max(maxDiff(kernel.score(test), twin), maxDiff(single, twin.subarray(0, single.length))),
    ml_votes_vs_twin: maxDiff(mlVoteShare(ml, arrays), twin),
    ml_predictProbability_vs_twin: maxDiff(ml.predictProbability(arrays, 1), twin),
  };
  process.stderr.write(`${forest}: ${model.roots[model.trees]} nodes; max |diff| against the twin: wasm ${parity.wasm_vs_twin.toExponential(2)}, ml votes ${parity.ml_votes_vs_twin.toExponential(2)} (predictProbability ${parity.ml_predictProbability_vs_twin.toExponential(2)}: it drops the first tree's vote)\n`);
  const impls: Impl[] = [
    { name: 'wasm', singleRows: BATCH, one: (r) => kernel.scoreOne(views[r]!), batch: () => kernel.score(test) },
    { name: 'ts twin', singleRows: BATCH, one: (r) => scoreTreesRaw(model, views[r]!)[0]!, batch: () => scoreTreesRaw(model, test) },
    { name: 'ml-random-forest', singleRows: 200, one: (r) => ml.predictProbability([arrays[r]!], 1)[0]!, batch: () => ml.predictProbability(arrays, 1) },
  ];
  const timings = Object.fromEntries(measureInterleaved(impls, reps, BATCH, 200));
  kernel.dispose();
  return { forest, nodes: model.roots[model.trees]!, parity, timings };
}

function table(r: Race, reps: number): string {
  const base = r.timings.wasm!;
  const lines = [`${r.forest}: 100 trees, ${r.nodes} nodes, ${D} features (us per row, median of ${reps})`, `  ${'implementation'.padEnd(20)}${'one per call'.padStart(16)}${'x wasm'.padStart(9)}${'batch 5,000'.padStart(16)}${'x wasm'.padStart(9)}`];
  for (const [name, t] of Object.entries(r.timings)) {
    lines.push(`  ${name.padEnd(20)}${`${t.single_us.toFixed(3)} us`.padStart(16)}${(t.single_us / base.single_us).toFixed(1).padStart(9)}${`${t.batch_us.toFixed(3)} us`.padStart(16)}${(t.batch_us / base.batch_us).toFixed(1).padStart(9)}`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const reps = intOption(argv, 'reps', 7);
  await buildKernels();
  const kernels = await loadKernels();
  const rng = new Rng(19);
  const train = makeRows(rng, TRAIN);
  const test = makeRows(rng, BATCH);

  const ours = trainRandomForest(train.x, train.y, D, { trees: 100, seed: 1 });
  const ml = new RandomForestClassifier({ nEstimators: 100, maxFeatures: Math.floor(Math.sqrt(D)), replacement: true, useSampleBagging: true, seed: 1, noOOB: true });
  ml.train(Array.from({ length: TRAIN }, (_, r) => Array.from(train.x.subarray(r * D, (r + 1) * D))), Array.from(train.y));

  const races = [
    race(kernels, "Cadence's forest", ours, toMlRandomForest(ours), test.x, reps),
    race(kernels, "ml-random-forest's own forest", fromMlRandomForest(ml, D), ml, test.x, reps),
  ];
  process.stderr.write(`${races.map((r) => table(r, reps)).join('\n')}\n`);
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(races)}\n`);
  return 0;
}
