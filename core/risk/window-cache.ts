// Scored windows by batch key (session id and batch id, lib/batch-digest.ts). A stored batch's events never change, so its population assessment and
// feature window can be kept: ScoreSession then reads only the batch list (and the events of batches
// it has not seen), and re-scores the cached windows with the user's current model. Bounded (LRU).
import type { Assessment } from '../../scoring/prescore.ts';
import type { Window } from '../enrolment/windows.ts';

export interface CachedWindow {
  population: Assessment;
  /** Absent until a user model needed it. */
  window?: Window;
  /** The window fused with a user model (by model row id): exact until another model is active. */
  fused?: { modelId: string; assessment: Assessment };
  /** The batch's pointer window (core/enrolment/pointer-windows.ts), and its fusion with the user's pointer model. */
  pointerWindow?: Window;
  pointerFused?: { modelId: string; assessment: Assessment };
}

export function createWindowCache(maxEntries = 10_000) {
  const map = new Map<string, CachedWindow>();
  return {
    get(batchId: string): CachedWindow | undefined {
      const hit = map.get(batchId);
      if (hit) {
        // Map keeps insertion order: re-inserting makes this the most recently used.
        map.delete(batchId);
        map.set(batchId, hit);
      }
      return hit;
    },
    set(batchId: string, w: CachedWindow): void {
      map.delete(batchId);
      map.set(batchId, w);
      while (map.size > maxEntries) map.delete(map.keys().next().value!);
    },
    /** A user's data was deleted: forget everything (cheap, and never serves a deleted window). */
    clear: () => map.clear(),
    get size(): number {
      return map.size;
    },
  };
}

export type WindowCache = ReturnType<typeof createWindowCache>;
