// OffchainService: Predict (score a DID's typing against its baseline, sign the result, return the
// same signed result for a repeated request) and Health. Transport-neutral; both faces serve it.
import { CadenceError, Code } from '../../lib/errors.ts';
import { considerWindow } from '../../scoring/detectors/enrolment.ts';
import type { CoreConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { guarded, type CallContext } from '../transport/rpc.ts';
import { type BaselineName, type EnrolmentOutcome, encodePayload, FORMAT_VERSION, requestSha256, toHex } from './encoding.ts';
import { featureVector } from './features.ts';
import type { createOffchainKeys } from './keys.ts';
import { createRateLimiter, type DidScope, matchApiKey, scopeCovers } from './limits.ts';
import { reasonsOf } from './reasons.ts';
import type { PairModels } from './pair-model.ts';
import { baselineOf, deviationsFrom, pairInput, type Baseline } from '../../scoring/offchain/inputs.ts';
import { dedupeKeyOf, type OffchainStore, type StoredResult } from './store.ts';
import { type PredictInput, validatePredict } from './validate.ts';

/** A refusal for going too fast; carries the wait so the HTTP face can send Retry-After. */
export class RateLimited extends CadenceError {
  constructor(message: string, retryAfterS: number) {
    super(Code.RESOURCE_EXHAUSTED, `${message}; retry in ${retryAfterS} s`, undefined, { retryAfterS });
  }

  declare readonly retryAfterS: number;
}

/** A session at or above this risk is never enrolled into a DID's history (the monitor threshold). */
const ENROL_MAX_RISK = 0.4;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
/** Results of this core kept in memory for repeats (the database keeps every one for the window). */
const RECENT_RESULTS = 2000;

export interface OffchainDeps {
  config: CoreConfig['offchain'];
  store: OffchainStore;
  keys: ReturnType<typeof createOffchainKeys>;
  /** Seed 003's model pair, the registry's active version. */
  pairs: PairModels;
  log: Logger;
  now: () => number;
  /** Whether the database answers, for Health. */
  dbReady: () => Promise<boolean>;
}

const BASELINE_ENUM: Record<BaselineName, string> = {
  population: 'BASELINE_POPULATION',
  request_history: 'BASELINE_REQUEST_HISTORY',
  did_history: 'BASELINE_DID_HISTORY',
};

function presentedKey(md: Record<string, string>): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(md.authorization ?? '')?.[1];
  return md['x-api-key'] ?? bearer;
}

export function offchainService(deps: OffchainDeps) {
  const { config, store, log, now } = deps;
  const startedAt = now();
  const perKey = createRateLimiter(config.ratePerKeyPerMinute, now);
  const perDid = createRateLimiter(config.ratePerDidPerMinute, now);
  const windowMs = config.idempotencyWindowS * 1000;
  let prunedAt = 0;
  const recent = new Map<string, StoredResult>();
  const remember = (key: string, r: StoredResult) => {
    recent.delete(key);
    if (recent.size >= RECENT_RESULTS) recent.delete(recent.keys().next().value!);
    recent.set(key, r);
  };

  /**
   * Who calls: a configured key (with the DIDs it may write history for, if any) or, when no key is
   * configured at all, the open endpoint (read-only unless CADENCE_OFFCHAIN_OPEN_ENROLMENT).
   */
  function principal(ctx: CallContext): { name: string; open: boolean; scope?: DidScope } {
    const keys = config.apiKeys ?? [];
    if (keys.length === 0) return { name: 'open', open: true };
    const presented = presentedKey(ctx.metadata);
    if (!presented) throw new CadenceError(Code.UNAUTHENTICATED, 'an API key is required: send it in the x-api-key header (or Authorization: Bearer)', 'x-api-key');
    const key = matchApiKey(keys, presented);
    if (!key) throw new CadenceError(Code.UNAUTHENTICATED, 'unknown API key', 'x-api-key');
    const scope = config.keyDids?.get(key.name);
    return { name: key.name, open: false, ...(scope ? { scope } : {}) };
  }

  /** Whether this caller may write `did`'s history; the outcome to sign when it may not. */
  function writeRight(p: ReturnType<typeof principal>, did: string): { may: true } | { may: false; outcome: EnrolmentOutcome } {
    if (p.open) return config.openEnrolment ? { may: true } : { may: false, outcome: 'open_read_only' };
    return scopeCovers(p.scope, did) ? { may: true } : { may: false, outcome: 'not_bound' };
  }

  /** The baseline this request is measured against: the DID's stored history, the request's, or the population. */
  async function baselineFor(req: PredictInput) {
    const own = await store.history(req.did);
    if (own.vectors.length >= config.minHistory) {
      own.memo ??= baselineOf(own.vectors);
      return { name: 'did_history' as const, baseline: own.memo as Baseline, own };
    }
    if (req.historicalPatterns.length >= config.minHistory) return { name: 'request_history' as const, baseline: baselineOf(req.historicalPatterns.map(featureVector))!, own };
    return { name: 'population' as const, baseline: undefined, own };
  }

  async function predict(raw: unknown, ctx: CallContext) {
    const started = performance.now();
    const caller = principal(ctx);
    const who = caller.name;
    const keyWait = perKey.take(who);
    if (keyWait) throw new RateLimited(`API key ${who} is over its limit of ${config.ratePerKeyPerMinute} requests per minute`, keyWait);
    const checked = validatePredict(raw, { maxPatterns: config.maxPatterns, maxSessionFeatures: 64 });
    if (!checked.ok) throw new CadenceError(Code.INVALID_ARGUMENT, checked.problem.message, checked.problem.field);
    const req = checked.value;
    const reqSha = requestSha256(req);
    const reqShaHex = toHex(reqSha);
    const idem = ctx.metadata['idempotency-key'];
    if (idem !== undefined && !IDEMPOTENCY_KEY.test(idem)) throw new CadenceError(Code.INVALID_ARGUMENT, 'must be 1-128 printable ASCII characters', 'idempotency-key');
    // The request hash is global among callers with the same right to write the DID's history
    // (validators running the same off-chain worker get one answer); a read-only caller's result
    // (enrolled: false) is kept apart, so it never stands in for a bound caller's. An idempotency key
    // belongs to the caller that chose it. `v2:`: results of format 1 are never returned again.
    const right = writeRight(caller, req.did);
    const resultKey = idem === undefined ? `v2:r:${right.may ? 'w' : 'ro'}:${reqShaHex}` : `v2:k:${who}:${idem}`;
    const t = now();
    // This core's own recent results answer repeats without a read; one stored by another core (or
    // before a restart) is found when the write below loses the key to it, and returned instead.
    const known = recent.get(resultKey);
    const held = known && known.createdAtMs > t - windowMs ? known : undefined;
    if (held) {
      if (held.requestSha256 !== reqShaHex) {
        throw new CadenceError(Code.ALREADY_EXISTS, 'this idempotency key was used for a different request within the idempotency window', 'idempotency-key');
      }
      return { ...held.response, replayed: true };
    }
    // Read-only callers have a bucket of their own per DID, so they cannot use up the limit of the keys bound to it.
    const didWait = perDid.take(right.may ? `w:${req.did}` : `ro:${req.did}`);
    if (didWait) throw new RateLimited(`DID ${req.did} is over its limit of ${config.ratePerDidPerMinute} new predictions per minute${right.may ? '' : ' for callers not bound to it'}`, didWait);

    const vector = featureVector(req.features);
    const [loaded, base] = await Promise.all([deps.pairs.current(), baselineFor(req)]);
    const { scorer } = loaded;
    const { row, deviations } = pairInput(vector, req.features.activityHourPreference, base.baseline);
    const a = scorer.explain(row);
    const anomalyPpm = Math.round(Math.min(1, Math.max(0, a.anomaly)) * 1e6);
    const anomalyScore = anomalyPpm / 1e6;
    const confidenceScore = Math.round(100 * (1 - anomalyScore));
    // Enrol genuine-looking sessions only, and only for a caller bound to the DID. Until the DID has
    // its own history the session must look genuine to the population too, so a caller cannot seed a
    // DID's stored baseline from made-up historical_patterns.
    const populationAgrees = () => base.name === 'population' || scorer.score(pairInput(vector, req.features.activityHourPreference, undefined).row).pair[0]! < ENROL_MAX_RISK;
    const looksGenuine = a.anomaly < ENROL_MAX_RISK && (base.name === 'did_history' || populationAgrees());
    let enrolment: EnrolmentOutcome;
    if (!right.may) enrolment = right.outcome;
    else if (base.own.dedupeKeys.has(dedupeKeyOf(req.did, reqShaHex))) enrolment = 'already_enrolled';
    else {
      const decision = considerWindow(base.own.vectors, { vector, judged: true, risk: looksGenuine ? a.anomaly : 1, automationSignals: [] }, {
        minWindows: config.minHistory,
        maxWindows: config.maxHistory,
        maxRisk: ENROL_MAX_RISK,
        rejectAutomation: true,
      });
      enrolment = decision.enrolled ? 'enrolled' : decision.reason === 'not_finite' ? 'not_finite' : 'risky';
    }
    const enrolled = enrolment === 'enrolled' || enrolment === 'already_enrolled';
    const model = { name: base.name, windows: base.baseline?.windows ?? 0, modelVersion: loaded.modelVersion, modelSha256: loaded.modelSha256 };

    // Shares of the model's evidence (occlusion, scoring/offchain/pair.ts), 3 decimals as seed 003 shows them.
    const importancePpm = Object.fromEntries(Object.entries(a.importance).map(([k, v]) => [k, Math.round(v * 1000) * 1000]));
    const reasons = reasonsOf(base.baseline ? deviations : deviationsFrom(vector, scorer.population));
    const signer = await deps.keys.ready();
    const issuedAt = now();
    // Measured before signing, since it is signed too (in microseconds).
    const inferenceTimeUs = Math.round((performance.now() - started) * 1000);
    const payload = encodePayload({
      did: req.did,
      confidenceScore,
      anomalyPpm,
      baseline: model.name,
      baselineWindows: model.windows,
      modelVersion: model.modelVersion,
      modelSha256: model.modelSha256,
      requestSha256: reqSha,
      issuedAt,
      featureImportancePpm: importancePpm,
      reasons,
      inferenceTimeUs,
      enrolled,
      enrolment,
    });
    // Every field but the envelope (signature, publicKey, signedMessage, replayed) is in `payload`;
    // verify.ts refuses a response with any other field.
    const response: Record<string, unknown> = {
      formatVersion: FORMAT_VERSION,
      confidenceScore,
      anomalyScore,
      // camelCase keys, as the proto message's fields (the HTTP face turns them back into snake_case).
      featureImportance: Object.fromEntries(Object.entries(importancePpm).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v / 1e6])),
      modelVersion: model.modelVersion,
      inferenceTimeMs: inferenceTimeUs / 1000,
      did: req.did,
      baseline: BASELINE_ENUM[model.name],
      baselineWindows: model.windows,
      reasons,
      modelSha256: toHex(model.modelSha256),
      requestSha256: reqShaHex,
      issuedAt,
      enrolled,
      enrolment,
      signature: toHex(signer.sign(payload)),
      publicKey: signer.publicKey,
      signedMessage: toHex(payload),
      replayed: false,
      anomalyPpm,
    };
    const stored = await store.commit({
      key: resultKey,
      did: req.did,
      requestSha256: reqShaHex,
      response,
      nowMs: issuedAt,
      notBeforeMs: issuedAt - windowMs,
      ...(enrolment === 'enrolled' ? { enrol: { ...req.features, anomalyScore } } : {}),
    });
    if (issuedAt - prunedAt > 60_000) {
      prunedAt = issuedAt;
      store.pruneResults(issuedAt - windowMs).catch((err: unknown) => log.warn('pruning off-chain results failed', { err }));
    }
    remember(resultKey, stored);
    if (stored.response !== response) {
      if (stored.requestSha256 !== reqShaHex) throw new CadenceError(Code.ALREADY_EXISTS, 'this idempotency key was used for a different request within the idempotency window', 'idempotency-key');
      return { ...stored.response, replayed: true };
    }
    return response;
  }

  async function health() {
    const [db, key, model] = await Promise.all([deps.dbReady(), deps.keys.ready().then((k) => k.publicKey, () => ''), deps.pairs.current().then((m) => m.modelVersion, () => '')]);
    return {
      status: db && key && model ? 'healthy' : 'degraded',
      modelLoaded: model !== '',
      modelVersion: model,
      uptimeSeconds: Math.round((now() - startedAt) / 1000),
      publicKey: key,
    };
  }

  return {
    // The key is checked before a transport reads the request, and again (for its name) in predict.
    handlers: { Predict: guarded(predict, async (ctx) => void principal(ctx)), Health: () => health() },
    predict,
    health,
  };
}

export type OffchainService = ReturnType<typeof offchainService>;