// Prometheus metrics of the core, served as text at GET /metrics: RPC counts and latency, the score
// distribution, decisions, the anomaly rate and security events (seed 003's list).
import client from 'prom-client';
import { CadenceError } from '../lib/errors.ts';
import type { Assessment } from '../scoring/prescore.ts';
import type { HandlerRegistry, UnaryHandler } from './transport/rpc.ts';

export function createMetrics() {
  // One registry per core, so several cores in one process (tests) do not share counters.
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'cadence_core_' });
  const opts = { registers: [registry] };

  const rpcs = new client.Counter({ name: 'cadence_rpc_requests_total', help: 'RPCs answered, by service, method and gRPC status code', labelNames: ['service', 'method', 'code'] as const, ...opts });
  const latency = new client.Histogram({
    name: 'cadence_rpc_duration_seconds',
    help: 'time from request decoded to response ready, by service and method',
    labelNames: ['service', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ...opts,
  });
  const scores = new client.Histogram({ name: 'cadence_risk_score', help: 'core risk scores of judged batches', buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], ...opts });
  const decisions = new client.Counter({ name: 'cadence_decisions_total', help: 'core decisions on stored batches (unjudged windows count as allow)', labelNames: ['decision'] as const, ...opts });
  let judged = 0;
  let anomalous = 0;
  new client.Gauge({
    name: 'cadence_anomaly_rate',
    help: 'share of judged batches decided monitor, challenge or block since the core started',
    ...opts,
    collect() {
      this.set(judged === 0 ? 0 : anomalous / judged);
    },
  });
  const webhook = new client.Counter({
    name: 'cadence_webhook_attempts_total',
    help: 'severity webhook delivery attempts by outcome: delivered, refused (4xx, not retried), retry, given_up (after the last attempt)',
    labelNames: ['outcome'] as const,
    ...opts,
  });
  // POST /predict (seed 003's HTTP face; the gRPC face is counted as an RPC above), by HTTP status.
  const predict = new client.Histogram({
    name: 'cadence_offchain_predict_duration_seconds',
    help: 'POST /predict: time from request received to response ready, by HTTP status',
    labelNames: ['status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    ...opts,
  });
  const security = new client.Counter({ name: 'cadence_security_events_total', help: 'identity and policy events: challenge, block, mpin_failed, mpin_verified, account_locked, login, ...', labelNames: ['kind'] as const, ...opts });

  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),

    /** The same handlers, counted and timed; the transports stay unaware. */
    instrument(handlers: HandlerRegistry): HandlerRegistry {
      const out: HandlerRegistry = new Map();
      for (const [service, methods] of handlers) {
        out.set(
          service,
          Object.fromEntries(
            Object.entries(methods).map(([method, handler]) => {
              const counted = async <T>(run: () => Promise<T>): Promise<T> => {
                try {
                  return await run();
                } catch (err) {
                  rpcs.inc({ service, method, code: CadenceError.from(err).codeName.toUpperCase() });
                  throw err;
                }
              };
              const instrumented: UnaryHandler = async (req: unknown, ctx: Parameters<typeof handler>[1]) => {
                const end = latency.startTimer({ service, method });
                try {
                  const res = await counted(() => handler(req, ctx));
                  rpcs.inc({ service, method, code: 'OK' });
                  return res;
                } finally {
                  end();
                }
              };
              // A key check a transport runs before reading the request is counted like the call.
              const check = handler.authorize;
              if (check) instrumented.authorize = (ctx) => counted(() => check(ctx));
              return [method, instrumented];
            }),
          ),
        );
      }
      return out;
    },

    observeAssessment(a: Assessment): void {
      decisions.inc({ decision: a.decision });
      if (!a.judged) return;
      scores.observe(a.score);
      judged++;
      if (a.decision !== 'allow') anomalous++;
    },

    securityEvent(kind: string): void {
      security.inc({ kind });
    },

    offchainPredict(status: number, seconds: number): void {
      predict.observe({ status: String(status) }, seconds);
    },

    webhookAttempt(outcome: 'delivered' | 'refused' | 'retry' | 'given_up'): void {
      webhook.inc({ outcome });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
