// Assembles the core from its parts: the handlers, served on a grpc-js server (native gRPC) and on
// a Hono app (Connect JSON, health). Binds nothing: core/main.ts owns ports and signals.
import * as grpc from '@grpc/grpc-js';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { Code } from '../lib/errors.ts';
import { createPreScorer } from '../scoring/prescore.ts';
import { createReplayGuard } from '../scoring/replay-guard.ts';
import type { Profile } from '../scoring/profile.ts';
import type { Kernels } from '../wasm/kernels.ts';
import type { CoreConfig } from './config.ts';
import { createKeyStore } from './identity/keys.ts';
import { identityService } from './identity/service.ts';
import { createIdentityStore } from './identity/store.ts';
import { createLoginThrottle, throttleKey } from './identity/throttle.ts';
import { createAccessTokens } from './identity/tokens.ts';
import { adminOnly } from './admin/auth.ts';
import { createAdminQueries } from './admin/queries.ts';
import { adminService } from './admin/service.ts';
import { createSupport } from './admin/support.ts';
import { addDashboardRoutes } from './dashboard/routes.ts';
import { POINTER } from './enrolment/modality.ts';
import { createUserModels } from './enrolment/service.ts';
import { ingestService } from './ingest/service.ts';
import { createIngestStore } from './ingest/store.ts';
import type { Logger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { createSecurityLog } from './policy/security-log.ts';
import { createSessionPolicy } from './policy/session-policy.ts';
import { addOffchainRoutes, createOffchain, nodePredictRoute } from './offchain/index.ts';
import { createModelRegistry } from './models/registry.ts';
import { addModelRoutes, modelService } from './models/service.ts';
import { loadProtos } from './protos.ts';
import { createDecisionHub } from './risk/hub.ts';
import { createSessionScorer } from './risk/score-session.ts';
import { riskService } from './risk/service.ts';
import { createSessionPredictor, sessionPredictionHandlers } from './risk/session-model.ts';
import { labelHandlers } from './admin/labels.ts';
import { createSessionRecordStore, createSessionRetrainer } from './risk/session-retrain.ts';
import { createJobQueue } from './enrolment/jobs.ts';
import { createWindowCache } from './risk/window-cache.ts';
import { createWebhook } from './webhook/notifier.ts';
import { addConnectRoutes, connectPeer, unknownProcedure } from './transport/connect.ts';
import { procedureCors } from './transport/cors.ts';
import { createHealth, HEALTH_SERVICE } from './transport/health.ts';
import { addReflection } from './transport/reflection.ts';
import { addHandlers } from './transport/grpc.ts';
import type { HandlerRegistry } from './transport/rpc.ts';
import { guardServices, serviceKeyMiddleware, type OnDenied } from './transport/service-auth.ts';
import { batchKey } from '../lib/batch-digest.ts';

export interface CoreDeps {
  db: Db;
  kernels: Kernels;
  profile: Profile;
  log: Logger;
  /** The clock (Unix ms); tests inject one to cross expiry without sleeping. */
  now?: () => number;
}

export function createCore(config: CoreConfig, deps: CoreDeps) {
  const startedAt = Date.now();
  const protos = loadProtos();
  const now = deps.now ?? Date.now;
  const store = createIngestStore(deps.db, now);
  const scorer = createPreScorer(deps.profile, deps.kernels.scaledManhattan, config.thresholds);
  const id = config.identity;
  const metrics = createMetrics();
  const identityStore = createIdentityStore(deps.db, now, metrics.securityEvent);
  // Refused attempts (bad tokens, missing or wrong keys, throttled guesses), bounded per key and minute.
  const security = createSecurityLog({ record: (e, o) => identityStore.record(e, o), count: metrics.securityEvent, now, log: deps.log });
  const keyDenied = (kind: 'admin_denied' | 'service_denied'): OnDenied => (rpc, err, ctx) =>
    security.refused({ kind, severity: 'medium', rpc, reasons: [err.message.startsWith('this call needs') ? 'no_key' : 'wrong_key'], ctx }); // both checks word a missing key so
  if (!config.serviceApiKeys?.length) {
    deps.log.warn('IngestService, RiskService and /v1/models are open to anyone who reaches the core: set CADENCE_SERVICE_API_KEYS (and CADENCE_CORE_API_KEY on the edges)');
  }
  const keys = createKeyStore(deps.db, {
    secret: id.keySecret,
    now,
    onPlaintextKey: () => deps.log.warn('the token signing key is stored unencrypted: set CADENCE_KEY_SECRET to encrypt it'),
  });
  // Create or load the signing key at start, so the first login does not pay for it; errors resurface on use.
  keys.ready().catch((err: unknown) => deps.log.error('signing keys unavailable', { err }));
  const tokens = createAccessTokens(keys, { issuer: id.jwtIssuer, audience: id.jwtAudience, accessTtlS: id.accessTokenTtlS, now });
  // Throttle rows are keyed by HMAC of the email, device or address, never the value (one key for both throttles).
  const throttleHmacKey = throttleKey(deps.db, id.keySecret, now);
  const throttle = createLoginThrottle(deps.db, { maxFailures: id.loginMaxFailures, lockSeconds: id.loginLockSeconds, now, key: throttleHmacKey });
  const policy = createSessionPolicy({ store: identityStore, idleMs: id.sessionIdleMinutes * 60_000, now, log: deps.log });
  // Per-user models, the decision stream and the severity webhook (issue 6).
  const modelRegistry = createModelRegistry(deps.db, now);
  const users = createUserModels({ db: deps.db, kernels: deps.kernels, registry: modelRegistry, config: config.enrolment, thresholds: config.thresholds, log: deps.log, now });
  // The owners' pointer models: same rules and thresholds, their own windows; one training queue for both.
  // Kept for the registry's calls (Activate, Rollback of a stored version); ingest and ScoreSession
  // read pointer windows only when CADENCE_POINTER_MODELS=on, so otherwise no batch pays for them.
  const pointerUsers = createUserModels({ db: deps.db, kernels: deps.kernels, registry: modelRegistry, config: config.enrolment, thresholds: config.thresholds, log: deps.log, now, modality: POINTER, jobs: users.jobs });
  const livePointer = config.enrolment.pointerModels === 'on' ? pointerUsers : undefined;
  const hub = createDecisionHub();
  // Its retries run on the wall clock: they wait for real time to pass, whatever clock decisions use.
  const webhook = createWebhook(config.webhook, { db: deps.db, log: deps.log, now: Date.now, onAttempt: metrics.webhookAttempt });
  const windowCache = createWindowCache(config.windowCacheEntries);
  const onDecision = (d: Parameters<typeof hub.publish>[0]) => {
    windowCache.set(batchKey(d.sessionId, d.batchId), { population: d.population ?? d.assessment, window: d.window, ...(d.pointerWindow ? { pointerWindow: d.pointerWindow } : {}) });
    hub.publish(d);
    webhook.kick(); // its outbox row was stored with the batch
  };
  const scoreSession = createSessionScorer({ db: deps.db, scorer, users, pointerUsers: livePointer, thresholds: config.thresholds, cache: windowCache });
  const offchain = createOffchain(config, { db: deps.db, kernels: deps.kernels, registry: modelRegistry, log: deps.log, now });
  // Built once and shared: the RPCs serve them behind the admin key, the dashboard behind its sign-in.
  // The session model retrains itself from analysts' labels (its own queue: one training at a time).
  const sessionJobs = createJobQueue(deps.log);
  const sessionRetrainer = createSessionRetrainer({ db: deps.db, registry: modelRegistry, queue: sessionJobs, newLabels: config.sessionModel.retrainLabels, trees: config.sessionModel.trees, log: deps.log });
  const adminQueries = createAdminQueries(deps.db, now, id.sessionIdleMinutes * 60_000);
  const admin = { ...adminService({ queries: adminQueries, support: createSupport(deps.db, now), adminKeys: config.adminApiKeys, onUserDeleted: (userId) => {
    users.forget(userId);
    pointerUsers.forget(userId);
    windowCache.clear();
  } }), ...labelHandlers({ db: deps.db, now, onLabelled: sessionRetrainer.kick }) };
  const models = modelService({ registry: modelRegistry, users, pointerUsers, userExists: async (id) => Boolean(await identityStore.userById(id)), onActivated: (row) => row.kind === 'offchain-pair' && offchain.pairs.changed() });
  const adminMethods = ['Train', 'Retrain', 'Activate', 'Rollback'];
  // Every key this core knows: a caller presenting one is identified, whatever it may call.
  const knownKeys = [...(config.adminApiKeys ?? []), ...(config.serviceApiKeys ?? []), ...(config.offchain.apiKeys ?? [])];
  const registry: HandlerRegistry = metrics.instrument(guardServices(new Map([
    ['cadence.v1.IngestService', ingestService({ store, scorer, thresholds: config.thresholds, replays: config.replayWindows > 0 ? createReplayGuard({ maxWindows: config.replayWindows, maxBytes: config.replayMemoryMb * 2 ** 20 }) : undefined, policy, onScored: metrics.observeAssessment, users, pointerUsers: livePointer, onDecision, outbox: webhook.outboxStatement, log: deps.log, now })],
    ['cadence.v1.RiskService', { ...riskService({ store, scoreSession, hub }), ...sessionPredictionHandlers(createSessionPredictor({ registry: modelRegistry, kernels: deps.kernels }), createSessionRecordStore(deps.db, now)) }],
    ['cadence.v1.ModelService', adminOnly(config.adminApiKeys, models, adminMethods, (m, err, ctx) => keyDenied('admin_denied')(`ModelService/${m}`, err, ctx), knownKeys)],
    ['cadence.v1.IdentityService', identityService({ config: id, store: identityStore, keys, tokens, throttle, log: deps.log, now, security })],
    ['cadence.v1.AdminService', adminOnly(config.adminApiKeys, admin, undefined, (m, err, ctx) => keyDenied('admin_denied')(`AdminService/${m}`, err, ctx), knownKeys)],
    ['cadence.v1.OffchainService', offchain.handlers],
  ]), config.serviceApiKeys, {
    // Internal callers only (a bank's services, the edges); ModelService's reads serve the same binaries as /v1/models.
    'cadence.v1.IngestService': 'all',
    'cadence.v1.RiskService': 'all',
    'cadence.v1.ModelService': ['ListModels', 'GetModel'],
  }, keyDenied('service_denied'), knownKeys));

  // Channelz (grpc-js's per-call and per-socket tracing for debuggers) is off: nothing here reads
  // it, and it is bookkeeping on every call.
  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': config.maxBodyBytes * 4, 'grpc.enable_channelz': 0 });
  addHandlers(grpcServer, protos.services, registry, deps.log, protos.root);
  const health = createHealth([...registry.keys()]);
  health.grpc.addToServer(grpcServer);
  addReflection(grpcServer);

  const http = new Hono();
  const browserCors = procedureCors(config.corsOrigins); // before every route: a preflight is answered here
  if (browserCors) http.use('*', browserCors);
  http.use('*', bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (c) => c.json({ code: 'resource_exhausted', message: `request body is larger than ${config.maxBodyBytes} bytes` }, 413),
  }));
  http.get('/healthz', async (c) => {
    const db = await deps.db.run(sql`select 1`).then(() => 'ok', () => 'unavailable');
    return c.json(
      { status: db === 'ok' ? 'ok' : 'degraded', db, modelVersion: scorer.modelVersion, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
      db === 'ok' ? 200 : 503,
    );
  });
  // Public keys for edges to verify access tokens offline (RFC 7517); cached briefly so rotation shows up.
  http.get('/.well-known/jwks.json', async (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(await keys.jwks());
  });
  // Prometheus text exposition; scrape it from inside the network only (it is not authenticated).
  http.get('/metrics', async (c) => c.body(await metrics.text(), 200, { 'content-type': metrics.contentType }));
  http.use('/v1/models/*', serviceKeyMiddleware(config.serviceApiKeys, 'GET /v1/models', connectPeer, keyDenied('service_denied'), knownKeys));
  addModelRoutes(http, modelRegistry); // GET /v1/models/<id>: the binary for edges, ETag = sha256
  addConnectRoutes(http, protos.root, new Map([...registry, [HEALTH_SERVICE, health.handlers]]), deps.log, { maxBodyBytes: config.maxBodyBytes });
  addOffchainRoutes(http, offchain, deps.log, metrics.offchainPredict); // seed 003's POST /predict and GET /health
  // The analyst dashboard (/dashboard): admin sign-in, pages over the admin and model handlers.
  addDashboardRoutes(http, {
    admin, models, queries: adminQueries, adminKeys: config.adminApiKeys, thresholds: config.thresholds, profile: deps.profile, log: deps.log, now,
    // 10 failures from an address lock it for 60 s, doubling while the guessing goes on.
    signIns: createLoginThrottle(deps.db, { maxFailures: 10, lockSeconds: 60, now, key: throttleHmacKey }),
    refused: ({ kind, reasons, peer }) =>
      void security.refused({ kind, severity: 'medium', rpc: 'dashboard/login', reasons, ctx: { peer } }), // never throws
  });
  http.notFound((c) => unknownProcedure(c) ?? c.json({ code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  http.onError((err, c) => {
    deps.log.error('http failed', { path: c.req.path, err });
    return c.json({ code: 'internal', message: 'internal error' }, 500);
  });

  return {
    grpcServer,
    http,
    /** Routes served on node:http ahead of `http` (core/main.ts); true when one answered. */
    nodeRoutes: nodePredictRoute(offchain, deps.log, config.maxBodyBytes, metrics.offchainPredict),
    health,
    users,
    pointerUsers,
    hub,
    webhook,
    /** Background work (training, webhook retries) stops; in-flight webhook requests finish. */
    async close() {
      await users.idle();
      await sessionJobs.idle();
      users.close();
      pointerUsers.close();
      await webhook.close();
    },
    /** Marks every service NOT_SERVING so load balancers drain us before shutdown. */
    drain() {
      hub.close(); // open StreamDecisions calls end, so the graceful shutdown need not wait for them
      for (const name of health.services()) health.setStatus(name, 'NOT_SERVING');
    },
  };
}

export type Core = ReturnType<typeof createCore>;
