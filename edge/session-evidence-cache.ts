// The edge's compact mirror of each session's evidence (scoring/session-evidence.ts), so that the
// browser's answer is the session's, not one window's. Bounded in sessions and in estimated bytes
// (a session whose last batch ended mid-movement keeps up to 80 pointer samples, about 2 KB, ten
// times an idle one's: 100,000 of them would not fit a workerd isolate's 128 MB): the least recently
// seen sessions are forgotten first. On workerd each isolate keeps its own mirror (best effort); the
// core's copy, kept with the session's row, is the authority for the session's standing.
import { NO_EVIDENCE, type SessionEvidence } from '../scoring/session-evidence.ts';
import type { StoredStanding } from '../scoring/session-standing.ts';

/** What the edge keeps of a session: its evidence and its standing (scoring/session-standing.ts). */
export interface SessionMirror {
  evidence: SessionEvidence;
  standing: StoredStanding;
  /** Why the standing reached its level (the answer's or the core's reasons then). */
  reasons?: readonly string[];
  /** When the standing last rose (ms since the epoch): a lowering older than this is stale (edge/intake.ts adopt). */
  raisedAtMs?: number;
}

const NOTHING: SessionMirror = Object.freeze({ evidence: NO_EVIDENCE, standing: 'allow' as StoredStanding });

/**
 * Bytes a mirror entry holds in V8, roughly: the objects and numbers of the evidence (more when it
 * carries typing sums or uncounted pointer counts), its id, its strings, and the pending movement's
 * samples (8 bytes a number, plus the array). Measured on Node's heap through pointerWindow and
 * accumulate (session 17): 0.26 KB an idle session, 0.64 KB with one pending sample, 1.9 KB with 55,
 * 2.5 KB with 80; this gives 0.66, 0.74, 2.04 and 2.64 KB. An estimate to bound memory, not an account of it.
 */
export function mirrorBytes(sessionId: string, m: SessionMirror): number {
  const e = m.evidence;
  let strings = sessionId.length;
  for (const s of e.signals) strings += s.length;
  for (const s of m.reasons ?? []) strings += s.length;
  for (const s of e.answered ?? []) strings += s.length;
  const pending = e.reaches?.pending?.s.length;
  return (
    640 +
    (e.typing ? 120 : 0) +
    (e.reaches?.unraised ? 160 : 0) +
    (e.facts ? 96 + 64 * Object.keys(e.facts).length : 0) +
    2 * strings +
    32 * (e.signals.length + (m.reasons?.length ?? 0) + (e.answered?.length ?? 0)) +
    (pending === undefined ? 0 : 64 + 8 * pending)
  );
}

interface Entry {
  m: SessionMirror;
  bytes: number;
}

export class SessionEvidenceCache {
  // Two tiers, each in recency order (Map order): sessions held at challenge are forgotten only once
  // every other session is, so flooding the edge with new sessions does not turn a challenged bot's
  // answers back to allow before the core's next answer restores them.
  // Each entry keeps the bytes it was counted at, so the total cannot drift if a mirror's objects
  // (shared with the caller) change later.
  private readonly map = new Map<string, Entry>();
  private readonly challenged = new Map<string, Entry>();
  // Sessions whose answer was block: for this edge they are over (403 session_blocked). Bounded
  // like the evidence, first blocked first forgotten; a forgotten block is re-learnt from the core's
  // answer only through its evidence, so the bound is generous (ids only).
  private readonly blocked = new Set<string>();
  private held = 0;
  constructor(
    private readonly max = 100_000,
    private readonly maxBytes = 32 * 2 ** 20,
  ) {}

  isBlocked(sessionId: string): boolean {
    return this.blocked.has(sessionId);
  }

  block(sessionId: string): void {
    if (this.blocked.has(sessionId)) return;
    this.blocked.add(sessionId);
    if (this.blocked.size > this.max) this.blocked.delete(this.blocked.values().next().value!);
  }

  get(sessionId: string): SessionMirror {
    return (this.map.get(sessionId) ?? this.challenged.get(sessionId))?.m ?? NOTHING;
  }

  set(sessionId: string, m: SessionMirror): void {
    this.forget(sessionId); // re-inserted last: Map order is recency
    const bytes = mirrorBytes(sessionId, m);
    (m.standing === 'challenge' ? this.challenged : this.map).set(sessionId, { m, bytes });
    this.held += bytes;
    if (m.standing === 'block') this.block(sessionId);
    // The oldest go first, challenged sessions last; the one just set stays, whatever its size.
    while (this.size > 1 && (this.size > this.max || this.held > this.maxBytes)) this.evictOldest(sessionId);
  }

  private evictOldest(keep: string): void {
    for (const tier of [this.map, this.challenged]) {
      const oldest = tier.keys().next().value;
      // The one just set is the newest of its tier, so it is the oldest only when alone there.
      if (oldest !== undefined && oldest !== keep) return this.forget(oldest);
    }
  }

  private forget(sessionId: string): void {
    for (const tier of [this.map, this.challenged]) {
      const entry = tier.get(sessionId);
      if (!entry) continue;
      tier.delete(sessionId);
      this.held -= entry.bytes;
    }
  }

  get size(): number {
    return this.map.size + this.challenged.size;
  }

  /** Estimated bytes held (mirrorBytes summed). */
  get bytes(): number {
    return this.held;
  }
}
