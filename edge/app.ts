// The whole edge as a function of its dependencies: a Hono app with no runtime imports, wrapped by
// edge/worker.ts (workerd) and edge/node.ts (Node).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CadenceError, Code } from '../lib/errors.ts';
import { hasConsent, parseBatch } from '../scoring/batch.ts';
import type { PreScorer } from '../scoring/prescore.ts';
import type { EdgeConfig } from './config.ts';
import { refuse } from './errors.ts';
import type { Forwarder } from './forward.ts';

export interface EdgeDeps {
  config: EdgeConfig;
  scorer: PreScorer;
  forwarder: Forwarder;
  /** 'workerd' or 'node', reported by /healthz. */
  runtime: string;
  now?: () => number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export function createApp(deps: EdgeDeps): Hono {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((msg, fields) => console.error(JSON.stringify({ msg, ...fields })));
  const app = new Hono();

  app.get('/healthz', async (c) => {
    const core = (await deps.forwarder.reachable()) ? 'reachable' : 'unreachable';
    return c.json({ status: 'ok', runtime: deps.runtime, modelVersion: deps.scorer.modelVersion, core });
  });

  app.post(
    '/v1/events',
    bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: (c) => refuse(c, 413, 'body_too_large', `the batch is larger than ${deps.config.maxBodyBytes} bytes; send smaller batches`),
    }),
    async (c) => {
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
      const assessment = deps.scorer.score(batch.events);
      try {
        // Acknowledge only what the core has stored: a refusal here makes the collector retry
        // the same batch id, which the core then stores exactly once.
        const { duplicate } = await deps.forwarder.forward(batch, assessment, now());
        return c.json({
          accepted: true,
          duplicate,
          decision: assessment.decision,
          score: assessment.score,
          modelVersion: assessment.modelVersion,
          reasons: assessment.reasons,
          judged: assessment.judged,
        });
      } catch (err) {
        const e = CadenceError.from(err);
        if (e.code === Code.INVALID_ARGUMENT || e.code === Code.ALREADY_EXISTS || e.code === Code.FAILED_PRECONDITION) {
          return refuse(c, e.code === Code.ALREADY_EXISTS ? 409 : 400, e.codeName, e.message, e.field?.replace(/^batch\./, ''));
        }
        log('forward failed', { batchId: batch.batchId, code: e.codeName, message: e.message });
        c.header('retry-after', '1');
        return c.json(
          { accepted: false, error: { code: 'core_unavailable', message: 'the batch was not stored; retry with the same batchId' } },
          503,
        );
      }
    },
  );

  app.notFound((c) => refuse(c, 404, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    log('unhandled', { path: c.req.path, error: err.message });
    return refuse(c, 500, 'internal', 'internal error');
  });
  return app;
}
