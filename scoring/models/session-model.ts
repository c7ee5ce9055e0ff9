// The supervised session model (issue 19, seed 004): a random forest over session records,
// trained on a stratified 70 % of the labelled records and measured on the other 30 % (the
// figures stored with it in the registry), and seed 004's answer for one record.
import { encodeRows, fitTableEncoding, type TableEncoding } from '../features/tabular-encoding.ts';
import { SESSION_CATEGORICAL, SESSION_FIELDS, sessionRecordCells, type SessionRecord } from '../features/session-record.ts';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics.ts';
import { trainRandomForest, type ForestTrainOptions } from './rforest.ts';
import { stratifiedSplit } from './stratified-split.ts';
import { calibrate, calibrateAll, scoreTreesRaw, type TreeEnsembleModel } from './tree-ensemble.ts';

export interface TrainedSessionModel {
  model: TreeEnsembleModel;
  encoding: TableEncoding;
  /** On the held-out 30 %. */
  metrics: ClassificationMetrics;
  trainRows: number;
  /** The held-out 30 % itself: a candidate is compared with the active model on it. */
  heldOut: { records: SessionRecord[]; labels: Uint8Array };
}

/** Needs both classes, at least 10 records of each (so that both sides of the split hold some). */
/**
 * `split`: the caller's train/held-out row indices (automatic retraining keys them on session ids,
 * so that a session stays on its side as labels accumulate); by default a stratified 70/30 by seed.
 */
export function trainSessionModel(records: readonly SessionRecord[], labels: ArrayLike<number>, options: ForestTrainOptions & { split?: { train: number[]; test: number[] } } = {}): TrainedSessionModel {
  if (records.length !== labels.length) throw new RangeError(`${labels.length} labels for ${records.length} records`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives < 10 || records.length - positives < 10) throw new RangeError(`need at least 10 records of each class, have ${positives} positive and ${records.length - positives} negative`);
  const seed = options.seed ?? 0;
  const { train, test } = options.split ?? stratifiedSplit(labels, 0.7, seed);
  const cells = records.map(sessionRecordCells);
  const encoding = fitTableEncoding(SESSION_FIELDS, train.map((i) => cells[i]!.map((c) => (c === undefined ? '' : String(c)))), SESSION_CATEGORICAL);
  const { split: _split, ...forest } = options;
  const model = trainRandomForest(encodeRows(encoding, train.map((i) => cells[i]!)), Uint8Array.from(train, (i) => labels[i]!), SESSION_FIELDS.length, { ...forest, seed });
  const probabilities = calibrateAll(model, scoreTreesRaw(model, encodeRows(encoding, test.map((i) => cells[i]!))));
  const heldOut = { records: test.map((i) => records[i]!), labels: Uint8Array.from(test, (i) => labels[i]!) };
  const metrics = classificationMetrics(probabilities, heldOut.labels, model.operatingThreshold);
  return { model, encoding, metrics, trainRows: train.length, heldOut };
}

export interface SessionAnswer {
  isAnomaly: boolean;
  anomalyProbability: number;
  /** max(p, 1 - p), as seed 004. */
  confidence: number;
  threshold: number;
}

/** Encodes records into rows for a scorer (the WASM kernel or the twin). */
export function sessionRows(encoding: TableEncoding, records: readonly SessionRecord[]): Float64Array {
  return encodeRows(encoding, records.map(sessionRecordCells));
}

/** Seed 004's answer from the raw forest mean. */
export function sessionAnswer(model: Pick<TreeEnsembleModel, 'calibration' | 'operatingThreshold'>, raw: number): SessionAnswer {
  const p = calibrate(model, raw);
  return { isAnomaly: p >= model.operatingThreshold, anomalyProbability: p, confidence: Math.max(p, 1 - p), threshold: model.operatingThreshold };
}
