// IngestService: decode -> validate with the edge's own rules -> score -> store once.
import { createHash } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import type { IngestBatchRequest } from '../../gen/proto/cadence/v1/IngestBatchRequest.ts';
import type { IngestBatchResponseInit } from '../../gen/proto/cadence/v1/IngestBatchResponse.ts';
import type { IngestBatchesRequest } from '../../gen/proto/cadence/v1/IngestBatchesRequest.ts';
import type { IngestBatchesResponseInit } from '../../gen/proto/cadence/v1/IngestBatchesResponse.ts';
import { canonicalBatch } from '../../lib/batch-digest.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { MAX_CITY_LENGTH, validCity, validCountry, type Geo } from '../../lib/geo.ts';
import { fromWireAssessment, fromWireBatch, toWireAssessment, toWireStanding } from '../../lib/wire.ts';
import { parseBatch } from '../../scoring/batch.ts';
import type { Thresholds } from '../../scoring/policy.ts';
import type { Assessment, PreScorer } from '../../scoring/prescore.ts';
import { replayOwner, withReplay, type ReplayGuard } from '../../scoring/replay-guard.ts';
import { accumulate, sessionAnswer, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { combineOwners } from '../enrolment/owner-modalities.ts';
import { ownerOf, type UserModels } from '../enrolment/service.ts';
import type { Logger } from '../log.ts';
import { reportedStanding, type StoredStatus } from '../policy/rules.ts';
import type { SessionPolicy } from '../policy/session-policy.ts';
import type { StoredDecision } from '../risk/hub.ts';
import type { CallContext, ServiceHandlers } from '../transport/rpc.ts';
import type { IngestStore, SessionStanding } from './store.ts';

/** The request's location (empty strings: unknown); the edge validated it, so a bad one is refused. */
function geoOf(g: { country: string; city: string } | null | undefined): Geo | undefined {
  if (!g || (!g.country && !g.city)) return undefined;
  if (g.country && !validCountry(g.country)) throw new CadenceError(Code.INVALID_ARGUMENT, 'country must be an ISO 3166-1 alpha-2 code such as DE', 'geo.country');
  if (g.city && !validCity(g.city)) throw new CadenceError(Code.INVALID_ARGUMENT, `city must be one line of at most ${MAX_CITY_LENGTH} characters`, 'geo.city');
  return { country: g.country || undefined, city: g.city || undefined };
}

export function ingestService(deps: {
  store: IngestStore;
  scorer: PreScorer;
  /** The thresholds the session's evidence is expressed on. */
  thresholds: Thresholds;
  /** Replay detection against the sessions this core has seen (scoring/replay-guard.ts). */
  replays?: ReplayGuard;
  policy?: SessionPolicy;
  /** Called once per newly stored batch with the core's assessment (metrics). */
  onScored?: (a: Assessment) => void;
  /** Per-user models: a logged-in session's windows are scored with the user's model and enrolled. */
  users?: UserModels;
  /** The owners' pointer models (core/enrolment/modality.ts); absent: keystroke only. */
  pointerUsers?: UserModels;
  /** Each new core decision, after it is stored (the decision stream, the webhook). */
  onDecision?: (d: StoredDecision) => void;
  /** Rows to store with the batch for its decision, in the same transaction (the webhook outbox). */
  outbox?: (d: StoredDecision) => InStatement | undefined;
  log?: Logger;
  now?: () => number;
}): ServiceHandlers {
  const now = deps.now ?? Date.now;
  const handlers = {
    async IngestBatch(req: IngestBatchRequest): Promise<IngestBatchResponseInit> {
      if (!req.batch) throw new CadenceError(Code.INVALID_ARGUMENT, 'batch is required', 'batch');
      if (!req.batch.consent) {
        throw new CadenceError(Code.FAILED_PRECONDITION, 'the batch carries no consent; nothing was stored', 'batch.consent');
      }
      const parsed = parseBatch(fromWireBatch(req.batch));
      if (!parsed.ok) throw new CadenceError(Code.INVALID_ARGUMENT, parsed.problem.message, `batch.${parsed.problem.field}`);
      const batch = parsed.batch;
      const edge = fromWireAssessment(req.edgeAssessment);
      if (edge && !(edge.score >= 0 && edge.score <= 1)) {
        throw new CadenceError(Code.INVALID_ARGUMENT, 'score must be within [0, 1]', 'edgeAssessment.score');
      }
      const geo = geoOf(req.geo);
      // Identity sessions take batches only from their own device, and not once ended or expired.
      // One read of the session serves the admission, its owner and the policy afterwards.
      const session = await deps.policy?.admit(batch.sessionId, batch.context?.deviceId);
      const pop = deps.scorer.score(batch.events);
      const owner = !deps.users ? undefined : deps.policy ? ownerOf(session) : await deps.users.owner(batch.sessionId);
      const at = { sessionId: batch.sessionId, batchId: batch.batchId };
      const personal = owner ? await deps.users!.assess(owner.userId, batch.events, pop, at) : undefined;
      // The owner's pointer model, when the core has one (core/enrolment/modality.ts): the same window's mouse actions.
      const pointer = owner && deps.pointerUsers ? await deps.pointerUsers.assess(owner.userId, batch.events, pop, at) : undefined;
      // A window copying another session seen by this core (a replay with a time warp and noise).
      const whose = replayOwner(owner?.userId, batch.context?.deviceId);
      const replay = deps.replays?.check(batch.sessionId, whose, batch.events);
      const match = replay?.match ?? null;
      const owned = combineOwners(pop, personal?.model ? personal.assessment : undefined, pointer?.model ? pointer.assessment : undefined, deps.thresholds);
      const core = withReplay(owned, match);
      // The batch as the browser sent it, canonically (not the request: the edge's assessment and
      // receive time may differ between two deliveries of the same batch).
      const payloadSha256 = createHash('sha256').update(canonicalBatch(batch)).digest('hex');
      const receivedAtMs = req.receivedAtMs > 0 ? req.receivedAtMs : now();
      const decisionOf = (assessment: Assessment, standing: SessionStanding): StoredDecision => ({
        sessionId: batch.sessionId, batchId: batch.batchId, userId: owner?.userId ?? '', assessment, atMs: now(), population: pop, window: personal?.window, ...(pointer ? { pointerWindow: pointer.window } : {}),
        standing: { level: reportedStanding({ standing: standing.level, status: (session?.status ?? null) as StoredStatus | null }, undefined), reasons: standing.reasons, atMs: standing.atMs },
      });
      // The decision stored, streamed, sent by webhook and acted on is the session's: this window
      // folded into the evidence of the session's windows before it (scoring/session-evidence.ts).
      const judge = (before: SessionEvidence, window: Assessment) => {
        const evidence = accumulate(before, window);
        return { evidence, answer: sessionAnswer(evidence, window, deps.thresholds) };
      };
      const also = (answer: Assessment, standing: SessionStanding) => {
        const row = deps.outbox?.(decisionOf(answer, standing));
        return row ? [row] : [];
      };
      const stored = await deps.store.store({ batch, payloadSha256, receivedAtMs, edge, geo, core, judge, also });
      const { duplicate, answer, standing } = stored;
      let decision = decisionOf(answer, standing);
      if (!duplicate) {
        if (replay) deps.replays!.remember(batch.sessionId, whose, replay.fp);
        deps.onScored?.(answer);
        const status = await deps.policy?.apply(batch.sessionId, batch.batchId, answer, session, stored.judgedAtVersion);
        // The identity lifecycle may have moved on meanwhile (a refresh-token reuse, a VerifyMpin).
        if (status) decision = { ...decision, standing: { ...decision.standing!, level: reportedStanding({ standing: standing.level, status }, undefined) } };
        // The batch is stored: a failed enrolment must not turn into a failed (retried) ingest. Each
        // modality enrols its own window, judged by its own model (or the population's before it has one).
        for (const [models, p] of [[deps.users, personal], [deps.pointerUsers, pointer]] as const) {
          if (!owner || !models || !p) continue;
          await models
            .enrol({ userId: owner.userId, sessionId: batch.sessionId, batchId: batch.batchId, status: owner.status, window: p.window, assessment: withReplay(p.assessment, match), ownModel: p.model !== undefined })
            .catch((err: unknown) => deps.log?.error('enrolment failed', { sessionId: batch.sessionId, err }));
        }
        deps.onDecision?.(decision);
      }
      return { duplicate, storedEvents: duplicate ? 0 : batch.events.length, assessment: toWireAssessment(answer), standing: toWireStanding(decision.standing!) };
    },

    /**
     * Each batch in turn, as IngestBatch: in order, so that a session's windows fold into its
     * evidence in the order the edge accepted them; a refusal is that batch's answer only.
     */
    async IngestBatches(req: IngestBatchesRequest, ctx?: CallContext): Promise<IngestBatchesResponseInit> {
      const n = req.requests?.length ?? 0;
      if (n < 1 || n > MAX_BATCHES_PER_CALL) {
        throw new CadenceError(Code.INVALID_ARGUMENT, `requests must hold 1 to ${MAX_BATCHES_PER_CALL} batches, not ${n}`, 'requests');
      }
      const results: IngestBatchesResponseInit['results'] = [];
      for (const one of req.requests) {
        // Past the caller's deadline nobody reads the answer: the rest are left for its retry.
        if (ctx?.signal?.aborted) {
          results.push({ error: { code: 'unavailable', message: 'not attempted: the call\'s deadline passed', field: '' } });
          continue;
        }
        try {
          results.push({ response: await handlers.IngestBatch(one) });
        } catch (err) {
          const e = CadenceError.from(err); // a fault of this core says only "internal error"
          if (e.code === Code.INTERNAL) deps.log?.error('ingest of one batch failed', { sessionId: one.batch?.sessionId, err });
          results.push({ error: { code: e.codeName, message: e.message, field: e.field ?? '' } });
        }
      }
      return { results };
    },
  };
  return handlers;
}

/** Batches one IngestBatches call may carry (an edge sends what it accepted during one round trip). */
export const MAX_BATCHES_PER_CALL = 64;
