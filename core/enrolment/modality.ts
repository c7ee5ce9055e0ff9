// What a per-user model is trained on (issue 18): keystroke windows (free-text timing features) or
// pointer windows (the mean mouse action of a batch). One createUserModels (service.ts) per modality:
// the same enrolment rule, fused one-class recipe, quality gate, cohort and session mean; only the
// window, its stored kind and the model's kind differ.
import type { BatchEvent } from '../../scoring/batch.ts';
import { pointerWindowOf, POINTER_WINDOW_FEATURES } from './pointer-windows.ts';
import { FOREST_SCHEMA, windowOf, WINDOW_FEATURES, type Window } from './windows.ts';

export interface Modality {
  /** enrolment_windows.kind */
  window: 'keystroke' | 'pointer';
  /** models.kind */
  model: 'user-keystroke' | 'user-pointer';
  features: readonly string[];
  /** The forest's input columns (what its binary declares). */
  forestSchema: string[];
  windowOf(events: readonly BatchEvent[]): Window;
}

export const KEYSTROKE: Modality = { window: 'keystroke', model: 'user-keystroke', features: WINDOW_FEATURES, forestSchema: FOREST_SCHEMA, windowOf };

export const POINTER: Modality = {
  window: 'pointer',
  model: 'user-pointer',
  features: POINTER_WINDOW_FEATURES,
  forestSchema: POINTER_WINDOW_FEATURES.map((f) => `slog(${f})`),
  windowOf: (events) => pointerWindowOf(events),
};
