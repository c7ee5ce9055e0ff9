// The severity webhook: medium (challenge) and high (block) decisions are POSTed as JSON to a
// configured URL, signed, with retries and exponential backoff.
//
// Durable: a notification is written to `webhook_outbox` in the transaction that stores the batch
// that caused it (the outbox pattern), and a background sender delivers it from there, so neither a
// core restart nor a receiver away for a while loses one. Ingest never waits for the receiver.
// Delivered rows are forgotten after a week; a notification the receiver refuses for good (a 4xx
// other than 408/429) or that fails every attempt stays, with the reason, for an operator to see.
import { createHmac } from 'node:crypto';
import type { InStatement } from '@libsql/client';
import { and, asc, eq, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { webhookOutbox } from '../../db/schema.ts';
import type { Logger } from '../log.ts';
import { severityOf } from '../policy/rules.ts';
import { requiredActionOf } from '../../scoring/session-standing.ts';
import type { StoredDecision } from '../risk/hub.ts';

export interface WebhookConfig {
  url?: string;
  secret?: string;
  maxAttempts: number;
  timeoutMs: number;
}

const OUTBOX_INSERT = 'insert into webhook_outbox (user_id, body, created_at_ms, next_attempt_ms) values (?, ?, ?, ?)';

/** Notifications sent at once. */
const CONCURRENCY = 4;
const RETENTION_MS = 7 * 86_400_000;

export function createWebhook(
  config: WebhookConfig,
  deps: { db: Db; log: Logger; now: () => number; onAttempt?: (outcome: 'delivered' | 'refused' | 'retry' | 'given_up') => void },
  options: { baseDelayMs?: number; capDelayMs?: number } = {},
) {
  const { db, log, now } = deps;
  const base = options.baseDelayMs ?? 500;
  const cap = options.capDelayMs ?? 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let draining: Promise<void> | undefined;
  let closed = false;
  let purgedAt = -Infinity;

  /** true: done with it (delivered, or refused for good); false: try again later. */
  async function attempt(body: string): Promise<{ done: boolean; refused?: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'cadence-core' };
    if (config.secret) headers['x-cadence-signature'] = `sha256=${createHmac('sha256', config.secret).update(body).digest('hex')}`;
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(), config.timeoutMs);
    try {
      const res = await fetch(config.url!, { method: 'POST', headers, body, signal: abort.signal });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { done: true };
      // 4xx other than 408/429 will not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { done: true, refused: `refused: HTTP ${res.status}` };
      return { done: false };
    } catch {
      return { done: false };
    } finally {
      clearTimeout(deadline);
    }
  }

  function schedule(delayMs: number): void {
    if (closed || !config.url) return;
    if (timer !== undefined && delayMs > 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      draining ??= drain()
        .catch((err: unknown) => {
          log.error('webhook outbox unavailable; trying again in a minute', { err });
          schedule(60_000);
        })
        .finally(() => {
          draining = undefined;
        });
    }, delayMs);
    timer.unref?.();
  }

  async function drain(): Promise<void> {
    const pending = and(isNull(webhookOutbox.deliveredAtMs), isNull(webhookOutbox.droppedReason));
    while (!closed) {
      const due = await db
        .select({ id: webhookOutbox.id, body: webhookOutbox.body, attempts: webhookOutbox.attempts })
        .from(webhookOutbox)
        .where(and(pending, lte(webhookOutbox.nextAttemptMs, now())))
        .orderBy(asc(webhookOutbox.nextAttemptMs))
        .limit(CONCURRENCY)
        .all();
      if (due.length === 0) break;
      await Promise.all(
        due.map(async (row) => {
          const r = await attempt(row.body);
          const attempts = row.attempts + 1;
          deps.onAttempt?.(r.done ? (r.refused ? 'refused' : 'delivered') : attempts >= config.maxAttempts ? 'given_up' : 'retry');
          if (r.done) {
            if (r.refused) log.warn('webhook refused the notification', { id: row.id, reason: r.refused });
            await db.update(webhookOutbox).set({ attempts, deliveredAtMs: r.refused ? null : now(), droppedReason: r.refused ?? null }).where(eq(webhookOutbox.id, row.id));
          } else if (attempts >= config.maxAttempts) {
            log.warn('webhook notification given up after retries', { id: row.id, attempts });
            await db.update(webhookOutbox).set({ attempts, droppedReason: `no answer after ${attempts} attempts` }).where(eq(webhookOutbox.id, row.id));
          } else {
            // Full jitter, doubling up to the cap.
            const wait = Math.random() * Math.min(cap, base * 2 ** row.attempts);
            await db.update(webhookOutbox).set({ attempts, nextAttemptMs: now() + Math.round(wait) }).where(eq(webhookOutbox.id, row.id));
          }
        }),
      );
    }
    if (now() - purgedAt >= 60_000) {
      purgedAt = now();
      await db.delete(webhookOutbox).where(lt(webhookOutbox.deliveredAtMs, now() - RETENTION_MS));
    }
    const next = await db.select({ at: sql<number | null>`min(${webhookOutbox.nextAttemptMs})` }).from(webhookOutbox).where(pending).get();
    if (next?.at !== null && next?.at !== undefined) schedule(Math.max(10, next.at - now()));
  }

  // Whatever a previous run left undelivered goes out first.
  schedule(0);

  return {
    enabled: Boolean(config.url),
    /**
     * The outbox row of a decision that notifies (medium or high), as a statement for the batch's
     * own transaction: the notification is stored exactly when the batch is. Undefined otherwise.
     */
    outboxStatement(d: StoredDecision): InStatement | undefined {
      if (!config.url || closed) return undefined;
      const severity = severityOf(d.assessment.decision);
      if (severity !== 'medium' && severity !== 'high') return undefined;
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
        // The session's standing after this batch: what the bank should act on.
        ...(d.standing ? { standing: d.standing.level, requiredAction: requiredActionOf(d.standing.level), standingReasons: d.standing.reasons } : {}),
      });
      const t = now();
      return { sql: OUTBOX_INSERT, args: [d.userId || null, body, t, t] };
    },
    /** Sends what was just stored. */
    kick(): void {
      schedule(0);
    },
    /** Stops sending; waits for a round in flight. What is left is sent after the next start. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await draining;
    },
  };
}

export type Webhook = ReturnType<typeof createWebhook>;
