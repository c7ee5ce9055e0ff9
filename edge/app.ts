// The whole edge as a function of its dependencies: a Hono app with no runtime imports, wrapped by
// edge/worker.ts (workerd) and edge/node.ts (Node).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { CadenceError } from '../lib/errors.ts';
import { hasConsent, parseBatch } from '../scoring/batch.ts';
import type { PreScorer } from '../scoring/prescore.ts';
import type { EdgeConfig } from './config.ts';
import { ingestRequest, isPermanent, type Delivery } from './delivery.ts';
import { refuse } from './errors.ts';
import { RateLimiter } from './limits.ts';

export interface EdgeDeps {
  config: EdgeConfig;
  scorer: PreScorer;
  /** Where accepted batches go: durable (spool, queue) or straight to the core. */
  delivery: Delivery;
  /** Whether the core answers, for /healthz. */
  coreReachable: () => Promise<boolean>;
  /** 'workerd' or 'node', reported by /healthz. */
  runtime: string;
  /** The client's address as the runtime sees it. */
  clientIp: (c: Context) => string;
  now?: () => number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export function createApp(deps: EdgeDeps): Hono {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((msg, fields) => console.error(JSON.stringify({ msg, ...fields })));
  const { config } = deps;
  const perSession = new RateLimiter({ perMinute: config.sessionPerMinute, burst: config.sessionBurst }, now);
  const perIp = new RateLimiter({ perMinute: config.ipPerMinute, burst: config.ipBurst }, now);
  const app = new Hono();

  app.use('*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  if (config.corsOrigins.length > 0) {
    app.use('/v1/*', cors({ origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins, allowMethods: ['POST', 'GET'], maxAge: 600 }));
  }

  app.get('/healthz', async (c) => {
    const core = (await deps.coreReachable()) ? 'reachable' : 'unreachable';
    return c.json({ status: 'ok', runtime: deps.runtime, modelVersion: deps.scorer.modelVersion, core });
  });

  app.post(
    '/v1/events',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) => refuse(c, 413, 'body_too_large', `the batch is larger than ${config.maxBodyBytes} bytes; send smaller batches`),
    }),
    async (c) => {
      const ipWait = perIp.take(deps.clientIp(c));
      if (ipWait > 0) return tooMany(c, ipWait, 'this address');
      const type = c.req.header('content-type') ?? '';
      // text/plain is what navigator.sendBeacon sends without a CORS preflight.
      if (!/^(application\/json|text\/plain)\b/i.test(type)) {
        return refuse(c, 415, 'unsupported_media_type', 'send the batch as application/json', 'content-type');
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (err) {
        return refuse(c, 400, 'malformed_json', `the body is not valid JSON: ${(err as Error).message}`, '(body)');
      }
      // Without consent nothing is looked at further, let alone stored.
      if (!hasConsent(body)) {
        return refuse(c, 403, 'consent_required', 'the batch carries no consent: true; nothing was processed or stored', 'consent');
      }
      const parsed = parseBatch(body);
      if (!parsed.ok) return refuse(c, 400, 'invalid_batch', parsed.problem.message, parsed.problem.field);
      const batch = parsed.batch;
      const sessionWait = perSession.take(batch.sessionId);
      if (sessionWait > 0) return tooMany(c, sessionWait, 'this session');
      const assessment = deps.scorer.score(batch.events);
      let duplicate: boolean;
      try {
        // Resolves once the batch can no longer be lost (spooled, queued, or stored by the core).
        ({ duplicate } = await deps.delivery.accept(batch.batchId, ingestRequest(batch, assessment, now())));
      } catch (err) {
        const e = CadenceError.from(err);
        if (isPermanent(e)) return refuse(c, e.httpStatus as 400 | 409, e.codeName, e.message, e.field?.replace(/^batch\./, ''));
        log('delivery failed', { batchId: batch.batchId, code: e.codeName, message: e.message });
        c.header('retry-after', '1');
        return c.json({ accepted: false, error: { code: 'unavailable', message: 'the batch was not accepted; retry with the same batchId' } }, 503);
      }
      return c.json({
        accepted: true,
        duplicate,
        decision: assessment.decision,
        score: assessment.score,
        modelVersion: assessment.modelVersion,
        reasons: assessment.reasons,
        judged: assessment.judged,
      });
    },
  );

  app.notFound((c) => refuse(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    log('unhandled', { path: c.req.path, error: err.message });
    return refuse(c, 500, 'internal', 'internal error');
  });
  return app;
}

function tooMany(c: Context, waitSeconds: number, who: string): Response {
  c.header('retry-after', String(waitSeconds));
  return refuse(c, 429, 'rate_limited', `too many batches from ${who}; retry in ${waitSeconds} s`);
}
