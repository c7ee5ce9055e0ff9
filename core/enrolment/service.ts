// Per-user models in the core, one instance per modality (keystroke, pointer: modality.ts): each
// logged-in session's windows are scored with the user's active model of that modality (fused with
// the population pre-score), genuine-looking windows are enrolled under the rules of enrol-rule.ts,
// and models are (re)trained in the background.
import { and, desc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { enrolmentWindows, sessions } from '../../db/schema.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { slog } from '../../scoring/detectors/transform.ts';
import { finiteOr } from '../../scoring/detectors/types.ts';
import { trainIsolationForest, type ForestModel } from '../../scoring/models/iforest.ts';
import { decide, type Thresholds } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { sessionShares } from '../../scoring/user-model.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { decodeModel, encodeModel } from '../../wasm/model-format.ts';
import type { Logger } from '../log.ts';
import { gateFailures } from '../models/quality-gate.ts';
import { GLOBAL_SCOPE, type ModelRegistry, type ModelRow } from '../models/registry.ts';
import { enrolmentVerdict } from './enrol-rule.ts';
import { createSessionProfiles, meanOf, SESSION_PROFILE_WINDOWS } from './session-profile.ts';
import { fitsFor, fusedFromState, type FusionState, type UserScorer } from './fusion.ts';
import { createJobQueue, trainInWorker } from './jobs.ts';
import type { TrainInput, TrainOutput } from './train.ts';
import { KEYSTROKE, type Modality } from './modality.ts';
import { FOREST_SCHEMA, reasonName, WINDOW_FEATURES, type Window } from './windows.ts';

/** A version the quality gate kept out (stored inactive); an operator may still Activate it. */
function refusedByGate(row: ModelRow): boolean {
  const gate = (row.state as { gate?: { passed?: boolean; enforced?: boolean } }).gate;
  return gate?.passed === false && gate.enforced !== false;
}

/** The user's own model found the window unlike its owner (the reason scoring/user-model.ts gives too). */
const UNLIKE_OWNER = 'user_rhythm_unlike_owner';

export interface EnrolmentConfig {
  /** Enrolment windows before a user's model is trained and used (seed 001: 50). */
  minWindows: number;
  /** Newest windows kept per user (the sliding window against drift). */
  maxWindows: number;
  /** New enrolled windows that trigger a retraining... */
  retrainEvery: number;
  /** ...but at most once per this many seconds per user. */
  retrainIntervalS: number;
  /** 'on' (default): a model that fails the quality gate is kept inactive (core/models/quality-gate.ts). */
  qualityGate?: 'on' | 'off';
}

interface Loaded {
  row: ModelRow;
  scorer: UserScorer;
  loadedAt: number;
}

/** A loaded model is re-read after this long, so an activation on another core instance shows up. */
const CACHE_MS = 60_000;
const POPULATION_WINDOWS = 5000;
const IMPOSTOR_WINDOWS = 200;

/** The owner of a session row (user and status), or undefined for an anonymous session. */
export function ownerOf(s: { userId: string | null; status: string | null } | undefined): { userId: string; status: string | null } | undefined {
  return s?.userId ? { userId: s.userId, status: s.status } : undefined;
}

export function createUserModels(deps: {
  db: Db;
  kernels: Kernels;
  registry: ModelRegistry;
  config: EnrolmentConfig;
  thresholds: Thresholds;
  log: Logger;
  now: () => number;
  /** Where training runs (a worker thread by default; tests may pass trainUserModel inline). */
  train?: (input: TrainInput) => Promise<TrainOutput>;
  /** Keystroke (default) or pointer windows (modality.ts). */
  modality?: Modality;
  /** The job queue to share with the other modality's models (one training at a time on a small machine). */
  jobs?: ReturnType<typeof createJobQueue>;
}) {
  const { db, registry, config } = deps;
  const modality = deps.modality ?? KEYSTROKE;
  const kind = modality.model;
  const windowOf = modality.windowOf;
  const dims = modality.features.length;
  /** A user's training job: an operator's Train joins an automatic one of the same key (keystroke keeps its old key). */
  const jobKey = (userId: string) => (kind === 'user-keystroke' ? `train:${userId}` : `train:${kind}:${userId}`);
  const jobs = deps.jobs ?? createJobQueue(deps.log);
  const train = deps.train ?? trainInWorker;
  const cache = new Map<string, Loaded | null>();
  const profiles = createSessionProfiles();
  const cacheTime = new Map<string, number>();

  function forget(userId: string): void {
    cache.get(userId)?.scorer.dispose();
    cache.delete(userId);
    cacheTime.delete(userId);
  }

  async function build(row: ModelRow): Promise<Loaded> {
    const rows = new Float64Array(new Uint8Array(row.trainRows!).buffer);
    const forest = (await decodeModel(new Uint8Array(row.binary), { schema: modality.forestSchema, kind: 'iforest' })) as ForestModel;
    const n = rows.length / dims;
    return { row, scorer: fusedFromState({ data: rows, dims }, fitsFor(deps.kernels, n, forest), row.state as unknown as FusionState), loadedAt: deps.now() };
  }

  /**
   * A model that cannot be loaded (corrupted in storage, another schema) must not fail scoring:
   * the user's newest earlier version that loads takes its place, else the population model alone.
   */
  async function buildOrFallBack(userId: string, active: ModelRow): Promise<Loaded | null> {
    const candidates = [active, ...(await registry.list({ scope: userId, kind, limit: 10 })).map((r) => r.row).filter((r) => r.id !== active.id)];
    for (const row of candidates) {
      try {
        const loaded = await build(row);
        if (row.id !== active.id) deps.log.warn('active user model unusable; scoring with an earlier version', { userId, broken: active.version, using: row.version });
        return loaded;
      } catch (err) {
        deps.log.error('user model cannot be loaded', { userId, version: row.version, reason: (err as Error).message });
      }
    }
    return null;
  }

  /** The user's active model, loaded once and kept (re-read after CACHE_MS). */
  async function modelOf(userId: string): Promise<Loaded | undefined> {
    const at = cacheTime.get(userId);
    if (at !== undefined && Date.now() - at < CACHE_MS) return cache.get(userId) ?? undefined;
    const row = await registry.active(kind, userId);
    const current = cache.get(userId);
    if (current && row && current.row.id === row.id) {
      cacheTime.set(userId, Date.now());
      return current;
    }
    forget(userId);
    const loaded = row ? await buildOrFallBack(userId, row) : null;
    cache.set(userId, loaded);
    cacheTime.set(userId, Date.now());
    return loaded ?? undefined;
  }

  /**
   * Population pre-score fused with the user's model; see docs/models.md ("Per-user models").
   * `ownerRisk`: the model's risk of the session's mean window so far, what the session's evidence
   * counts (core/enrolment/session-profile.ts); the window's own risk when there is no session.
   */
  function combine(pop: Assessment, window: Window, user: number, model: Loaded, ownerRisk = user): Assessment {
    // The population model keeps a veto for what it is sure of (bots, gross outliers: at or above
    // challenge); below that the owner's own model decides, so a user whose normal rhythm is unusual
    // for the population is not stepped up for it, and an impostor with a common rhythm is.
    const veto = pop.judged && pop.score >= deps.thresholds.challenge;
    const score = Math.round(Math.max(user, veto ? pop.score : 0) * 1e4) / 1e4;
    const userReasons = model.scorer.reasons(window.vector).map((r) => reasonName(r.feature, r.direction, modality.features));
    return {
      score,
      decision: decide(score, deps.thresholds),
      modelVersion: `${kind}@${model.row.version}+${pop.modelVersion}`,
      // user_rhythm_unlike_owner first: it is what the session's evidence counts (scoring/session-evidence.ts),
      // as the edge's fuseWithUser names it; the features that drove it follow.
      // The window's automation signals always (the session's evidence counts them whatever the owner's
      // model says: it tells who types, not whether a program does), before anything the cut may drop.
      reasons: [...new Set([...(user >= deps.thresholds.monitor ? [UNLIKE_OWNER] : []), ...window.automation, ...(veto ? pop.reasons : []), ...userReasons])].slice(0, 6),
      judged: true,
      // Graded evidence about who is typing (scoring/owner-evidence.ts); the session's business only.
      ownerRisk: Math.round(ownerRisk * 1e4) / 1e4,
      // The window's typing sums and reaches go on to the session's tests (typing_ignores_keys,
      // uncorrected_reaches, flat_speed): whether a program types, not who; as the edge's fuseWithUser.
      ...sessionShares(pop),
    };
  }

  function fuse(pop: Assessment, window: Window, model: Loaded, sessionMean?: Float64Array): Assessment {
    const user = model.scorer.risk({ data: window.vector, dims })[0]!;
    const mean = sessionMean ? model.scorer.sessionRisk({ data: sessionMean, dims })[0]! : user;
    return combine(pop, window, user, model, mean);
  }

  /** The model's risk of each window's session mean so far, windows oldest first (ScoreSession). */
  function sessionRisks(vectors: readonly Float64Array[], model: Loaded): Float64Array {
    if (vectors.length === 0) return new Float64Array(0);
    const data = new Float64Array(vectors.length * dims);
    vectors.forEach((_, i) => data.set(meanOf(vectors.slice(Math.max(0, i + 1 - SESSION_PROFILE_WINDOWS), i + 1)), i * dims));
    return model.scorer.sessionRisk({ data, dims });
  }

  /** Many windows in one pass of the detectors (ScoreSession): the kernels score rows in batches. */
  function fuseMany(items: readonly { pop: Assessment; window: Window }[], model: Loaded): Assessment[] {
    if (items.length === 0) return [];
    const data = new Float64Array(items.length * dims);
    items.forEach((it, i) => data.set(it.window.vector, i * dims));
    const risks = model.scorer.risk({ data, dims });
    return items.map((it, i) => combine(it.pop, it.window, risks[i]!, model));
  }

  async function windowsOf(userId: string): Promise<{ rows: Float64Array; lastId: number }> {
    const found = await db
      .select({ id: enrolmentWindows.id, vector: enrolmentWindows.vector })
      .from(enrolmentWindows)
      .where(and(eq(enrolmentWindows.userId, userId), eq(enrolmentWindows.kind, modality.window)))
      .orderBy(enrolmentWindows.id)
      .all();
    const rows = new Float64Array(found.length * dims);
    found.forEach((w, i) => rows.set(w.vector, i * dims));
    return { rows, lastId: found.at(-1)?.id ?? 0 };
  }

  /** `automatic`: started by the rules (maybeTrain), so it yields to an operator's pinned version. */
  async function trainUser(userId: string, automatic: boolean): Promise<ModelRow> {
    const { rows, lastId } = await windowsOf(userId);
    const n = rows.length / dims;
    if (n < config.minWindows) {
      throw new CadenceError(Code.FAILED_PRECONDITION, `user ${userId} has ${n} enrolment windows; a model needs ${config.minWindows} (CADENCE_ENROL_MIN_WINDOWS)`, 'scope');
    }
    const others = await db
      .select({ vector: enrolmentWindows.vector })
      .from(enrolmentWindows)
      .where(and(ne(enrolmentWindows.userId, userId), eq(enrolmentWindows.kind, modality.window)))
      .orderBy(desc(enrolmentWindows.id))
      .limit(IMPOSTOR_WINDOWS)
      .all();
    const impostors = new Float64Array(others.length * dims);
    others.forEach((w, i) => impostors.set(w.vector, i * dims));
    const started = Date.now();
    const out = await train({ rows, dims, impostors, monitor: deps.thresholds.monitor });
    // The quality gate (core/models/quality-gate.ts): a model worse than none is kept, not used.
    const failures = gateFailures(out.metrics);
    const refused = config.qualityGate === 'off' ? [] : failures;
    const row = await registry.add({
      kind,
      scope: userId,
      binary: await encodeModel(out.forest, modality.forestSchema),
      featureSchema: [...modality.features],
      metrics: { ...out.metrics, gate_passed: failures.length ? 0 : 1 },
      state: { ...out.state, lastWindowId: lastId, windows: n, gate: { passed: failures.length === 0, enforced: config.qualityGate !== 'off', failures } },
      trainRows: rows,
    }, { automatic, inactive: refused.length > 0 });
    forget(userId);
    deps.log.info(refused.length ? 'user model refused by the quality gate' : 'user model trained', { userId, kind, version: row.version, windows: n, ms: Date.now() - started, eer: out.metrics.eer, frrAtMonitor: out.metrics.frr_at_monitor, ...(refused.length ? { failures: refused } : {}) });
    return row;
  }

  async function trainPopulation(): Promise<ModelRow> {
    const found = await db.select({ vector: enrolmentWindows.vector }).from(enrolmentWindows).where(eq(enrolmentWindows.kind, 'keystroke')).orderBy(desc(enrolmentWindows.id)).limit(POPULATION_WINDOWS).all();
    if (found.length < config.minWindows) {
      throw new CadenceError(Code.FAILED_PRECONDITION, `there are ${found.length} enrolment windows in all; a population model needs ${config.minWindows}`, 'scope');
    }
    // Newest fifth held back: how the forest scores windows it has not seen (no impostors here).
    const slogged = (ws: typeof found) => Float64Array.from(ws.flatMap((w) => w.vector.map((v) => finiteOr(slog(v), 0))));
    const back = Math.max(1, Math.round(found.length * 0.2));
    const held = slogged(found.slice(0, back));
    const forest = trainIsolationForest(slogged(found.slice(back)), dims, { trees: 100, seed: 0 });
    const k = deps.kernels.loadForest(forest);
    const heldScores = k.score(held);
    k.dispose();
    const final = trainIsolationForest(slogged(found), dims, { trees: 100, seed: 0 });
    const mean = heldScores.reduce((s, v) => s + v, 0) / heldScores.length;
    return registry.add({
      kind: 'population-keystroke-forest',
      scope: GLOBAL_SCOPE,
      binary: await encodeModel(final, FOREST_SCHEMA),
      featureSchema: [...WINDOW_FEATURES],
      metrics: { trained_windows: found.length, held_back_genuine: back, mean_held_back_score: Math.round(mean * 1e4) / 1e4, eer: null, auc: null },
      state: {},
    });
  }

  /** Whether the rules call for an automatic (re)training of the user's model now. */
  async function retrainDue(userId: string): Promise<boolean> {
    const active = await registry.active(kind, userId);
    // An operator chose this version (Activate, Rollback): retraining waits for their Train/Retrain.
    if (active?.pinned) return false;
    // Without an active model, a version the quality gate refused counts as the last training:
    // the next one waits for retrainEvery new windows, not one more.
    const model = active ?? (await registry.list({ scope: userId, kind, limit: 1 }))[0]?.row;
    const since = (model?.state as { lastWindowId?: number } | undefined)?.lastWindowId ?? 0;
    const fresh = await db
      .select({ n: sql<number>`count(*)` })
      .from(enrolmentWindows)
      .where(and(eq(enrolmentWindows.userId, userId), eq(enrolmentWindows.kind, modality.window), gt(enrolmentWindows.id, since)))
      .get();
    const added = fresh?.n ?? 0;
    return model
      ? added >= config.retrainEvery && deps.now() - model.trainedAtMs >= config.retrainIntervalS * 1000
      : added >= config.minWindows;
  }

  /**
   * Queues an automatic (re)training when the rules say so; never waits for it. The rules are
   * asked again when the job's turn comes: meanwhile another training may have covered these
   * windows, or an operator may have pinned a version.
   */
  async function maybeTrain(userId: string): Promise<void> {
    if (!(await retrainDue(userId))) return;
    const job = async (): Promise<ModelRow | undefined> => ((await retrainDue(userId)) ? trainUser(userId, true) : undefined);
    void jobs.add(jobKey(userId), job).catch(() => undefined);
  }

  return {
    jobs,
    forget,
    modelOf,

    /** Owner and status of a session (undefined for an anonymous one). */
    async owner(sessionId: string): Promise<{ userId: string; status: string | null } | undefined> {
      return ownerOf(await db.select({ userId: sessions.userId, status: sessions.status }).from(sessions).where(eq(sessions.id, sessionId)).get());
    },

    /**
     * The core assessment of one window of a user's session, and its window for enrolment. With the
     * session and batch, the window joins the session's mean, which the model scores for the evidence.
     */
    async assess(userId: string, events: readonly BatchEvent[], pop: Assessment, at?: { sessionId: string; batchId: string }): Promise<{ assessment: Assessment; window: Window; model?: Loaded }> {
      const window = windowOf(events);
      if (!window.judged) return { assessment: pop, window };
      const model = await modelOf(userId);
      if (!model) return { assessment: pop, window };
      const mean = at ? profiles.add(at.sessionId, at.batchId, window.vector) : undefined;
      return { assessment: fuse(pop, window, model, mean), window, model };
    },

    /** Scores windows with an already loaded model (ScoreSession). */
    fuse,
    fuseMany,
    sessionRisks,

    /**
     * Enrols the window if the rules allow (then maybe queues training); returns why not otherwise.
     * `ownModel`: the assessment came from the user's own active model (else the population's).
     */
    async enrol(e: { userId: string; sessionId: string; batchId: string; status: string | null; window: Window; assessment: Assessment; ownModel: boolean }): Promise<string> {
      if (e.status !== null && e.status !== 'active') return 'session_not_active';
      const verdict = enrolmentVerdict({ window: e.window, assessment: e.assessment, ownModel: e.ownModel }, deps.thresholds);
      if (verdict !== 'enrolled') return verdict;
      const inserted = await db
        .insert(enrolmentWindows)
        .values({ userId: e.userId, sessionId: e.sessionId, batchId: e.batchId, kind: modality.window, vector: Array.from(e.window.vector), risk: e.assessment.score, createdAtMs: deps.now() })
        .onConflictDoNothing()
        .returning({ id: enrolmentWindows.id });
      if (inserted.length === 0) return 'duplicate';
      // The sliding window: only the newest maxWindows stay.
      await db.run(sql`delete from ${enrolmentWindows} where ${enrolmentWindows.userId} = ${e.userId} and ${enrolmentWindows.kind} = ${modality.window} and ${enrolmentWindows.id} <= (
        select ${enrolmentWindows.id} from ${enrolmentWindows} where ${enrolmentWindows.userId} = ${e.userId} and ${enrolmentWindows.kind} = ${modality.window} order by ${enrolmentWindows.id} desc limit 1 offset ${config.maxWindows})`);
      await maybeTrain(e.userId);
      return 'enrolled';
    },

    /** Trains a new version now (ModelService.Train): a user id or "global". */
    train(scope: string): Promise<ModelRow> {
      if (scope === GLOBAL_SCOPE) return jobs.add('train:global', trainPopulation);
      // Joins an automatic training of the scope if one is waiting; what an operator asks for is
      // trained even if the rules found nothing to do, and is active.
      const explicit = (): Promise<ModelRow | undefined> => trainUser(scope, false);
      return jobs.add(jobKey(scope), explicit).then(async (row) => {
        if (!row) return (await jobs.add(jobKey(scope), explicit))!;
        // Refused by the quality gate: kept inactive (ModelService.Activate can still choose it).
        if (row.active || refusedByGate(row)) return row;
        const active = await registry.activate(row);
        forget(scope);
        return active;
      });
    },

    idle: () => jobs.idle(),

    close(): void {
      for (const id of [...cache.keys()]) forget(id);
    },
  };
}

export type UserModels = ReturnType<typeof createUserModels>;
