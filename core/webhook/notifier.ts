// The severity webhook: medium (challenge) and high (block) decisions are POSTed as JSON to a
// configured URL, in the background with retries and exponential backoff; ingest never waits for it.
import { createHmac } from 'node:crypto';
import type { Logger } from '../log.ts';
import { severityOf } from '../policy/rules.ts';
import type { StoredDecision } from '../risk/hub.ts';

export interface WebhookConfig {
  url?: string;
  secret?: string;
  maxAttempts: number;
  timeoutMs: number;
}

/** Notifications waiting or being retried; beyond this the oldest is dropped (and logged). */
const MAX_PENDING = 1000;

export function createWebhook(config: WebhookConfig, log: Logger, options: { baseDelayMs?: number; capDelayMs?: number } = {}) {
  const base = options.baseDelayMs ?? 500;
  const cap = options.capDelayMs ?? 60_000;
  let pending = 0;
  let inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  async function attempt(body: string): Promise<boolean> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'cadence-core' };
    if (config.secret) headers['x-cadence-signature'] = `sha256=${createHmac('sha256', config.secret).update(body).digest('hex')}`;
    try {
      const res = await fetch(config.url!, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      // 4xx other than 408/429 will not get better by retrying.
      if (res.ok) return true;
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        log.warn('webhook refused the notification', { status: res.status });
        return true;
      }
      return false;
    } catch {
      return false;
    }
  }

  function deliver(body: string, n: number): void {
    const p = attempt(body).then((done) => {
      inFlight.delete(p);
      if (done) return void pending--;
      if (n + 1 >= config.maxAttempts || closed) {
        pending--;
        log.warn('webhook notification dropped after retries', { attempts: n + 1 });
        return;
      }
      // Full jitter, doubling up to the cap.
      const wait = Math.random() * Math.min(cap, base * 2 ** n);
      const timer = setTimeout(() => {
        timers.delete(timer);
        deliver(body, n + 1);
      }, wait);
      timer.unref();
      timers.add(timer);
    });
    inFlight.add(p);
  }

  return {
    enabled: Boolean(config.url),
    /** Queues a notification when the decision is medium or high; returns at once. */
    notify(d: StoredDecision): void {
      if (!config.url || closed) return;
      const severity = severityOf(d.assessment.decision);
      if (severity !== 'medium' && severity !== 'high') return;
      if (pending >= MAX_PENDING) {
        log.warn('webhook backlog full: notification dropped', { sessionId: d.sessionId });
        return;
      }
      pending++;
      const body = JSON.stringify({
        type: 'cadence.decision',
        severity,
        sessionId: d.sessionId,
        batchId: d.batchId,
        userId: d.userId || null,
        decision: d.assessment.decision,
        score: d.assessment.score,
        reasons: d.assessment.reasons,
        modelVersion: d.assessment.modelVersion,
        decidedAtMs: d.atMs,
      });
      deliver(body, 0);
    },
    get pending(): number {
      return pending;
    },
    /** Stops retrying; waits for requests already in flight. */
    async close(): Promise<void> {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...inFlight]);
      inFlight = new Set();
    },
  };
}

export type Webhook = ReturnType<typeof createWebhook>;
