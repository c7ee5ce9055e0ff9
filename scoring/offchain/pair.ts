// Seed 003's model pair for the off-chain endpoint: an MLP classifier (genuine vs anomalous) and an
// autoencoder trained on genuine rows only, over the input rows of inputs.ts. The served anomaly is
// the mean of the MLP's probability and the autoencoder's error calibrated to a probability (Platt,
// on rows neither network trained on). Training, held-out metrics, the file that the registry
// versions (both networks and their calibration in one sha256), and scoring with the WASM kernels.
import { classificationMetrics, type ClassificationMetrics } from '../models/classification-metrics.ts';
import { fitPlatt } from '../models/calibration.ts';
import { trainAutoencoder, trainMlp } from '../models/mlp.ts';
import type { MlpModel } from '../models/mlp-model.ts';
import { stratifiedSplit } from '../models/stratified-split.ts';
import type { OffchainSample } from '../synth/offchain-sessions.ts';
import { decodeModel, encodeModel } from '../../wasm/model-format.ts';
import type { Kernels, MlpKernel } from '../../wasm/kernels.ts';
import { baselineOf, IMPORTANCE_COLUMNS, IMPORTANCE_FEATURES, PAIR_INPUTS, PAIR_WIDTH, pairInput, TYPING_FEATURES, typingVector, type Baseline, type ImportanceFeature } from './inputs.ts';

export const PAIR_FORMAT = 'cadence-offchain-pair-1';
const MAGIC = 'CDNP';
/** A history of fewer windows is no baseline (CADENCE_OFFCHAIN_MIN_HISTORY's default). */
export const MIN_HISTORY = 5;
/** Operating threshold of every probability reported here (the MLP's, the autoencoder's, the pair's). */
export const THRESHOLD = 0.5;

export interface PairMeta {
  format: typeof PAIR_FORMAT;
  inputs: string[];
  /** Typical genuine input row: occluding a feature puts its columns back to these values. */
  reference: number[];
  /** The population baseline (genuine training sessions): reasons when a DID has no history. */
  population: { windows: number; centre: number[]; spread: number[] };
  /** p = 1 / (1 + exp(a ln(error) + b)) of the autoencoder's reconstruction error. */
  autoencoderPlatt: { a: number; b: number };
  training: Record<string, number | string>;
}

export interface OffchainPair {
  meta: PairMeta;
  mlp: MlpModel;
  autoencoder: MlpModel;
}

export interface PairTrainOptions {
  seed?: number;
  /** MLP hidden widths (seed 003: 128, 64, 32). */
  hidden?: number[];
  /** Autoencoder hidden widths (default 2d, d/2, 2d). */
  autoencoderHidden?: number[];
  maxEpochs?: number;
  /** Share held out for the reported metrics (default 0.2). */
  testShare?: number;
}

export interface PairMetrics {
  mlp: ClassificationMetrics;
  autoencoder: ClassificationMetrics;
  pair: ClassificationMetrics;
}

/** Input rows (flat, PAIR_WIDTH wide) and labels of labelled samples. */
export function sampleRows(samples: readonly OffchainSample[]): { rows: Float64Array; labels: Uint8Array } {
  const rows = new Float64Array(samples.length * PAIR_WIDTH);
  const labels = new Uint8Array(samples.length);
  samples.forEach((s, i) => {
    const history = s.history.length >= MIN_HISTORY ? baselineOf(s.history.map((h) => typingVector(...h))) : undefined;
    pairInput(typingVector(...s.session), s.hour, history, rows.subarray(i * PAIR_WIDTH, (i + 1) * PAIR_WIDTH));
    labels[i] = s.label;
  });
  return { rows, labels };
}

const pick = (rows: Float64Array, idx: readonly number[]): Float64Array => {
  const out = new Float64Array(idx.length * PAIR_WIDTH);
  idx.forEach((r, k) => out.set(rows.subarray(r * PAIR_WIDTH, (r + 1) * PAIR_WIDTH), k * PAIR_WIDTH));
  return out;
};

/**
 * Trains the pair on `samples` (stratified: 80 % to train, 20 % held out for the metrics; of the
 * training part a fifth calibrates the autoencoder) and reports held-out metrics scored by `kernels`.
 */
export function trainOffchainPair(samples: readonly OffchainSample[], kernels: Pick<Kernels, 'loadMlp'>, o: PairTrainOptions = {}): { pair: OffchainPair; metrics: PairMetrics; heldOut: number } {
  const seed = o.seed ?? 0;
  const { rows, labels } = sampleRows(samples);
  const { train, test } = stratifiedSplit(labels, 1 - (o.testShare ?? 0.2), seed);
  const trainLabels = Uint8Array.from(train, (r) => labels[r]!);
  const inner = stratifiedSplit(trainLabels, 0.8, seed + 1);
  const fit = inner.train.map((k) => train[k]!);
  const calibrate = inner.test.map((k) => train[k]!);
  const fitRows = pick(rows, fit);
  const fitLabels = Uint8Array.from(fit, (r) => labels[r]!);
  const genuine = fit.filter((r) => labels[r] === 0);
  const epochs = o.maxEpochs ?? 60;
  const mlp = trainMlp(fitRows, fitLabels, PAIR_WIDTH, { hidden: o.hidden ?? [128, 64, 32], maxEpochs: epochs, seed, patience: 8 }).model;
  const autoencoder = trainAutoencoder(pick(rows, genuine), PAIR_WIDTH, { ...(o.autoencoderHidden ? { hidden: o.autoencoderHidden } : {}), maxEpochs: epochs, seed: seed + 2, patience: 8 }).model;

  const aeKernel = kernels.loadMlp(autoencoder);
  const calibrationErrors = aeKernel.score(pick(rows, calibrate)).map(logError);
  aeKernel.dispose();
  const platt = fitPlatt(calibrationErrors, Uint8Array.from(calibrate, (r) => labels[r]!));

  const reference = new Array<number>(PAIR_WIDTH).fill(0);
  for (const r of genuine) for (let j = 0; j < TYPING_FEATURES.length + 2; j++) reference[j]! += rows[r * PAIR_WIDTH + j]! / genuine.length;
  const population = baselineOf(genuine.map((r) => typingVector(...samples[r]!.session)))!;
  const pair: OffchainPair = {
    meta: {
      format: PAIR_FORMAT,
      inputs: [...PAIR_INPUTS],
      reference,
      population: { windows: population.windows, centre: [...population.centre], spread: [...population.spread] },
      autoencoderPlatt: platt,
      training: { seed, samples: samples.length, fit_rows: fit.length, calibration_rows: calibrate.length, held_out_rows: test.length, hidden: (o.hidden ?? [128, 64, 32]).join('-') },
    },
    mlp,
    autoencoder,
  };
  const scorer = pairScorer(pair, kernels);
  try {
    return { pair, metrics: evaluatePair(scorer, pick(rows, test), Uint8Array.from(test, (r) => labels[r]!)), heldOut: test.length };
  } finally {
    scorer.dispose();
  }
}

const logError = (e: number) => Math.log(e + 1e-9);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));

/** Metrics of the MLP, the calibrated autoencoder and the pair on labelled rows, each at THRESHOLD. */
export function evaluatePair(scorer: PairScorer, rows: Float64Array, labels: Uint8Array): PairMetrics {
  const s = scorer.score(rows);
  return { mlp: classificationMetrics(s.mlp, labels, THRESHOLD), autoencoder: classificationMetrics(s.autoencoder, labels, THRESHOLD), pair: classificationMetrics(s.pair, labels, THRESHOLD) };
}

export interface PairScores {
  mlp: Float64Array;
  autoencoder: Float64Array;
  pair: Float64Array;
  /** logit(MLP) + logit(autoencoder): unsaturated evidence, what importance measures. */
  evidence: Float64Array;
}

/** Both networks resident in the WASM kernels. */
export function pairScorer(pair: OffchainPair, kernels: Pick<Kernels, 'loadMlp'>) {
  const mlp: MlpKernel = kernels.loadMlp(pair.mlp);
  const ae: MlpKernel = kernels.loadMlp(pair.autoencoder);
  const { a, b } = pair.meta.autoencoderPlatt;
  const population: Baseline = { windows: pair.meta.population.windows, centre: Float64Array.from(pair.meta.population.centre), spread: Float64Array.from(pair.meta.population.spread) };
  const explainRows = new Float64Array((IMPORTANCE_COLUMNS.length + 1) * PAIR_WIDTH);

  function score(rows: Float64Array): PairScores {
    const p = mlp.score(rows);
    const e = ae.score(rows);
    const n = p.length;
    const out: PairScores = { mlp: p, autoencoder: new Float64Array(n), pair: new Float64Array(n), evidence: new Float64Array(n) };
    for (let i = 0; i < n; i++) {
      const z = -(a * logError(e[i]!) + b);
      out.autoencoder[i] = sigmoid(z);
      out.pair[i] = (p[i]! + out.autoencoder[i]!) / 2;
      out.evidence[i] = logit(p[i]!) + z;
    }
    return out;
  }

  return {
    population,
    score,
    /**
     * Scores one row and explains it by occlusion: each reported feature's columns put back to the
     * typical genuine row, the change in evidence is its share (shares sum to 1; equal when nothing moves).
     */
    explain(row: Float64Array): { anomaly: number; mlp: number; autoencoder: number; importance: Record<ImportanceFeature, number> } {
      explainRows.set(row, 0);
      IMPORTANCE_COLUMNS.forEach((cols, k) => {
        const at = (k + 1) * PAIR_WIDTH;
        explainRows.set(row, at);
        for (const c of cols) explainRows[at + c] = pair.meta.reference[c]!;
      });
      const s = score(explainRows);
      const moves = IMPORTANCE_COLUMNS.map((_, k) => Math.abs(s.evidence[0]! - s.evidence[k + 1]!));
      const total = moves.reduce((x, y) => x + y, 0);
      const importance = Object.fromEntries(IMPORTANCE_FEATURES.map((f, k) => [f, total > 1e-9 && Number.isFinite(total) ? moves[k]! / total : 1 / IMPORTANCE_FEATURES.length])) as Record<ImportanceFeature, number>;
      return { anomaly: s.pair[0]!, mlp: s.mlp[0]!, autoencoder: s.autoencoder[0]!, importance };
    },
    dispose() {
      mlp.dispose();
      ae.dispose();
    },
  };
}
export type PairScorer = ReturnType<typeof pairScorer>;

const text = new TextEncoder();
const pad4 = (n: number) => (n + 3) & ~3;

/**
 * The pair as one file: "CDNP", u32 LE lengths and, 4-byte aligned, the metadata JSON, the MLP's
 * and the autoencoder's model files (wasm/model-format.ts, each with its own checksum and schema).
 */
export async function encodePair(pair: OffchainPair): Promise<Uint8Array> {
  const parts = [text.encode(JSON.stringify(pair.meta)), await encodeModel(pair.mlp, PAIR_INPUTS), await encodeModel(pair.autoencoder, PAIR_INPUTS)];
  const out = new Uint8Array(4 + parts.reduce((n, p) => n + 4 + pad4(p.length), 0));
  out.set(text.encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  let at = 4;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    out.set(p, at + 4);
    at += 4 + pad4(p.length);
  }
  return out;
}

/** Reads a pair file; throws naming what is wrong (magic, lengths, format, either network). */
export async function decodePair(bytes: Uint8Array): Promise<OffchainPair> {
  if (bytes.length < 4 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new Error('not an off-chain model pair (magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let at = 4;
  for (let k = 0; k < 3; k++) {
    if (at + 4 > bytes.length) throw new Error('off-chain model pair truncated');
    const n = view.getUint32(at, true);
    if (at + 4 + n > bytes.length) throw new Error('off-chain model pair truncated');
    parts.push(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + pad4(n);
  }
  const meta = JSON.parse(new TextDecoder().decode(parts[0])) as PairMeta;
  if (meta.format !== PAIR_FORMAT) throw new Error(`unknown off-chain model pair format ${String(meta.format)}`);
  if (JSON.stringify(meta.inputs) !== JSON.stringify(PAIR_INPUTS)) throw new Error('the off-chain model pair was trained on other inputs');
  const mlp = (await decodeModel(parts[1]!, { schema: PAIR_INPUTS, kind: 'mlp' })) as MlpModel;
  const autoencoder = (await decodeModel(parts[2]!, { schema: PAIR_INPUTS, kind: 'autoencoder' })) as MlpModel;
  return { meta, mlp, autoencoder };
}

/** Registry metrics of a trained pair (flat numbers: the registry keeps name -> number). */
export function flatMetrics(m: PairMetrics, heldOut: number): Record<string, number | null> {
  const flat: Record<string, number | null> = { held_out: heldOut };
  for (const [name, x] of Object.entries(m)) {
    Object.assign(flat, {
      [`${name}_accuracy`]: x.accuracy, [`${name}_precision`]: x.precision, [`${name}_recall`]: x.recall, [`${name}_f1`]: x.f1, [`${name}_auc`]: x.auc,
      [`${name}_tp`]: x.confusion.tp, [`${name}_fp`]: x.confusion.fp, [`${name}_tn`]: x.confusion.tn, [`${name}_fn`]: x.confusion.fn,
    });
  }
  return flat;
}
