// The input row of seed 003's model pair (MLP classifier and autoencoder): the session's seven
// features (six typing features in signed-log space, activity hour on the circle) and, against the
// DID's baseline (stored or sent history), how far each typing feature is from its usual value.
// One implementation for training, evaluation and /predict.
import { slog } from '../detectors/transform.ts';

/** Seed 003's six typing features, in the order of every vector (see core/offchain/features.ts). */
export const TYPING_FEATURES = ['typing_speed', 'key_hold_time', 'transition_time', 'error_rate', 'speed_accuracy_ratio', 'rhythm_ratio'] as const;
/** The names feature_importance reports: the six typing features and the activity hour. */
export const IMPORTANCE_FEATURES = [...TYPING_FEATURES, 'activity_hour'] as const;
export type ImportanceFeature = (typeof IMPORTANCE_FEATURES)[number];

/** Columns of the model's input row, in order (the model file's feature schema). */
export const PAIR_INPUTS = [
  ...TYPING_FEATURES.map((f) => `${f}_slog`),
  'activity_hour_sin',
  'activity_hour_cos',
  ...TYPING_FEATURES.map((f) => `${f}_deviation`),
  'baseline_weight',
] as const;
export const PAIR_WIDTH = PAIR_INPUTS.length;
const T = TYPING_FEATURES.length;
const DEV = T + 2;
const WEIGHT = DEV + T;

/** Input columns that carry each reported feature: occluding them together measures its importance. */
export const IMPORTANCE_COLUMNS: readonly (readonly number[])[] = [...TYPING_FEATURES.map((_, j) => [j, DEV + j]), [T, T + 1]];

/** Smallest spread of each feature around a DID's usual value, in slog units (about 4-10 %). */
const SPREAD_FLOOR = [0.04, 0.04, 0.05, 0.1, 0.06, 0.05];
/** Deviations are clipped here: beyond it, "far" is all the model needs to know. */
const MAX_DEVIATION = 8;
/** Windows at which the baseline counts fully. */
const FULL_WEIGHT_WINDOWS = 20;

export interface Baseline {
  windows: number;
  /** Median and robust spread of each typing feature in slog space. */
  centre: Float64Array;
  spread: Float64Array;
}

/** The six-feature vector of seed 003's four measured values; the two ratios as seed 003 defines them. */
export function typingVector(speedWpm: number, holdMs: number, transitionMs: number, errorPercent: number): Float64Array {
  return Float64Array.of(speedWpm, holdMs, transitionMs, errorPercent, speedWpm / (errorPercent + 1), transitionMs > 0 ? holdMs / transitionMs : 0);
}

/** The baseline of a history of six-feature vectors (raw units); undefined without rows. */
export function baselineOf(rows: readonly Float64Array[]): Baseline | undefined {
  if (rows.length === 0) return undefined;
  const centre = new Float64Array(T);
  const spread = new Float64Array(T);
  const col = new Float64Array(rows.length);
  for (let j = 0; j < T; j++) {
    for (let i = 0; i < rows.length; i++) col[i] = slog(rows[i]![j]!);
    const m = median(col);
    centre[j] = m;
    for (let i = 0; i < rows.length; i++) col[i] = Math.abs(col[i]! - m);
    spread[j] = Math.max(1.4826 * median(col), SPREAD_FLOOR[j]!);
  }
  return { windows: rows.length, centre, spread };
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * The model's input row for a six-feature session vector, its activity hour (optional) and its
 * baseline (undefined: the population, no deviation columns); also the signed deviations (in
 * spreads) that name reasons.
 */
export function pairInput(vector: ArrayLike<number>, hour: number | undefined, baseline: Baseline | undefined, out = new Float64Array(PAIR_WIDTH)): { row: Float64Array; deviations: Float64Array } {
  const deviations = new Float64Array(T);
  for (let j = 0; j < T; j++) {
    const t = slog(vector[j]!);
    out[j] = t;
    if (baseline) {
      const z = (t - baseline.centre[j]!) / baseline.spread[j]!;
      deviations[j] = z;
      out[DEV + j] = Math.max(-MAX_DEVIATION, Math.min(MAX_DEVIATION, z));
    } else out[DEV + j] = 0;
  }
  const angle = hour === undefined ? undefined : (2 * Math.PI * hour) / 24;
  out[T] = angle === undefined ? 0 : Math.sin(angle);
  out[T + 1] = angle === undefined ? 0 : Math.cos(angle);
  out[WEIGHT] = baseline ? Math.min(baseline.windows, FULL_WEIGHT_WINDOWS) / FULL_WEIGHT_WINDOWS : 0;
  return { row: out, deviations };
}

/** Signed deviations (in spreads) of a six-feature vector from a baseline: the reasons' evidence. */
export function deviationsFrom(vector: ArrayLike<number>, baseline: Baseline): Float64Array {
  return Float64Array.from(TYPING_FEATURES, (_, j) => (slog(vector[j]!) - baseline.centre[j]!) / baseline.spread[j]!);
}
