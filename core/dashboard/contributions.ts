// Per-feature contributions behind a batch's rhythm score: each keystroke feature's scaled
// deviation from the population profile, i.e. its term in the scaled-Manhattan distance that the
// pre-score calibrates (scoring/prescore.ts), and the cut-off past which it is named as a reason.
import type { BatchEvent } from '../../scoring/batch.ts';
import { keystrokeFeatures } from '../../scoring/features/keystroke.ts';
import { transformVector, type Profile } from '../../scoring/profile.ts';
import type { Contributions } from './pages.ts';

/** scoring/prescore.ts names a feature as a reason from this scaled deviation on. */
export const REASON_DEVIATION = 2;

type EventRow = { type: string; t: number } & Partial<Record<'keyClass' | 'field' | 'position' | 'x' | 'y' | 'dx' | 'dy' | 'button' | 'pressure' | 'pointerType' | 'state', unknown>>;

/** Stored event rows back to batch events (null columns dropped), as the scorer saw them. */
export function toBatchEvents(rows: readonly EventRow[]): BatchEvent[] {
  return rows.map((r) => {
    const e: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== null && v !== undefined && k !== 'id' && k !== 'sessionId' && k !== 'batchId' && k !== 'idx') e[k] = v;
    return e as unknown as BatchEvent;
  });
}

export function featureContributions(batchId: string, events: readonly BatchEvent[], profile: Profile): Contributions {
  const w = keystrokeFeatures(events);
  const v = transformVector(w.vector, profile.transform);
  const features = profile.features
    .map((name, j) => ({ name, deviation: (v[j]! - profile.mean[j]!) / profile.mad[j]! }))
    .filter((f) => Number.isFinite(f.deviation))
    .map((f) => ({ name: `${f.name} (${f.deviation >= 0 ? 'high' : 'low'})`, deviation: f.deviation }))
    .sort((a, b) => Math.abs(b.deviation) - Math.abs(a.deviation));
  return { batchId, judged: w.judged, features, threshold: REASON_DEVIATION };
}
