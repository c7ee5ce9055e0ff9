// Node's durable Delivery: accepted batches are written to a local libSQL file before the browser
// is answered, and a background sender drains them to the core with retries and backoff. Batches
// the core refuses for good are kept as dead letters, never dropped silently.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { CadenceError } from '../lib/errors.ts';
import { backoffMs, isPermanent, type Delivery } from './delivery.ts';
import type { Forwarder } from './forward.ts';

export interface SpoolOptions {
  url: string;
  forwarder: Forwarder;
  /** 'normal' survives a process crash; 'full' also a power loss, at an fsync per batch. */
  sync?: 'normal' | 'full';
  /** How long delivered batch ids are kept to recognise duplicates. */
  retentionMs?: number;
  /** Longest wait between two attempts. */
  retryCapMs?: number;
  /** Batches sent to the core at once. */
  concurrency?: number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS spool (
  batch_id TEXT PRIMARY KEY,
  request TEXT NOT NULL,
  accepted_at_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  delivered_at_ms INTEGER,
  dead_reason TEXT
)`;

export class Spool implements Delivery {
  private readonly db: Client;
  private readonly forwarder: Forwarder;
  private readonly retentionMs: number;
  private readonly concurrency: number;
  private readonly retryCapMs: number;
  private readonly log: NonNullable<SpoolOptions['log']>;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private coreAway = false;
  private purgedAt = -Infinity;

  private constructor(db: Client, options: SpoolOptions) {
    this.db = db;
    this.forwarder = options.forwarder;
    this.retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.concurrency = options.concurrency ?? 8;
    this.retryCapMs = options.retryCapMs ?? 30_000;
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  static async open(options: SpoolOptions): Promise<Spool> {
    if (options.url.startsWith('file:')) mkdirSync(path.dirname(path.resolve(options.url.slice(5))), { recursive: true });
    // One connection: the PRAGMAs below are per connection (see db/client.ts).
    const db = createClient({ url: options.url, concurrency: 1, timeout: 5000 });
    await db.execute('PRAGMA journal_mode = WAL');
    await db.execute(`PRAGMA synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    await db.execute(SCHEMA);
    await db.execute('CREATE INDEX IF NOT EXISTS spool_due ON spool (delivered_at_ms, dead_reason, next_attempt_ms)');
    const spool = new Spool(db, options);
    spool.schedule(0); // anything left from before a restart goes out first
    return spool;
  }

  async accept(batchId: string, request: IngestBatchRequestInit): Promise<{ duplicate: boolean }> {
    const now = this.now();
    const res = await this.db.execute({
      sql: 'INSERT INTO spool (batch_id, request, accepted_at_ms, next_attempt_ms) VALUES (?, ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING',
      args: [batchId, JSON.stringify(request), now, now],
    });
    const duplicate = res.rowsAffected === 0;
    if (!duplicate) this.schedule(0);
    return { duplicate };
  }

  /** Counts by state, for health and tests. */
  async stats(): Promise<{ pending: number; delivered: number; dead: number }> {
    const r = await this.db.execute(
      `SELECT
         sum(delivered_at_ms IS NULL AND dead_reason IS NULL) AS pending,
         sum(delivered_at_ms IS NOT NULL) AS delivered,
         sum(dead_reason IS NOT NULL) AS dead
       FROM spool`,
    );
    const row = r.rows[0]!;
    return { pending: Number(row.pending ?? 0), delivered: Number(row.delivered ?? 0), dead: Number(row.dead ?? 0) };
  }

  /** Resolves once nothing is pending (or the timeout passes); for shutdown and tests. */
  async drained(timeoutMs = 30_000): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    while (this.now() < deadline) {
      if ((await this.stats()).pending === 0) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.draining;
    this.db.close();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer !== undefined && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draining ??= this.drain().finally(() => {
        this.draining = undefined;
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const now = this.now();
      const due = await this.db.execute({
        sql: `SELECT batch_id, request, attempts FROM spool
              WHERE delivered_at_ms IS NULL AND dead_reason IS NULL AND next_attempt_ms <= ?
              ORDER BY next_attempt_ms LIMIT ?`,
        args: [now, this.concurrency],
      });
      if (due.rows.length === 0) break;
      const outcomes = await Promise.all(due.rows.map((row) => this.send(String(row.batch_id), String(row.request), Number(row.attempts))));
      if (outcomes.every((ok) => !ok)) {
        // The core is away: say so once per round, not once per batch, and wait for the next attempt time.
        if (!this.coreAway) this.log('core unavailable; batches stay in the spool and are retried', { waiting: due.rows.length });
        this.coreAway = true;
        break;
      }
      if (this.coreAway) this.log('core reachable again; draining the spool', {});
      this.coreAway = false;
    }
    // Forgetting old delivered ids is not urgent: once a minute, not after every batch.
    if (this.now() - this.purgedAt >= 60_000) {
      this.purgedAt = this.now();
      await this.db.execute({ sql: 'DELETE FROM spool WHERE delivered_at_ms < ?', args: [this.now() - this.retentionMs] });
    }
    const next = await this.db.execute(
      'SELECT min(next_attempt_ms) AS at FROM spool WHERE delivered_at_ms IS NULL AND dead_reason IS NULL',
    );
    const at = next.rows[0]?.at;
    if (at !== null && at !== undefined) this.schedule(Math.max(10, Number(at) - this.now()));
  }

  private async send(batchId: string, request: string, attempts: number): Promise<boolean> {
    try {
      await this.forwarder.sendEncoded(request); // sent as stored: no parse and re-encode per batch
      await this.db.execute({ sql: 'UPDATE spool SET delivered_at_ms = ?, request = ? WHERE batch_id = ?', args: [this.now(), '', batchId] });
      return true;
    } catch (err) {
      const e = CadenceError.from(err);
      if (isPermanent(e)) {
        this.log('dead letter', { batchId, code: e.codeName, message: e.message });
        await this.db.execute({ sql: 'UPDATE spool SET dead_reason = ? WHERE batch_id = ?', args: [`${e.codeName}: ${e.message}`, batchId] });
        return true;
      }
      const wait = backoffMs(attempts + 1, this.retryCapMs);
      await this.db.execute({
        sql: 'UPDATE spool SET attempts = attempts + 1, next_attempt_ms = ? WHERE batch_id = ?',
        args: [this.now() + wait, batchId],
      });
      return false;
    }
  }
}
