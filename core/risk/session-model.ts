// The supervised session model in the core: the registry's active 'session-forest' (scope global),
// decoded (format, sha256, schema checked) and uploaded to the WASM tree kernel once per version,
// and the RiskService handlers PredictSession / PredictSessions over it. It answers on request
// only: the live edge decision does not use it yet.
import type { PredictSessionRequest } from '../../gen/proto/cadence/v1/PredictSessionRequest.ts';
import type { PredictSessionResponseInit } from '../../gen/proto/cadence/v1/PredictSessionResponse.ts';
import type { PredictSessionsRequest } from '../../gen/proto/cadence/v1/PredictSessionsRequest.ts';
import type { PredictSessionsResponseInit } from '../../gen/proto/cadence/v1/PredictSessionsResponse.ts';
import type { SessionFeatures } from '../../gen/proto/cadence/v1/SessionFeatures.ts';
import type { SessionPredictionInit } from '../../gen/proto/cadence/v1/SessionPrediction.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { decodeModel, encodeModel } from '../../wasm/model-format.ts';
import type { Kernels, ScoringKernel } from '../../wasm/kernels.ts';
import { SESSION_FIELDS, sessionRecordProblem, type SessionRecord } from '../../scoring/features/session-record.ts';
import type { TableEncoding } from '../../scoring/features/tabular-encoding.ts';
import { sessionAnswer, sessionRows, type TrainedSessionModel } from '../../scoring/models/session-model.ts';
import { scoreTreesRaw, type TreeEnsembleModel } from '../../scoring/models/tree-ensemble.ts';
import { rocAuc } from '../../scoring/models/classification-metrics.ts';
import type { ServiceHandlers } from '../transport/rpc.ts';
import { GLOBAL_SCOPE, type ModelRegistry, type ModelRow } from '../models/registry.ts';

export const SESSION_MODEL_KIND = 'session-forest' as const;
export const MAX_PREDICT_BATCH = 1000;

/**
 * AUC of the active session model on a candidate's held-out records, or undefined when there is no
 * active model (or it cannot be read: then it cannot be defended either).
 */
async function activeAucOn(registry: ModelRegistry, heldOut: TrainedSessionModel['heldOut']): Promise<number | undefined> {
  const row = await registry.active(SESSION_MODEL_KIND, GLOBAL_SCOPE);
  if (!row) return undefined;
  try {
    const model = (await decodeModel(new Uint8Array(row.binary), { schema: row.featureSchema, kind: 'rforest' })) as TreeEnsembleModel;
    const encoding = (row.state as { encoding?: TableEncoding }).encoding;
    if (!encoding || encoding.columns?.length !== model.features) return undefined;
    return rocAuc(scoreTreesRaw(model, sessionRows(encoding, heldOut.records)), heldOut.labels) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores a trained session model as a new registry version. It becomes the active one (unless a
 * pin says otherwise) only if its AUC on its own held-out split is at least the active model's
 * AUC on that same split; otherwise it is kept as an inactive candidate (`activated: false`).
 */
export async function storeSessionModel(registry: ModelRegistry, trained: TrainedSessionModel, extra: Record<string, number> = {}, options: { automatic?: boolean } = {}): Promise<ModelRow> {
  const m = trained.metrics;
  const incumbent = await activeAucOn(registry, trained.heldOut);
  const worse = incumbent !== undefined && (m.auc ?? 0) < incumbent;
  return registry.add({
    kind: SESSION_MODEL_KIND,
    scope: GLOBAL_SCOPE,
    binary: await encodeModel(trained.model, SESSION_FIELDS),
    featureSchema: [...SESSION_FIELDS],
    metrics: {
      auc: m.auc, average_precision: m.average_precision, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1,
      threshold: m.threshold, tp: m.confusion.tp, fp: m.confusion.fp, tn: m.confusion.tn, fn: m.confusion.fn,
      held_out: m.n, trained_rows: trained.trainRows, trees: trained.model.trees, ...extra,
      ...(incumbent !== undefined ? { active_auc_on_split: incumbent } : {}),
    },
    state: { encoding: trained.encoding },
  }, { automatic: options.automatic, inactive: worse });
}

interface Loaded {
  row: ModelRow;
  model: TreeEnsembleModel;
  encoding: TableEncoding;
  kernel: ScoringKernel;
}

export function createSessionPredictor(deps: { registry: ModelRegistry; kernels: Kernels }) {
  let loaded: Loaded | null = null;
  let loading: Promise<Loaded | null> | null = null;

  /** The active model, reloaded when the active version changes. */
  async function current(): Promise<Loaded | null> {
    const row = await deps.registry.active(SESSION_MODEL_KIND, GLOBAL_SCOPE);
    if (!row) return null;
    if (loaded?.row.id === row.id) return loaded;
    loading ??= (async () => {
      const model = (await decodeModel(new Uint8Array(row.binary), { schema: row.featureSchema, kind: 'rforest' })) as TreeEnsembleModel;
      const encoding = (row.state as { encoding?: TableEncoding }).encoding;
      if (!encoding || encoding.columns?.length !== model.features) throw new Error(`session model ${row.version} has no usable encoding`);
      const next = { row, model, encoding, kernel: deps.kernels.loadTrees(model) };
      loaded?.kernel.dispose();
      loaded = next;
      return next;
    })().finally(() => (loading = null));
    return loading;
  }

  return {
    current,
    async predict(records: readonly SessionRecord[]): Promise<{ version: string; answers: ReturnType<typeof sessionAnswer>[] }> {
      const m = await current();
      if (!m) throw new CadenceError(Code.FAILED_PRECONDITION, 'no session model is active: train one (npx cadence train session-model)');
      const raw = m.kernel.score(sessionRows(m.encoding, records));
      return { version: m.row.version, answers: Array.from(raw, (r) => sessionAnswer(m.model, r)) };
    },
  };
}

export type SessionPredictor = ReturnType<typeof createSessionPredictor>;

const CATEGORICAL_WIRE: Record<string, keyof SessionFeatures> = {
  device_type: 'deviceType', screen_size: 'screenSize', browser: 'browser', language: 'language', orientation: 'orientation', geolocation_city: 'geolocationCity', timezone: 'timezone',
};
const NUMERIC_WIRE: Record<string, keyof SessionFeatures> = {
  local_hour: 'localHour', time_on_page_s: 'timeOnPageS', clicks: 'clicks', scrolls: 'scrolls', form_submissions: 'formSubmissions', page_views: 'pageViews',
  session_duration_s: 'sessionDurationS', bounce_rate: 'bounceRate', conversion_rate: 'conversionRate', avg_session_duration_s: 'avgSessionDurationS',
};

/** A wire record as a SessionRecord; INVALID_ARGUMENT naming the field (under `path`) when it is out of range. */
function recordOf(f: SessionFeatures | null | undefined, path: string): SessionRecord {
  const r: Record<string, string | number> = {};
  if (f) {
    for (const [name, wire] of Object.entries(CATEGORICAL_WIRE)) {
      const v = f[wire];
      if (typeof v === 'string' && v !== '') r[name] = v;
    }
    for (const [name, wire] of Object.entries(NUMERIC_WIRE)) {
      const v = f[wire];
      if (v !== undefined && v !== null) r[name] = Number(v);
    }
  }
  const problem = sessionRecordProblem(r as SessionRecord);
  if (problem) {
    const wire = CATEGORICAL_WIRE[problem.field] ?? NUMERIC_WIRE[problem.field];
    throw new CadenceError(Code.INVALID_ARGUMENT, problem.message, `${path}.${String(wire)}`);
  }
  return r as SessionRecord;
}

function sessionIdOf(id: string, path: string): string {
  if (id.length > 128) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is longer than 128 characters', path);
  return id;
}

/** `records`: where the context sent for a session id is kept (training rows once it is labelled). */
export function sessionPredictionHandlers(predictor: SessionPredictor, keep?: { save(entries: { sessionId: string; record: SessionRecord }[]): Promise<void> }): ServiceHandlers {
  const answer = (sessionId: string, version: string, a: ReturnType<typeof sessionAnswer>): SessionPredictionInit => ({
    sessionId, isAnomaly: a.isAnomaly, anomalyProbability: a.anomalyProbability, confidence: a.confidence, modelVersion: version, threshold: a.threshold,
  });
  return {
    async PredictSession(req: PredictSessionRequest): Promise<PredictSessionResponseInit> {
      const sessionId = sessionIdOf(req.sessionId ?? '', 'sessionId');
      const record = recordOf(req.features, 'features');
      const { version, answers } = await predictor.predict([record]);
      // Kept only once answered: a refused call writes nothing (so the first model comes from
      // `cadence train session-model`; labelled sessions retrain it from then on).
      await keep?.save([{ sessionId, record }]);
      return { prediction: answer(sessionId, version, answers[0]!) };
    },
    async PredictSessions(req: PredictSessionsRequest): Promise<PredictSessionsResponseInit> {
      const sessions = req.sessions ?? [];
      if (sessions.length === 0) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessions must hold at least one session', 'sessions');
      if (sessions.length > MAX_PREDICT_BATCH) throw new CadenceError(Code.INVALID_ARGUMENT, `sessions holds ${sessions.length}, at most ${MAX_PREDICT_BATCH}`, 'sessions');
      const ids = sessions.map((s, i) => sessionIdOf(s.sessionId ?? '', `sessions.${i}.sessionId`));
      const records = sessions.map((s, i) => recordOf(s.features, `sessions.${i}.features`));
      const { version, answers } = await predictor.predict(records);
      await keep?.save(ids.map((sessionId, i) => ({ sessionId, record: records[i]! })));
      return { predictions: answers.map((a, i) => answer(ids[i]!, version, a)) };
    },
  };
}
