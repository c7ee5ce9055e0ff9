// `cadence eval keystroke --format cmu|press-release|aalto|vectors --file PATH [--train N]
// [--impostor-reps M] [--min-samples K] [--json]`: per subject, enrol on its first N windows, score
// its remaining windows and the first M of every other subject; mean and sd over subjects of EER,
// FRR at FAR 1 %, FAR at FRR 1 % and AUC per detector, scaled Manhattan being the baseline.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { flag, intOption, option } from './lib/args.ts';
import { FORMATS, type Format, loadKeystrokeSet, type Sample } from './lib/keystroke-sets.ts';
import { meanCurve, rocSummary, rocSvg } from './lib/roc.ts';
import { fitFusion } from '../scoring/detectors/fusion.ts';
import { userDetectorFits } from '../scoring/detectors/recipe.ts';
import { scaledManhattan } from '../scoring/detectors/scaled-manhattan.ts';
import { outlierCount } from '../scoring/detectors/outlier-count.ts';
import { mahalanobis, nearestNeighbour } from '../scoring/detectors/mahalanobis.ts';
import { userForest } from '../scoring/detectors/user-forest.ts';
import type { DetectorFit, Rows } from '../scoring/detectors/types.ts';
import { buildKernels } from '../cli/build.ts';
import { loadKernels } from '../wasm/node.ts';

const USAGE = 'usage: cadence eval keystroke --format cmu|press-release|aalto|vectors --file PATH [--train N] [--impostor-reps M] [--min-samples K] [--forest-from W] [--out DIR] [--json]\n';
const METRICS = ['eer', 'frr_at_far_1', 'far_at_frr_1', 'auc'] as const;

export async function run(argv: string[]): Promise<number> {
  const format = option(argv, 'format') as Format | undefined;
  const file = option(argv, 'file');
  if (!format || !FORMATS.includes(format) || !file) {
    process.stderr.write(USAGE);
    return 2;
  }
  const train = intOption(argv, 'train', 20);
  const impostorReps = intOption(argv, 'impostor-reps', 5);
  const minSamples = intOption(argv, 'min-samples', train + 1);
  const forestFrom = intOption(argv, 'forest-from', 50);
  const outDir = option(argv, 'out') ?? 'artifacts';

  const set = await loadKeystrokeSet(format, file);
  const bySubject = new Map<string, Sample[]>();
  for (const s of set.samples) {
    const list = bySubject.get(s.subject);
    if (list) list.push(s);
    else bySubject.set(s.subject, [s]);
  }
  const subjects = [...bySubject.keys()].filter((s) => bySubject.get(s)!.length >= Math.max(minSamples, train + 1));
  process.stderr.write(`${file}: ${set.samples.length} windows (${set.skipped} not judged), ${set.features.length} features, ${subjects.length} subjects with >= ${minSamples}\n`);
  if (subjects.length < 2) throw new Error('need at least two subjects with enough windows');

  await buildKernels();
  const kernels = await loadKernels();
  const dims = set.features.length;
  const rowsOf = (samples: Sample[]): Rows => {
    const data = new Float64Array(samples.length * dims);
    samples.forEach((s, i) => data.set(s.vector, i * dims));
    return { data, dims };
  };

  const perDetector = new Map<string, { metrics: Record<(typeof METRICS)[number], number>[]; curves: [number, number][][] }>();
  const record = (name: string, genuine: ArrayLike<number>, impostor: ArrayLike<number>) => {
    const r = rocSummary(Array.from(genuine), Array.from(impostor));
    let entry = perDetector.get(name);
    if (!entry) perDetector.set(name, (entry = { metrics: [], curves: [] }));
    entry.metrics.push({ eer: r.eer, frr_at_far_1: r.frr_at_far_1, far_at_frr_1: r.far_at_frr_1, auc: r.auc });
    entry.curves.push(r.curve);
  };

  // Single detectors on the raw features, as published (Killourhy & Maxion 2009), for comparison.
  const loadForest = (m: Parameters<typeof kernels.loadForest>[0]) => kernels.loadForest(m);
  const singles: [string, DetectorFit][] = [
    ['scaled-manhattan', scaledManhattan(kernels.scaledManhattan)],
    ['outlier-count', outlierCount()],
    ['nearest-neighbour', nearestNeighbour()],
    ['mahalanobis', mahalanobis()],
    ['isolation-forest', userForest(loadForest, { trees: 100 })],
  ];

  const started = performance.now();
  subjects.forEach((subject, index) => {
    const own = bySubject.get(subject)!;
    const enrol = rowsOf(own.slice(0, train));
    const genuine = rowsOf(own.slice(train));
    const impostor = rowsOf(subjects.filter((s) => s !== subject).flatMap((s) => bySubject.get(s)!.slice(0, impostorReps)));
    for (const [name, fit] of singles) {
      const d = fit(enrol);
      record(name, d.score(genuine), d.score(impostor));
      d.dispose?.();
    }
    const fused = fitFusion(enrol, userDetectorFits({ scaledManhattan: kernels.scaledManhattan, loadForest }, train, { forestFrom }));
    record('fused', fused.score(genuine), fused.score(impostor));
    fused.dispose?.();
    if ((index + 1) % 5 === 0 || index + 1 === subjects.length) {
      process.stderr.write(`  ${index + 1}/${subjects.length} subjects, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
  });

  const detectors: Record<string, Record<string, number>> = {};
  for (const [name, { metrics }] of perDetector) {
    const summary: Record<string, number> = {};
    for (const m of METRICS) {
      const values = metrics.map((x) => x[m]);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      summary[m] = round(mean);
      if (m === 'eer') summary.eer_sd = round(Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1)));
    }
    detectors[name] = summary;
  }
  const baseline = detectors['scaled-manhattan']!.eer!;
  const fusedEer = detectors.fused!.eer!;
  process.stderr.write(`\n${'detector'.padEnd(20)} ${METRICS.map((m) => m.padStart(13)).join(' ')}\n`);
  for (const [name, s] of Object.entries(detectors)) {
    process.stderr.write(`${name.padEnd(20)} ${METRICS.map((m) => (m === 'eer' ? `${s[m]!.toFixed(4)} (${s.eer_sd!.toFixed(3)})` : s[m]!.toFixed(4)).padStart(13)).join(' ')}\n`);
  }
  process.stderr.write(`fused / scaled-manhattan EER: ${(fusedEer / baseline).toFixed(3)}\n`);

  await mkdir(outDir, { recursive: true });
  const svgPath = path.join(outDir, `${path.basename(file).replace(/\.[^.]+$/, '')}-roc.svg`);
  const series = [...perDetector].map(([name, { curves }]) => ({ name: `${name} (EER ${detectors[name]!.eer!.toFixed(3)})`, curve: meanCurve(curves) }));
  await writeFile(svgPath, rocSvg(`${path.basename(file)}: mean ROC over ${subjects.length} subjects (train ${train})`, series));
  process.stderr.write(`ROC plot: ${svgPath}\n`);

  const members = fitFusion(rowsOf(bySubject.get(subjects[0]!)!.slice(0, train)), userDetectorFits({ scaledManhattan: kernels.scaledManhattan, loadForest }, train, { forestFrom }));
  const fusedOf = members.members.map((m) => m.name);
  members.dispose?.();
  const result = { subjects: subjects.length, train, impostor_reps: impostorReps, features: dims, fused_members: fusedOf, detectors, roc_svg: svgPath };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
