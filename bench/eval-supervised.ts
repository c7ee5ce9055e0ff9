// `cadence eval supervised --csv FILE [--seed N] [--seeds K] [--trees 100] [--class-weight balanced] [--json]`:
// a stratified 70/30 split of a labelled CSV (label = the column named `label`, else the last;
// other columns numeric or categorical, missing cells allowed, see scoring/features/tabular-encoding.ts),
// a random forest trained on the 70 % (encoding, calibration and operating threshold fitted there
// too, the last two on out-of-bag rows), and AUC, average precision, accuracy, precision, recall,
// F1 and the confusion matrix at the operating threshold on the 30 %. With --seeds K, seeds
// N..N+K-1 (each its own split and forest) and their mean.
import { readFile } from 'node:fs/promises';
import { flag, intOption, option } from './lib/args.ts';
import { stratifiedSplit } from '../scoring/models/stratified-split.ts';
import { encodeRows, fitTableEncoding } from '../scoring/features/tabular-encoding.ts';
import { trainRandomForest } from '../scoring/models/rforest.ts';
import { calibrateAll, scoreTreesRaw } from '../scoring/models/tree-ensemble.ts';
import { classificationMetrics, type ClassificationMetrics } from '../scoring/models/classification-metrics.ts';
import { sessionRows, trainSessionModel } from '../scoring/models/session-model.ts';
import { synthSessionRecords } from '../scoring/synth/session-records.ts';

const USAGE = 'usage: cadence eval supervised (--csv FILE | --seed004) [--seed N] [--seeds K] [--trees 100] [--class-weight none|balanced] [--json]\n';

export async function run(argv: string[]): Promise<number> {
  if (flag(argv, 'seed004')) return seed004(argv);
  const csv = option(argv, 'csv');
  if (!csv) {
    process.stderr.write(USAGE);
    return 2;
  }
  const firstSeed = Number(option(argv, 'seed') ?? 0);
  if (!Number.isInteger(firstSeed) || firstSeed < 0) throw new Error('--seed must be a non-negative integer');
  const seeds = intOption(argv, 'seeds', 1);
  const trees = intOption(argv, 'trees', 100);
  const classWeight = (option(argv, 'class-weight') ?? 'none') as 'none' | 'balanced';
  if (classWeight !== 'none' && classWeight !== 'balanced') throw new Error('--class-weight must be none or balanced');
  const table = parseLabelledTable(await readFile(csv, 'utf8'), csv);

  const runs: (ClassificationMetrics & { seed: number; fit_ms: number; score_us_per_row: number })[] = [];
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const { train, test } = stratifiedSplit(table.labels, 0.7, seed);
    const encoding = fitTableEncoding(table.names, train.map((i) => table.cells[i]!));
    const xTrain = encodeRows(encoding, train.map((i) => table.cells[i]!));
    const xTest = encodeRows(encoding, test.map((i) => table.cells[i]!));
    const yTrain = Uint8Array.from(train, (i) => table.labels[i]!);
    const yTest = Uint8Array.from(test, (i) => table.labels[i]!);
    const t0 = performance.now();
    const model = trainRandomForest(xTrain, yTrain, table.names.length, { trees, seed, classWeight });
    const t1 = performance.now();
    const probabilities = calibrateAll(model, scoreTreesRaw(model, xTest));
    const t2 = performance.now();
    const m = classificationMetrics(probabilities, yTest, model.operatingThreshold);
    runs.push({ seed, ...m, fit_ms: round(t1 - t0, 0), score_us_per_row: round(((t2 - t1) * 1000) / test.length, 2) });
    process.stderr.write(
      `seed ${seed}: auc ${fmt(m.auc)}  ap ${fmt(m.average_precision)}  acc ${fmt(m.accuracy)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  f1 ${fmt(m.f1)}  ` +
        `threshold ${m.threshold.toFixed(3)}  tp ${m.confusion.tp} fp ${m.confusion.fp} tn ${m.confusion.tn} fn ${m.confusion.fn}  fit ${(t1 - t0).toFixed(0)} ms, ${model.roots[model.trees]} nodes\n`,
    );
  }
  const mean = (key: 'auc' | 'average_precision' | 'accuracy' | 'precision' | 'recall' | 'f1') => {
    const v = runs.map((r) => r[key]).filter((x): x is number => x !== null);
    return v.length ? round(v.reduce((s, x) => s + x, 0) / v.length, 4) : null;
  };
  const aucs = runs.map((r) => r.auc).filter((x): x is number => x !== null);
  const aucMean = aucs.reduce((s, x) => s + x, 0) / Math.max(1, aucs.length);
  const aucSd = Math.sqrt(aucs.reduce((s, x) => s + (x - aucMean) ** 2, 0) / Math.max(1, aucs.length - 1));
  const result = {
    csv,
    rows: table.labels.length,
    columns: table.names.length,
    categorical: table.categorical,
    trees,
    class_weight: classWeight,
    seeds: runs.map((r) => r.seed),
    auc: mean('auc'),
    auc_sd: round(aucSd, 4),
    average_precision: mean('average_precision'),
    accuracy: mean('accuracy'),
    precision: mean('precision'),
    recall: mean('recall'),
    f1: mean('f1'),
    runs: runs.map((r) => ({ ...r, auc: r.auc === null ? null : round(r.auc, 4), average_precision: r.average_precision === null ? null : round(r.average_precision, 4) })),
  };
  process.stderr.write(`${csv}: AUC ${result.auc} (sd ${result.auc_sd}), AP ${result.average_precision}, F1 ${result.f1} over ${runs.length} seed(s), ${trees} trees\n`);
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

export interface LabelledTable {
  names: string[];
  cells: string[][];
  labels: Uint8Array;
  /** Columns holding a non-number somewhere (categorical). */
  categorical: string[];
}

const POSITIVE = new Set(['1', '1.0', 'true', 'yes', 'anomaly', 'fraud']);
const NEGATIVE = new Set(['0', '0.0', 'false', 'no', 'normal', 'genuine']);

/** Header row, then rows; the label is the column named `label` (else the last): 0/1, true/false, yes/no, anomaly/normal. */
export function parseLabelledTable(text: string, source = 'csv'): LabelledTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error(`${source}: need a header and rows`);
  const header = splitCsvLine(lines[0]!).map((h) => h.trim());
  let labelAt = header.findIndex((h) => h.toLowerCase() === 'label');
  if (labelAt < 0) labelAt = header.length - 1;
  if (header.length < 2) throw new Error(`${source}: need at least one feature column and a label`);
  const names = header.filter((_, j) => j !== labelAt);
  const cells: string[][] = [];
  const labels = new Uint8Array(lines.length - 1);
  for (let r = 1; r < lines.length; r++) {
    const row = splitCsvLine(lines[r]!);
    if (row.length !== header.length) throw new Error(`${source}:${r + 1}: ${row.length} cells, header has ${header.length}`);
    const raw = row[labelAt]!.trim().toLowerCase();
    const label = POSITIVE.has(raw) ? 1 : NEGATIVE.has(raw) ? 0 : -1;
    if (label < 0) throw new Error(`${source}:${r + 1}: label must be 0/1, true/false, yes/no or anomaly/normal, got ${row[labelAt]}`);
    labels[r - 1] = label;
    cells.push(row.filter((_, j) => j !== labelAt));
  }
  const categorical = names.filter((_, j) => cells.some((row) => {
    const v = row[j]!.trim();
    return v !== '' && !Number.isFinite(Number(v)) && !/^(na|nan|null|none|\?|n\/a)$/i.test(v);
  }));
  return { names, cells, labels, categorical };
}

/** One CSV line: commas, with double-quoted cells ("" inside a quoted cell is a quote). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export { stratifiedSplit };

/**
 * Seed 004's setup side by side, on Cadence's synthetic session records (its own data is not
 * public): train on 5,000 sessions with 40 % anomalies, test on another 5,000 with 4 %, at the
 * operating threshold chosen on the training set's out-of-bag rows.
 */
async function seed004(argv: string[]): Promise<number> {
  const seed = Number(option(argv, 'seed') ?? 0);
  const trees = intOption(argv, 'trees', 100);
  const train = synthSessionRecords(5000, 0.4, seed);
  const test = synthSessionRecords(5000, 0.04, seed + 1000);
  const t = trainSessionModel(train.records, train.labels, { trees, seed });
  // trainSessionModel holds out 30 % of the 40 % set; the seed-004 figure is on the 4 % set.
  const p = calibrateAll(t.model, scoreTreesRaw(t.model, sessionRows(t.encoding, test.records)));
  const m = classificationMetrics(p, test.labels, t.model.operatingThreshold);
  process.stderr.write(
    `seed 004 setup (synthetic records): test 5,000 at ${(100 * m.positives / m.n).toFixed(1)} % anomalies: auc ${fmt(m.auc)}  ap ${fmt(m.average_precision)}  acc ${fmt(m.accuracy)}  ` +
      `precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  f1 ${fmt(m.f1)}  (seed 004 published: acc 0.642, precision 0.097, recall 0.955, f1 0.176, auc 0.802 on its own data)\n`,
  );
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify({ setup: 'seed004-synthetic', seed, trees, ...m })}\n`);
  return 0;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function fmt(v: number | null): string {
  return v === null ? '-' : v.toFixed(4);
}
