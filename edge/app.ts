// The whole edge as a function of its dependencies: a Hono app with no runtime imports, wrapped by
// edge/worker.ts (workerd) and edge/node.ts (Node).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { PreScorer } from '../scoring/prescore.ts';
import { requiredActionOf } from '../scoring/session-standing.ts';
import type { Auth } from './auth.ts';
import type { EdgeConfig } from './config.ts';
import type { Delivery } from './delivery.ts';
import type { ModelCache } from './models.ts';
import { refuse } from './errors.ts';
import { addIdentityFace } from './identity-face.ts';
import { createIntake, type Refusal } from './intake.ts';
import { addStaticRoutes } from './static.ts';
import type { GeoSource } from './geo.ts';
import { openStream, type StreamHandlers, type StreamSocket } from './stream.ts';

export interface EdgeDeps {
  config: EdgeConfig;
  scorer: PreScorer;
  /** Where accepted batches go: durable (spool, queue) or straight to the core. */
  delivery: Delivery;
  auth: Auth;
  models?: ModelCache;
  /** Whether the core answers, for /healthz. */
  coreReachable: () => Promise<boolean>;
  /** 'workerd' or 'node', reported by /healthz. */
  runtime: string;
  /** The client's address as the runtime sees it. */
  clientIp: (c: Context) => string;
  /** Where the request came from, when the runtime can say it trustworthily (edge/geo.ts). */
  geo?: GeoSource;
  /**
   * Upgrades GET /v1/stream to a WebSocket, where the runtime does so through the app (workerd).
   * On Node the server's upgrade event handles it before the app (see edge/node.ts).
   */
  upgrade?: (c: Context, open: (socket: StreamSocket) => StreamHandlers) => Response;
  now?: () => number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export function createEdge(deps: EdgeDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((msg, fields) => console.error(JSON.stringify({ msg, ...fields })));
  const { config } = deps;
  const thresholds = { monitor: config.thresholdMonitor, challenge: config.thresholdChallenge, block: config.thresholdBlock };
  const intake = createIntake({ config, scorer: deps.scorer, delivery: deps.delivery, auth: deps.auth, models: deps.models, thresholds, now, log });
  // workerd keeps background work (model revalidation) alive through waitUntil; Node needs nothing.
  const backgroundOf = (c: Context) => (p: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(p);
    } catch {
      /* no execution context on Node */
    }
  };
  const app = new Hono();

  const render = (c: Context, r: Refusal) => {
    if (r.retryAfter !== undefined) c.header('retry-after', String(r.retryAfter));
    if (r.status === 503) return c.json({ accepted: false, error: { code: r.code, message: r.message } }, 503);
    return refuse(c, r.status, r.code, r.message, r.field);
  };

  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  if (config.corsOrigins.length > 0) {
    const open = cors({ origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins, allowMethods: ['POST', 'GET'], maxAge: 600 });
    // The identity face answers its own CORS (credentials, exact origins: edge/identity-face.ts).
    app.use('/v1/*', (c, next) => (c.req.path.startsWith('/v1/auth/') ? next() : open(c, next)));
  }
  addIdentityFace(app, {
    coreUrls: config.coreUrls, coreApiKey: config.coreApiKey, timeoutMs: config.coreTimeoutMs, corsOrigins: config.corsOrigins,
    perMinute: config.authPerMinute, burst: config.authBurst, clientIp: deps.clientIp, now, log,
    onStepUp: (sessionId) => intake.stepUpPassed(sessionId),
  });

  app.get('/healthz', async (c) => {
    const core = (await deps.coreReachable()) ? 'reachable' : 'unreachable';
    return c.json({
      status: 'ok',
      runtime: deps.runtime,
      modelVersion: deps.scorer.modelVersion,
      core,
      ...(deps.models ? { userModels: deps.models.stats() } : {}),
    });
  });

  app.post(
    '/v1/events',
    limitBody(config.maxBodyBytes, (c) => refuse(c, 413, 'body_too_large', `the batch is larger than ${config.maxBodyBytes} bytes; send smaller batches`)),
    async (c) => {
      const limited = intake.admit(deps.clientIp(c));
      if (limited) return render(c, limited);
      // text/plain is what navigator.sendBeacon sends without a CORS preflight.
      if (!/^(application\/json|text\/plain)\b/i.test(c.req.header('content-type') ?? '')) {
        return refuse(c, 415, 'unsupported_media_type', 'send the batch as application/json', 'content-type');
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const outcome = await intake.take(await c.req.text(), bearer, backgroundOf(c), deps.geo?.(c));
      if (!outcome.ok) return render(c, outcome);
      const { duplicate, assessment: a, windowScore, standing } = outcome;
      return c.json({
        accepted: true, duplicate, source: 'edge', decision: a.decision, score: a.score, windowScore, modelVersion: a.modelVersion, reasons: a.reasons, judged: a.judged,
        standing, requiredAction: requiredActionOf(standing),
      });
    },
  );

  // A signed session id for a page before login; the browser sends its batches under it.
  app.post('/v1/session', async (c) => {
    const limited = intake.admit(deps.clientIp(c));
    if (limited) return render(c, limited);
    return c.json(await deps.auth.issueAnonymous(), 201);
  });

  app.get('/v1/stream', (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket' || !deps.upgrade) {
      return refuse(c, 426, 'upgrade_required', 'connect with a WebSocket client (Upgrade: websocket)');
    }
    const ip = deps.clientIp(c);
    const geo = deps.geo?.(c);
    return deps.upgrade(c, (socket) => openStream(intake, socket, ip, config.maxBodyBytes, geo));
  });

  addStaticRoutes(app);

  app.notFound((c) => refuse(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    log('unhandled', { path: c.req.path, error: err.message });
    return refuse(c, 500, 'internal', 'internal error');
  });
  return { app, intake };
}

/**
 * Refuses a body over `maxSize`. A declared length is judged from the header alone: Hono's
 * bodyLimit looks at the request's body stream first, which on Node makes @hono/node-server build
 * a full web Request and stream for every batch instead of reading the socket directly. A chunked
 * body, whose length is known only as it arrives, is counted by Hono's bodyLimit.
 */
function limitBody(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const counted = bodyLimit({ maxSize, onError });
  return (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    return Number(length) > maxSize ? Promise.resolve(onError(c)) : next();
  };
}
