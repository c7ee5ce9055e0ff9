// Applies the risk policy to identity sessions on the ingest path: admits a batch (device binding,
// ended or expired sessions) and turns the core's assessment into challenge or block.
import type { Assessment } from '../../scoring/prescore.ts';
import type { IdentityStore } from '../identity/store.ts';
import type { Logger } from '../log.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { severityOf, statusAfter, type StoredStatus } from './rules.ts';

type SessionRow = NonNullable<Awaited<ReturnType<IdentityStore['session']>>>;

export interface SessionPolicyDeps {
  store: IdentityStore;
  idleMs: number;
  now: () => number;
  log: Logger;
}

export function createSessionPolicy(deps: SessionPolicyDeps) {
  return {
    /**
     * Refuses a batch for an identity session from another device, or after it ended or expired.
     * Anonymous sessions (no Login) pass. Blocked sessions still store their batches, as evidence.
     * Returns the session's row as read (undefined before its first batch), for the rest of the batch.
     */
    async admit(sessionId: string, deviceId: string | undefined): Promise<SessionRow | undefined> {
      const s = await deps.store.session(sessionId);
      if (!s?.userId || !s.status) return s;
      if (deviceId !== s.deviceId) {
        throw new CadenceError(Code.PERMISSION_DENIED, `session ${sessionId} is bound to another device`, 'batch.context.deviceId');
      }
      if (s.status === 'ended') throw new CadenceError(Code.FAILED_PRECONDITION, `session ${sessionId} has ended: log in again for a new session`, 'batch.sessionId');
      if (s.status !== 'blocked' && deps.now() - s.lastSeenMs > deps.idleMs) {
        throw new CadenceError(Code.FAILED_PRECONDITION, `session ${sessionId} expired after inactivity: log in again for a new session`, 'batch.sessionId');
      }
      return s;
    },

    /**
     * Records the decision and moves the session to challenged or blocked; returns the status after.
     * `admitted` is the row admit() read for this batch: an anonymous session stays anonymous and an
     * allow changes nothing, so only a decision that may move the session reads it again (its
     * status may have changed meanwhile, e.g. a VerifyMpin). `judgedAtVersion`: the session's
     * standing version the answer was judged at (core/ingest/store.ts).
     */
    async apply(sessionId: string, batchId: string, a: Assessment, admitted?: SessionRow, judgedAtVersion?: number): Promise<StoredStatus | undefined> {
      if (admitted && (!admitted.userId || !admitted.status)) return undefined;
      const moves = a.judged && a.decision !== 'allow';
      const s = admitted && !moves ? admitted : await deps.store.session(sessionId);
      if (!s?.userId || !s.status) return undefined;
      const from = s.status as StoredStatus;
      if (!moves) return from;
      // A verified MPIN or an analyst's clear since this batch was judged: its answer is history.
      if (judgedAtVersion !== undefined && s.standingVersion !== judgedAtVersion) return from;
      const to = statusAfter(from, a.decision);
      const facts = { userId: s.userId, sessionId, score: a.score, modelVersion: a.modelVersion, reasons: a.reasons, batchId, severity: severityOf(a.decision) };
      if (to === 'blocked' && from !== 'blocked') {
        if (await deps.store.setStatus(sessionId, 'blocked', ['active', 'challenged'])) {
          await deps.store.revokeSession(sessionId);
          await deps.store.record({ kind: 'block', ...facts });
          deps.log.warn('session blocked', { sessionId, userId: s.userId, score: a.score, reasons: a.reasons });
        }
        return 'blocked';
      }
      if (to === 'challenged' && from === 'active') {
        if (await deps.store.setStatus(sessionId, 'challenged', ['active'])) {
          await deps.store.record({ kind: 'challenge', ...facts });
          deps.log.info('session challenged', { sessionId, userId: s.userId, score: a.score });
        }
        return 'challenged';
      }
      if (a.decision === 'monitor') await deps.store.record({ kind: 'monitor', ...facts });
      return to;
    },
  };
}

export type SessionPolicy = ReturnType<typeof createSessionPolicy>;
