// Replay detection in the live path: each window of a session is fingerprinted and matched against
// the windows of other sessions seen before (scoring/features/replay.ts), then remembered. A window
// that copies another session's timings (and paths) after a time warp and noise is a replay.
//
// People repeat themselves too: a practised typist's password on another day can come within
// 15 ms of the last time (12 of 51 CMU typists' second halves matched their own first halves).
// So a match against a session of the same owner (the same user, or the same device when
// anonymous) must be near-exact (similarity >= sameOwnerSimilarity: residuals within ~6 ms), as
// only a machine's replay of that owner's own recording is. Other people's sessions never matched a
// person's (0 windows of 23,403 in Balabit, Aalto, CMU and Kaggle: `npx cadence eval replay`).
import type { BatchEvent } from './batch.ts';
import { createReplayIndex, type ReplayFingerprint, type ReplayMatch, type ReplayOptions } from './features/replay.ts';
import type { Assessment } from './prescore.ts';
import { keyClockGrid } from './features/clock.ts';

export const REPLAYED = 'replayed_session';

export interface ReplayGuardOptions extends ReplayOptions {
  /** Similarity needed against a session of the same owner. */
  sameOwnerSimilarity?: number;
}

/**
 * At most this many windows per shingle; a shingle shared by more is skipped when matching (it says
 * nothing about any one window), which bounds the work per window: 0.5-0.9 ms against 20,000
 * look-alike windows of random typing and jumps. 128 would cost 0.2-0.3 ms but catch 63 % of the
 * replays of the public people instead of 94 % (`npx cadence eval sessions`).
 */
export const LIVE_MAX_POSTINGS = 512;

export function createReplayGuard(options: ReplayGuardOptions = {}) {
  // The owner of each indexed session, forgotten with the session.
  const owners = new Map<string, string>();
  const index = createReplayIndex({ maxPostings: LIVE_MAX_POSTINGS, ...options }, { onEvict: (id) => owners.delete(id) });
  const sameOwner = options.sameOwnerSimilarity ?? 0.8;
  return {
    /** Fingerprints the window and finds what it replays, if anything. */
    check(sessionId: string, owner: string | undefined, events: readonly BatchEvent[]): { fp: ReplayFingerprint; match: ReplayMatch | null } {
      // On a coarse clock (scoring/features/clock.ts) people's key rhythms collapse onto the same few
      // values: the same password typed by two people looks copied. Keys are then left out.
      const fp = index.fingerprint(keyClockGrid(events) > 0 ? events.filter((e) => e.type !== 'keydown' && e.type !== 'keyup') : events);
      let match = fp.hashes.length ? index.match(sessionId, fp) : null;
      if (match?.replay && owner !== undefined && owners.get(match.sessionId) === owner && match.similarity < sameOwner) match = { ...match, replay: false };
      return { fp, match };
    },
    /** Remembers a window once it is accepted (not for a retry of one already counted). */
    remember(sessionId: string, owner: string | undefined, fp: ReplayFingerprint): void {
      if (fp.hashes.length === 0) return;
      // Before adding: should the add evict this very session, its owner goes with it.
      if (owner !== undefined && !owners.has(sessionId)) owners.set(sessionId, owner);
      index.add(sessionId, fp);
    },
    size: () => index.size(),
  };
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>;

/** The window's assessment with the replay named: a strong signal, fused as the automation signals are. */
export function withReplay(a: Assessment, match: ReplayMatch | null): Assessment {
  if (!match?.replay) return a;
  const score = Math.round((1 - (1 - a.score) * (1 - 0.8)) * 1e4) / 1e4;
  return { ...a, score, reasons: [REPLAYED, ...a.reasons], judged: true };
}

/** Whose session it is, for the same-owner rule: the user when logged in, else the device. */
export function replayOwner(userId: string | undefined, deviceId: string | undefined): string | undefined {
  return userId ? `user:${userId}` : deviceId ? `device:${deviceId}` : undefined;
}
