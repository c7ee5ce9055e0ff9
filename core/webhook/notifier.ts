// The severity webhook: medium (challenge) and high (block) decisions are POSTed as JSON to a
// configured URL, signed, with retries and exponential backoff (the outbox logic is lib/outbox.ts,
// shared with the edge spool; this file is its storage and its delivery).
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
import { Outbox, type OutboxRow, type OutboxStore, type Outcome, type Settlement } from '../../lib/outbox.ts';

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
  deps: { db: Db; log: Logger; now: () => number; onAttempt?: (outcome: Settlement) => void },
  options: { baseDelayMs?: number; capDelayMs?: number } = {},
) {
  const { db, log, now } = deps;

  /** Delivered, refused for good (a 4xx other than 408/429), or failed (try again later). */
  async function attempt(body: string): Promise<Outcome> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'cadence-core' };
    if (config.secret) headers['x-cadence-signature'] = `sha256=${createHmac('sha256', config.secret).update(body).digest('hex')}`;
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(), config.timeoutMs);
    try {
      const res = await fetch(config.url!, { method: 'POST', headers, body, signal: abort.signal });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { kind: 'delivered' };
      // 4xx other than 408/429 will not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { kind: 'refused', reason: `refused: HTTP ${res.status}` };
      return { kind: 'failed' };
    } catch {
      return { kind: 'failed' };
    } finally {
      clearTimeout(deadline);
    }
  }

  type Row = OutboxRow<number> & { body: string };
  const pending = and(isNull(webhookOutbox.deliveredAtMs), isNull(webhookOutbox.droppedReason));
  const byKey = (row: Row) => eq(webhookOutbox.id, row.key);
  // The webhook_outbox table as the shared outbox's store (lib/outbox.ts).
  const store: OutboxStore<number, Row> = {
    claim: (at) =>
      db
        .select({ key: webhookOutbox.id, body: webhookOutbox.body, attempts: webhookOutbox.attempts })
        .from(webhookOutbox)
        .where(and(pending, lte(webhookOutbox.nextAttemptMs, at)))
        .orderBy(asc(webhookOutbox.nextAttemptMs))
        .limit(CONCURRENCY)
        .all(),
    delivered: async (row, at, attempts) => {
      await db.update(webhookOutbox).set({ attempts, deliveredAtMs: at }).where(byKey(row));
    },
    dead: async (row, reason, attempts) => {
      await db.update(webhookOutbox).set({ attempts, droppedReason: reason }).where(byKey(row));
    },
    retry: async (row, at, attempts) => {
      await db.update(webhookOutbox).set({ attempts, nextAttemptMs: at }).where(byKey(row));
    },
    nextDue: async () => {
      const next = await db.select({ at: sql<number | null>`min(${webhookOutbox.nextAttemptMs})` }).from(webhookOutbox).where(pending).get();
      return next?.at ?? undefined;
    },
    purge: async (before) => {
      await db.delete(webhookOutbox).where(lt(webhookOutbox.deliveredAtMs, before));
    },
  };

  const outbox = new Outbox<number, Row>({
    store,
    deliver: (rows) => Promise.all(rows.map((row) => attempt(row.body))),
    maxAttempts: config.maxAttempts,
    baseDelayMs: options.baseDelayMs ?? 500,
    capDelayMs: options.capDelayMs ?? 60_000,
    retentionMs: RETENTION_MS,
    onSettled: (row, settlement, outcome, attempts) => {
      deps.onAttempt?.(settlement);
      if (settlement === 'refused') log.warn('webhook refused the notification', { id: row.key, reason: (outcome as { reason: string }).reason });
      if (settlement === 'given_up') log.warn('webhook notification given up after retries', { id: row.key, attempts });
    },
    onError: (err) => log.error('webhook outbox unavailable; trying again in a minute', { err }),
    errorRetryMs: 60_000,
    now,
  });
  const schedule = (delayMs: number) => {
    if (config.url) outbox.wake(delayMs);
  };

  // Whatever a previous run left undelivered goes out first.
  schedule(0);

  return {
    enabled: Boolean(config.url),
    /**
     * The outbox row of a decision that notifies (medium or high), as a statement for the batch's
     * own transaction: the notification is stored exactly when the batch is. Undefined otherwise.
     */
    outboxStatement(d: StoredDecision): InStatement | undefined {
      if (!config.url || outbox.isClosed) return undefined;
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
    close: () => outbox.close(),
  };
}

export type Webhook = ReturnType<typeof createWebhook>;
