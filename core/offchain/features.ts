// Seed 003's six keystroke features for the off-chain endpoint: their order, how the two ratios are
// derived from the four measured values, and the names used in feature_importance and reasons.
import { typingVector } from '../../scoring/offchain/inputs.ts';

/** Order of every model vector on this endpoint (the population profile and per-DID models). */
export const OFFCHAIN_FEATURES = ['typing_speed', 'key_hold_time', 'transition_time', 'error_rate', 'speed_accuracy_ratio', 'rhythm_ratio'] as const;
export type OffchainFeature = (typeof OFFCHAIN_FEATURES)[number];

/** The four values a caller measures; the two ratios are always derived here, never trusted. */
export interface MeasuredFeatures {
  typingSpeedWpm: number;
  avgKeyHoldTimeMs: number;
  avgTransitionTimeMs: number;
  errorRatePercent: number;
}

/** The six-feature vector, with the ratios defined as in seed 003 and scoring/features/free-text.ts. */
export function featureVector(f: MeasuredFeatures): Float64Array {
  return typingVector(f.typingSpeedWpm, f.avgKeyHoldTimeMs, f.avgTransitionTimeMs, f.errorRatePercent);
}
