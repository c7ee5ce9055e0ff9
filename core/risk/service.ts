// RiskService: what the core knows and decided about a session, its authoritative score now, and
// the stream of decisions as they are made.
import type { GetSessionRiskRequest } from '../../gen/proto/cadence/v1/GetSessionRiskRequest.ts';
import type { GetSessionRiskResponseInit } from '../../gen/proto/cadence/v1/GetSessionRiskResponse.ts';
import type { RiskAssessmentInit } from '../../gen/proto/cadence/v1/RiskAssessment.ts';
import type { ScoreSessionRequest } from '../../gen/proto/cadence/v1/ScoreSessionRequest.ts';
import type { ScoreSessionResponseInit } from '../../gen/proto/cadence/v1/ScoreSessionResponse.ts';
import type { StreamDecisionsRequest } from '../../gen/proto/cadence/v1/StreamDecisionsRequest.ts';
import type { DecisionEventInit } from '../../gen/proto/cadence/v1/DecisionEvent.ts';
import type { WatchStandingRequest } from '../../gen/proto/cadence/v1/WatchStandingRequest.ts';
import type { WatchStandingResponseInit } from '../../gen/proto/cadence/v1/WatchStandingResponse.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { fromWireDecision, toWireAssessment, toWireStanding } from '../../lib/wire.ts';
import type { scores } from '../../db/schema.ts';
import type { IngestStore } from '../ingest/store.ts';
import { reportedStanding, severityOf, type StoredStatus } from '../policy/rules.ts';
import type { CallContext, ServiceHandlers } from '../transport/rpc.ts';
import type { DecisionHub } from './hub.ts';
import type { createSessionScorer } from './score-session.ts';

type ScoreRow = typeof scores.$inferSelect;

/** How often a waiting WatchStanding looks again: a change reaches its watcher within about this. */
export const WATCH_TICK_MS = 250;

const assessment = (row: ScoreRow | undefined): RiskAssessmentInit | null =>
  row
    ? toWireAssessment({ score: row.score, decision: row.decision, modelVersion: row.modelVersion, reasons: row.reasons, judged: row.judged })
    : null;

function sessionIdOf(req: { sessionId: string }): string {
  if (!req.sessionId) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is required', 'sessionId');
  if (req.sessionId.length > 128) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is longer than 128 characters', 'sessionId');
  return req.sessionId;
}

export function riskService(deps: { store: IngestStore; scoreSession?: ReturnType<typeof createSessionScorer>; hub?: DecisionHub }): ServiceHandlers {
  return {
    async GetSessionRisk(req: GetSessionRiskRequest): Promise<GetSessionRiskResponseInit> {
      const sessionId = sessionIdOf(req);
      const found = await deps.store.sessionRisk(sessionId);
      if (!found) throw new CadenceError(Code.NOT_FOUND, `no session ${sessionId} has been stored`, 'sessionId');
      const { session, core, edge, ownerLockedAtMs } = found;
      return {
        sessionId: session.id,
        batchCount: session.batchCount,
        eventCount: session.eventCount,
        latest: assessment(core),
        latestEdge: assessment(edge),
        firstSeenMs: session.firstSeenMs,
        lastSeenMs: session.lastSeenMs,
        standing: toWireStanding({
          level: reportedStanding({ standing: session.standing, status: session.status as StoredStatus | null }, ownerLockedAtMs),
          reasons: session.standingReasons,
          atMs: session.standingAtMs,
        }),
      };
    },

    async ScoreSession(req: ScoreSessionRequest): Promise<ScoreSessionResponseInit> {
      const sessionId = sessionIdOf(req);
      if (req.maxWindows > 200) throw new CadenceError(Code.INVALID_ARGUMENT, 'maxWindows must be at most 200', 'maxWindows');
      if (!deps.scoreSession) throw new CadenceError(Code.UNIMPLEMENTED, 'ScoreSession is not configured');
      const s = await deps.scoreSession(sessionId, req.maxWindows || 20);
      if (!s) throw new CadenceError(Code.NOT_FOUND, `no session ${sessionId} has been stored`, 'sessionId');
      return {
        sessionId,
        userId: s.userId,
        assessment: toWireAssessment(s.assessment),
        windows: s.windows.map((w) => ({ batchId: w.batchId, receivedAtMs: w.receivedAtMs, assessment: toWireAssessment(w.assessment) })),
        judgedWindows: s.judged,
        userModelVersion: s.userModelVersion,
        peakScore: s.peak,
        standing: toWireStanding(s.standing),
      };
    },

    /**
     * A long poll: the sessions' standings that changed after `sinceMs`, at once if any did, else
     * when one does (looked at every WATCH_TICK_MS, so a change made by another core instance on
     * the same database shows too) or after `waitMs` with nothing.
     */
    async WatchStanding(req: WatchStandingRequest, ctx: CallContext): Promise<WatchStandingResponseInit> {
      const ids = [...new Set(req.sessionIds)];
      if (ids.length === 0 || ids.length > 100) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionIds must hold 1 to 100 session ids', 'sessionIds');
      for (const id of ids) sessionIdOf({ sessionId: id });
      if (req.waitMs > 25_000) throw new CadenceError(Code.INVALID_ARGUMENT, 'waitMs must be at most 25000', 'waitMs');
      const since = Number(req.sinceMs);
      if (!(since >= 0)) throw new CadenceError(Code.INVALID_ARGUMENT, 'sinceMs is Unix milliseconds', 'sinceMs');
      let deadline = Date.now() + req.waitMs;
      for (let first = true; ; first = false) {
        const rows = await deps.store.standings(ids);
        // Sessions not stored yet (their first batch still on its way) are looked at for a second only.
        if (first && rows.length === 0) deadline = Math.min(deadline, Date.now() + 1000);
        const changed = rows.filter((s) => s.changedAtMs > since || since === 0);
        if (changed.length || Date.now() >= deadline || ctx.signal.aborted) {
          return {
            changes: changed.map((s) => ({
              sessionId: s.sessionId,
              standing: toWireStanding({ level: reportedStanding({ standing: s.standing, status: s.status as StoredStatus | null }, s.lockedAtMs), reasons: s.reasons, atMs: s.changedAtMs || null }),
            })),
          };
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(WATCH_TICK_MS, Math.max(0, deadline - Date.now()))));
      }
    },

    /** Server streaming: resolves to the stream of events (core/transport/grpc.ts writes them). */
    async StreamDecisions(req: StreamDecisionsRequest, ctx: CallContext): Promise<AsyncIterable<DecisionEventInit>> {
      if (!deps.hub) throw new CadenceError(Code.UNIMPLEMENTED, 'StreamDecisions is not configured');
      const min = String(req.minDecision) === 'DECISION_UNSPECIFIED' || !req.minDecision ? undefined : fromWireDecision(String(req.minDecision));
      if (req.sessionId.length > 128) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is longer than 128 characters', 'sessionId');
      const source = deps.hub.subscribe({ sessionId: req.sessionId || undefined, userId: req.userId || undefined, minDecision: min }, ctx.signal);
      return (async function* () {
        for await (const d of source) {
          yield {
            sessionId: d.sessionId,
            batchId: d.batchId,
            userId: d.userId,
            assessment: toWireAssessment(d.assessment),
            severity: severityOf(d.assessment.decision),
            decidedAtMs: d.atMs,
            standing: d.standing ? toWireStanding(d.standing) : null,
          };
        }
      })();
    },
  };
}
