// RiskService: what the core knows and decided about a session.
import type { GetSessionRiskRequest } from '../../gen/proto/cadence/v1/GetSessionRiskRequest.ts';
import type { GetSessionRiskResponseInit } from '../../gen/proto/cadence/v1/GetSessionRiskResponse.ts';
import type { RiskAssessmentInit } from '../../gen/proto/cadence/v1/RiskAssessment.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { toWireAssessment } from '../../lib/wire.ts';
import type { scores } from '../../db/schema.ts';
import type { IngestStore } from '../ingest/store.ts';
import type { ServiceHandlers } from '../transport/rpc.ts';

type ScoreRow = typeof scores.$inferSelect;

const assessment = (row: ScoreRow | undefined): RiskAssessmentInit | null =>
  row
    ? toWireAssessment({ score: row.score, decision: row.decision, modelVersion: row.modelVersion, reasons: row.reasons, judged: row.judged })
    : null;

export function riskService(deps: { store: IngestStore }): ServiceHandlers {
  return {
    async GetSessionRisk(req: GetSessionRiskRequest): Promise<GetSessionRiskResponseInit> {
      if (!req.sessionId) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is required', 'sessionId');
      if (req.sessionId.length > 128) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is longer than 128 characters', 'sessionId');
      const found = await deps.store.sessionRisk(req.sessionId);
      if (!found) throw new CadenceError(Code.NOT_FOUND, `no session ${req.sessionId} has been stored`, 'sessionId');
      const { session, core, edge } = found;
      return {
        sessionId: session.id,
        batchCount: session.batchCount,
        eventCount: session.eventCount,
        latest: assessment(core),
        latestEdge: assessment(edge),
        firstSeenMs: session.firstSeenMs,
        lastSeenMs: session.lastSeenMs,
      };
    },
  };
}
