// The edge's compact mirror of each session's evidence (scoring/session-evidence.ts), so that the
// browser's answer is the session's, not one window's. Bounded: the least recently seen sessions
// are forgotten first. On workerd each isolate keeps its own mirror (best effort); the core's copy,
// kept with the session's row, is the authority for the session's standing.
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

export class SessionEvidenceCache {
  private readonly map = new Map<string, SessionMirror>();
  // Sessions whose answer was block: for this edge they are over (403 session_blocked). Bounded
  // like the evidence, oldest first; a forgotten block is re-learnt from the core's answer only
  // through its evidence, so the bound is generous (ids only).
  private readonly blocked = new Set<string>();
  constructor(private readonly max = 100_000) {}

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
    this.map.delete(sessionId); // re-inserted last: Map order is recency
    this.map.set(sessionId, m);
    if (m.standing === 'block') this.block(sessionId);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}
