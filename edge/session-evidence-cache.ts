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
}

const NOTHING: SessionMirror = Object.freeze({ evidence: NO_EVIDENCE, standing: 'allow' as StoredStanding });

/**
 * Bytes a mirror entry holds in V8, roughly: the objects and numbers of the evidence, its id, its
 * strings, and the pending movement's samples (8 bytes a number). Measured on Node's heap: 0.7 KB a
 * session with typing and pointer counts, 2.7 KB with 80 pending samples; this gives 0.8 and 2.75.
 * An estimate to bound memory, not an account of it.
 */
export function mirrorBytes(sessionId: string, m: SessionMirror): number {
  const e = m.evidence;
  let strings = sessionId.length;
  for (const s of e.signals) strings += s.length;
  for (const s of m.reasons ?? []) strings += s.length;
  return 640 + 2 * strings + 32 * (e.signals.length + (m.reasons?.length ?? 0)) + 8 * (e.reaches?.pending?.s.length ?? 0);
}

export class SessionEvidenceCache {
  private readonly map = new Map<string, SessionMirror>();
  // Sessions whose answer was block: for this edge they are over (403 session_blocked). Bounded
  // like the evidence, oldest first; a forgotten block is re-learnt from the core's answer only
  // through its evidence, so the bound is generous (ids only).
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
    return this.map.get(sessionId) ?? NOTHING;
  }

  set(sessionId: string, m: SessionMirror): void {
    this.forget(sessionId); // re-inserted last: Map order is recency
    this.map.set(sessionId, m);
    this.held += mirrorBytes(sessionId, m);
    if (m.standing === 'block') this.block(sessionId);
    // The oldest go first; the one just set stays, whatever its size.
    while (this.map.size > 1 && (this.map.size > this.max || this.held > this.maxBytes)) this.forget(this.map.keys().next().value!);
  }

  private forget(sessionId: string): void {
    const m = this.map.get(sessionId);
    if (!m) return;
    this.map.delete(sessionId);
    this.held -= mirrorBytes(sessionId, m);
  }

  get size(): number {
    return this.map.size;
  }

  /** Estimated bytes held (mirrorBytes summed). */
  get bytes(): number {
    return this.held;
  }
}
