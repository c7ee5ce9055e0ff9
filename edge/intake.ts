// Taking in one batch, whichever way it came (HTTP POST or a WebSocket message): limits, consent,
// validation, pre-score, durable hand-off. Returns an outcome; the transports only render it.
import { canonicalBatch, sha256 } from '../lib/batch-digest.ts';
import { CadenceError } from '../lib/errors.ts';
import type { Geo } from '../lib/geo.ts';
import { hasConsent, parseBatch } from '../scoring/batch.ts';
import type { Assessment, PreScorer } from '../scoring/prescore.ts';
import type { Auth } from './auth.ts';
import type { EdgeConfig } from './config.ts';
import { esIngestRequest } from '../lib/wire-es.ts';
import { isPermanent, type Delivery } from './delivery.ts';
import { RateLimiter } from './limits.ts';
import type { ModelCache } from './models.ts';
import { fuseWithUser, userForestRisk, userForestRow } from '../scoring/user-model.ts';
import type { Thresholds } from '../scoring/policy.ts';
import { createReplayGuard, replayOwner, withReplay } from '../scoring/replay-guard.ts';
import { accumulate, afterStepUp, sessionAnswer, type SessionEvidence } from '../scoring/session-evidence.ts';
import { AFTER_MPIN_LLR, higher, standingAfter, type Standing, type StoredStanding } from '../scoring/session-standing.ts';
import { createStandingWatch } from './standing-watch.ts';
import { SessionEvidenceCache, type SessionMirror } from './session-evidence-cache.ts';

export interface Refusal {
  ok: false;
  status: 400 | 401 | 403 | 409 | 413 | 415 | 429 | 503;
  code: string;
  message: string;
  field?: string;
  retryAfter?: number;
}

export interface Accepted {
  ok: true;
  sessionId: string;
  batchId: string;
  duplicate: boolean;
  /** The session's answer (scoring/session-evidence.ts). */
  assessment: Assessment;
  /** This window's own score, before the session's evidence. */
  windowScore: number;
  /** The session's standing as this edge knows it (scoring/session-standing.ts). */
  standing: StoredStanding;
}

export type Outcome = Accepted | Refusal;

export interface IntakeDeps {
  config: EdgeConfig;
  scorer: PreScorer;
  delivery: Delivery;
  auth: Auth;
  /** Users' own models, when the core serves them. */
  models?: ModelCache;
  thresholds: Thresholds;
  now: () => number;
  log: (msg: string, fields: Record<string, unknown>) => void;
}

const refusal = (status: Refusal['status'], code: string, message: string, field?: string, retryAfter?: number): Refusal => ({
  ok: false,
  status,
  code,
  message,
  ...(field === undefined ? {} : { field }),
  ...(retryAfter === undefined ? {} : { retryAfter }),
});

const RANK: Record<StoredStanding, number> = { allow: 0, monitor: 1, challenge: 2, block: 3 };

/**
 * The answer's decision is the session's: a challenge or block the session stands at (the edge's
 * own, held until the MPIN, or the core's) is the decision until it is answered, with its reasons.
 */
function withStanding(a: Assessment, standing: StoredStanding, reasons: readonly string[] = []): Assessment {
  if ((standing !== 'challenge' && standing !== 'block') || RANK[standing] <= RANK[a.decision]) return a;
  return { ...a, decision: standing, reasons: [...new Set([...a.reasons, ...reasons])] };
}

/**
 * A session's evidence after a verified MPIN or a clear, at most `cap`: the rates behind a challenge
 * answered (afterStepUp); a step-up nobody asked for answers nothing.
 */
function stepUp(held: SessionMirror, cap: number): SessionEvidence {
  return held.standing === 'challenge' ? afterStepUp(held.evidence, cap) : { ...held.evidence, llr: Math.min(held.evidence.llr, cap) };
}

export function createIntake(deps: IntakeDeps) {
  const { config } = deps;
  const perSession = new RateLimiter({ perMinute: config.sessionPerMinute, burst: config.sessionBurst }, deps.now);
  const perIp = new RateLimiter({ perMinute: config.ipPerMinute, burst: config.ipBurst }, deps.now);
  const sessions = new SessionEvidenceCache(undefined, config.sessionCacheMb * 2 ** 20);
  // Per process on Node, per isolate on workerd (best effort there); the core keeps its own.
  const replays = config.replayWindows > 0 ? createReplayGuard({ maxWindows: config.replayWindows, maxBytes: config.replayMemoryMb * 2 ** 20 }) : undefined;

  const watch = createStandingWatch({ coreUrls: config.coreUrls, apiKey: config.coreApiKey });

  return {
    /** Long-polls the core for a session's standing (edge/standing-watch.ts). */
    watch,

    /**
     * Takes the core's standing into this edge's mirror; returns the mirror's standing after. The
     * core's word raises the mirror at once; it lowers it only for a deliberate act (a verified
     * MPIN, an analyst's clear), since the core may simply not have this edge's latest batches yet,
     * and only when the act (`changedAtMs`, the core's time of it) is no older than the mirror's
     * last rise: a stream that reconnects reads the core's standing as it last changed, and an MPIN
     * given before this edge challenged again answers nothing of the new challenge. A lock ends the
     * session here as a block does. `raiseOnly`: the standing came with the answer to one of this
     * edge's own batches (it may be older than the mirror), so it never lowers.
     */
    adopt(sessionId: string, level: Standing, reasons: readonly string[], raiseOnly = false, changedAtMs?: number): StoredStanding {
      const held = sessions.get(sessionId);
      const core: StoredStanding = level === 'locked' ? 'block' : level;
      const stale = changedAtMs !== undefined && held.raisedAtMs !== undefined && changedAtMs < held.raisedAtMs;
      const lowered = !raiseOnly && !stale && (reasons.includes('mpin_verified') || reasons.includes('analyst_cleared'));
      const next = lowered && held.standing !== 'block' ? core : higher(held.standing, core);
      if (next !== held.standing) {
        // A verified MPIN keeps half the evidence, as the core does; an analyst's clear starts it
        // again (signals and fact counts too), as the core does. Both answer the rates behind a challenge.
        let evidence = held.evidence;
        if (lowered && reasons.includes('mpin_verified')) evidence = stepUp(held, AFTER_MPIN_LLR);
        else if (lowered) {
          const { facts: _facts, ...cleared } = stepUp(held, 0);
          evidence = { ...cleared, signals: [] };
        }
        const raisedAtMs = lowered ? held.raisedAtMs : (changedAtMs ?? deps.now());
        sessions.set(sessionId, { standing: next, evidence, reasons, ...(raisedAtMs === undefined ? {} : { raisedAtMs }) });
      }
      return next;
    },

    /** Why the session stands where it does (empty for a session this edge does not know). */
    reasonsOf(sessionId: string): readonly string[] {
      return sessions.get(sessionId).reasons ?? [];
    },

    /**
     * A verified MPIN (through this edge's /v1/auth/mpin) answers the session's challenge here as
     * in the core: standing allow, evidence at most AFTER_MPIN_LLR (scoring/session-standing.ts).
     */
    stepUpPassed(sessionId: string): void {
      const held = sessions.get(sessionId);
      if (held.standing === 'block') return;
      sessions.set(sessionId, { standing: 'allow', evidence: stepUp(held, AFTER_MPIN_LLR), ...(held.raisedAtMs === undefined ? {} : { raisedAtMs: held.raisedAtMs }) });
    },

    /** Counts one arrival from `clientIp`; a refusal if that address is over its limit. */
    admit(clientIp: string): Refusal | undefined {
      const wait = perIp.take(clientIp);
      return wait > 0 ? refusal(429, 'rate_limited', `too many batches from this address; retry in ${wait} s`, undefined, wait) : undefined;
    },

    /** Parses, checks and hands over one batch given as JSON text, with its bearer token if any. */
    /** `geo`: where the request came from (edge/geo.ts), passed on to the core with the batch. */
    async take(text: string, bearer?: string, background?: (p: Promise<unknown>) => void, geo?: Geo): Promise<Outcome> {
      if (text.length > config.maxBodyBytes) {
        return refusal(413, 'body_too_large', `the batch is larger than ${config.maxBodyBytes} bytes; send smaller batches`);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        return refusal(400, 'malformed_json', `the body is not valid JSON: ${(err as Error).message}`, '(body)');
      }
      // Without consent nothing is looked at further, let alone stored.
      if (!hasConsent(body)) {
        return refusal(403, 'consent_required', 'the batch carries no consent: true; nothing was processed or stored', 'consent');
      }
      // Beacons cannot send headers: their access token may come as a top-level `token` field,
      // which is taken out here and never stored.
      const inBody = (body as { token?: unknown }).token;
      if (inBody !== undefined) {
        if (typeof inBody !== 'string' || inBody.length > 8192) return refusal(400, 'invalid_batch', 'token must be a string', 'token');
        bearer ??= inBody;
        delete (body as { token?: unknown }).token;
      }
      const parsed = parseBatch(body);
      if (!parsed.ok) return refusal(400, 'invalid_batch', parsed.problem.message, parsed.problem.field);
      const batch = parsed.batch;
      const who = await deps.auth.check(bearer, batch.sessionId, batch.context?.deviceId);
      if (!who.ok) return refusal(who.status, who.code, who.message, who.field);
      // A session whose answer was block is over for this edge: its batches are refused, not scored.
      if (sessions.isBlocked(batch.sessionId)) {
        return refusal(403, 'session_blocked', 'this session was blocked by the risk policy; nothing more is taken for it: start a new session (log in again)', 'sessionId');
      }
      const wait = perSession.take(batch.sessionId);
      if (wait > 0) return refusal(429, 'rate_limited', `too many batches from this session; retry in ${wait} s`, undefined, wait);
      let assessment = deps.scorer.score(batch.events);
      // A logged-in user's own model, when the edge has it: their rhythm against their own past.
      if (deps.models && who.kind === 'user' && who.userId) {
        const model = await deps.models.get(who.userId, background);
        const row = model && userForestRow(batch.events);
        if (model && row) {
          const risk = userForestRisk(model.forest.scoreOne(row), model.calibration);
          assessment = fuseWithUser(assessment, risk, `user-keystroke@${model.version}`, deps.thresholds);
        }
      }
      // A window copying another session seen here (a replay with a time warp and noise).
      const owner = replayOwner(who.kind === 'user' ? who.userId : undefined, batch.context?.deviceId);
      const replay = replays?.check(batch.sessionId, owner, batch.events);
      assessment = withReplay(assessment, replay?.match ?? null);
      // The answer is the session's: this window folded into the evidence of the windows before it.
      const before = sessions.get(batch.sessionId);
      const evidence = accumulate(before.evidence, assessment);
      const answer = sessionAnswer(evidence, assessment, deps.thresholds);
      const standing = standingAfter(before.standing, answer);
      try {
        // Resolves once the batch can no longer be lost (spooled, queued, or stored by the core).
        // Keyed by (session, batch id) with a digest of the batch as sent: a retry is a duplicate,
        // other content under the same key a 409, the same id in another session no collision.
        const digest = await sha256(canonicalBatch(batch));
        const key = { sessionId: batch.sessionId, batchId: batch.batchId, digest };
        const { duplicate } = await deps.delivery.accept(key, esIngestRequest(batch, answer, deps.now(), geo));
        // A retry of a batch already counted adds nothing: it is answered with the evidence as it stands.
        if (duplicate) {
          const held = sessions.get(batch.sessionId);
          const now = sessionAnswer(held.evidence, assessment, deps.thresholds);
          return { ok: true, sessionId: batch.sessionId, batchId: batch.batchId, duplicate, assessment: withStanding(now, held.standing, held.reasons), windowScore: assessment.score, standing: held.standing };
        }
        // The core may have raised the session while the batch was on its way (edge/forward.ts); a
        // verified MPIN or a clear may have lowered it: then the window is folded again onto the
        // session as it is now, as the core judges again after its compare-and-set, so that a
        // batch in flight does not put back the challenge the MPIN answered.
        const now = sessions.get(batch.sessionId);
        const base = RANK[now.standing] < RANK[before.standing] ? now : before;
        const folded = base === before ? evidence : accumulate(now.evidence, assessment);
        const answered = base === before ? answer : sessionAnswer(folded, assessment, deps.thresholds);
        const risen = base === before ? standing : standingAfter(now.standing, answered);
        const final = higher(risen, now.standing);
        const reasons = final === now.standing && final !== risen ? now.reasons : risen !== base.standing ? answered.reasons : base.reasons;
        const raisedAtMs = final !== now.standing ? deps.now() : now.raisedAtMs;
        sessions.set(batch.sessionId, { evidence: folded, standing: final, reasons, ...(raisedAtMs === undefined ? {} : { raisedAtMs }) }); // a block standing ends the session here
        if (replay) replays!.remember(batch.sessionId, owner, replay.fp);
        return { ok: true, sessionId: batch.sessionId, batchId: batch.batchId, duplicate, assessment: withStanding(answered, final, reasons), windowScore: assessment.score, standing: final };
      } catch (err) {
        const e = CadenceError.from(err);
        if (isPermanent(e)) return refusal(e.httpStatus as 400 | 403 | 409, e.codeName, e.message, e.field?.replace(/^batch\./, ''));
        deps.log('delivery failed', { batchId: batch.batchId, code: e.codeName, message: e.message });
        return refusal(503, 'unavailable', 'the batch was not accepted; retry with the same batchId', undefined, 1);
      }
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
