// One behavioural window per stored batch: its free-text keystroke features and automation signals.
import type { BatchEvent } from '../../scoring/batch.ts';
import { automationSignals } from '../../scoring/features/automation.ts';
import { FREE_TEXT_FEATURES, freeTextFeatures } from '../../scoring/features/free-text.ts';
import { USER_FOREST_SCHEMA } from '../../scoring/user-model.ts';

export const WINDOW_FEATURES: readonly string[] = FREE_TEXT_FEATURES;
/** The forest in the binary model reads each feature after the signed log (one definition, shared with the edge). */
export const FOREST_SCHEMA: string[] = USER_FOREST_SCHEMA;

export interface Window {
  judged: boolean;
  vector: Float64Array;
  automation: string[];
}

export function windowOf(events: readonly BatchEvent[]): Window {
  const w = freeTextFeatures(events);
  return { judged: w.judged, vector: w.vector, automation: automationSignals(events).signals };
}

/** Reason names of a user model: `user_<feature>_<high|low>`. */
export function reasonName(feature: number, direction: 'high' | 'low', features: readonly string[] = WINDOW_FEATURES): string {
  return `user_${features[feature] ?? `f${feature}`}_${direction}`;
}
