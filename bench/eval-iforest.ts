// `cadence eval iforest --csv FILE [--trees 100] [--sample 256] [--seeds 5] [--extended] [--json]`:
// fits the isolation forest (or with --extended the extended one, Hariri et al. 2018) on every row
// of a labelled CSV (labels used only to score, as in Liu et al. 2008) and reports the ROC AUC over
// seeds, with fit time and WASM scoring time.
import { intOption, flag, option } from './lib/args.ts';
import { rocAuc } from './lib/auc.ts';
import { readLabelledCsv } from './lib/csv.ts';
import { trainIsolationForest } from '../scoring/models/iforest.ts';
import { trainExtendedIsolationForest } from '../scoring/models/eiforest.ts';
import { buildKernels } from '../cli/build.ts';
import { loadKernels } from '../wasm/node.ts';
import { scoreExtendedForest, scoreForest } from '../wasm/reference.ts';

export async function run(argv: string[]): Promise<number> {
  const csv = option(argv, 'csv');
  if (!csv) {
    process.stderr.write('usage: cadence eval iforest --csv FILE [--trees 100] [--sample 256] [--seeds 5] [--extended] [--json]\n');
    return 2;
  }
  const trees = intOption(argv, 'trees', 100);
  const sample = intOption(argv, 'sample', 256);
  const seeds = intOption(argv, 'seeds', 5);
  const extended = flag(argv, 'extended');
  const data = await readLabelledCsv(csv);
  await buildKernels();
  const kernels = await loadKernels();

  const aucs: number[] = [];
  let fitMs = 0;
  let scoreUs = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const t0 = performance.now();
    const options = { trees, sampleSize: sample, seed };
    const model = extended ? trainExtendedIsolationForest(data.x, data.d, options) : trainIsolationForest(data.x, data.d, options);
    const t1 = performance.now();
    const forest = model.kind === 'eiforest' ? kernels.loadExtendedForest(model) : kernels.loadForest(model);
    const t2 = performance.now(); // scoring alone, after the one-off upload
    const scores = forest.score(data.x);
    const t3 = performance.now();
    forest.dispose();
    if (seed === 0) {
      // Parity on real rows: the WASM kernel against its TS twin.
      const twin = model.kind === 'eiforest' ? scoreExtendedForest(model, data.x) : scoreForest(model, data.x);
      let worst = 0;
      for (let i = 0; i < data.n; i++) worst = Math.max(worst, Math.abs(scores[i]! - twin[i]!));
      process.stderr.write(`wasm vs ts twin on ${data.n} rows: max |diff| ${worst.toExponential(2)}\n`);
      if (!(worst <= 1e-5)) {
        process.stderr.write('parity broken: the kernel and its twin disagree by more than 1e-5\n');
        return 1;
      }
    }
    const auc = rocAuc(scores, data.labels);
    aucs.push(auc);
    fitMs += t1 - t0;
    scoreUs += ((t3 - t2) * 1000) / data.n;
    process.stderr.write(`seed ${seed}: auc ${auc.toFixed(4)}  fit ${(t1 - t0).toFixed(1)} ms\n`);
  }
  const mean = aucs.reduce((s, v) => s + v, 0) / aucs.length;
  const sd = Math.sqrt(aucs.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, aucs.length - 1));
  const result = {
    auc: round(mean, 4),
    auc_std: round(sd, 4),
    n: data.n,
    d: data.d,
    fit_ms: round(fitMs / seeds, 1),
    score_us_per_sample: round(scoreUs / seeds, 3),
  };
  process.stderr.write(`${csv}: ${extended ? 'extended ' : ''}AUC ${result.auc} (sd ${result.auc_std}) over ${seeds} seeds, ${trees} trees, psi ${Math.min(sample, data.n)}\n`);
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
