// Node's durable Delivery: accepted batches are written to a local libSQL file before the browser
// is answered, and a background sender drains them to the core with retries and backoff. Batches
// the core refuses for good are kept as dead letters, never dropped silently.
//
// The file is the record; the hot path avoids reading it back. A batch just accepted is sent from
// memory, and deliveries are marked in the file a hundred milliseconds at a time, so a batch costs
// one INSERT and a share of one UPDATE. Only retries (after a failure, or left from before a
// restart) are read from the file. A crash loses at most the marks not yet written: those batches
// are sent again, and the core, idempotent by (session id, batch id), stores each once.
//
// Rows are keyed by (session id, batch id) and keep the digest of the batch as the browser sent it
// (lib/batch-digest.ts), delivered rows too, for `retentionMs`: the same key with the same digest
// is a duplicate, with another digest a 409 (ALREADY_EXISTS), and the same batch id in another
// session is another batch. After the retention, the core's own check answers (a dead letter).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { batchKey } from '../lib/batch-digest.ts';
import { CadenceError } from '../lib/errors.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { backoffMs, isPermanent, reusedBatchId, type BatchKey, type Delivery } from './delivery.ts';
import type { Forwarder } from './forward.ts';

export interface SpoolOptions {
  url: string;
  forwarder: Forwarder;
  /** 'normal' survives a process crash; 'full' also a power loss, at an fsync per batch. */
  sync?: 'normal' | 'full';
  /** How long delivered batch keys (and digests) are kept to recognise duplicates and conflicts. */
  retentionMs?: number;
  /** Longest wait between two attempts. */
  retryCapMs?: number;
  /** Batches sent to the core at once. */
  concurrency?: number;
  /** Deliveries are marked in the file together, this long after the first of them (default 100 ms). */
  markDelayMs?: number;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

// batch_key is "<session id> <batch id>" (ids hold no space); digest is null only for rows carried
// over from a file of the batch-id-only layout (see migrate below).
const SCHEMA = `CREATE TABLE IF NOT EXISTS spool (
  batch_key TEXT PRIMARY KEY,
  digest TEXT,
  request TEXT NOT NULL,
  accepted_at_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  delivered_at_ms INTEGER,
  dead_reason TEXT
)`;

/**
 * A file from before batches were keyed by (session, batch id): its rows are carried over in one
 * transaction, keyed by the session their request names (delivered rows, whose request is no longer
 * kept, get an empty session and so never match a new key), without a digest.
 */
async function migrateBatchIdLayout(db: Client): Promise<void> {
  const columns = await db.execute("SELECT name FROM pragma_table_info('spool')");
  if (columns.rows.length === 0 || columns.rows.some((r) => r.name === 'batch_key')) return;
  await db.batch(
    [
      'ALTER TABLE spool RENAME TO spool_by_batch_id',
      SCHEMA,
      `INSERT INTO spool (batch_key, digest, request, accepted_at_ms, attempts, next_attempt_ms, delivered_at_ms, dead_reason)
       SELECT coalesce(CASE WHEN json_valid(request) THEN json_extract(request, '$.batch.sessionId') END, '') || ' ' || batch_id,
              NULL, request, accepted_at_ms, attempts, next_attempt_ms, delivered_at_ms, dead_reason
       FROM spool_by_batch_id`,
      'DROP TABLE spool_by_batch_id',
    ],
    'write',
  );
}

/** Accepted batches held in memory for their first attempt, at most. */
const MAX_FRESH = 1000;
/** Whether a failure was the call's deadline (a TimeoutError somewhere along its causes). */
function timedOut(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e.name === 'TimeoutError') return true;
  return false;
}

/** Batches in one IngestBatches call at most (the core's MAX_BATCHES_PER_CALL). */
const MAX_PER_CALL = 64;

export class Spool implements Delivery {
  private readonly db: Client;
  private readonly forwarder: Forwarder;
  private readonly retentionMs: number;
  private readonly concurrency: number;
  private readonly retryCapMs: number;
  private readonly markDelayMs: number;
  private readonly log: NonNullable<SpoolOptions['log']>;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private coreAway = false;
  private purgedAt = -Infinity;
  /** Batches per IngestBatches call, halved when a call times out (see sendRound). */
  private perCall = 16;
  /** INSERTs waiting for this turn's group commit (see insert). */
  private readonly inserts: { args: [string, string, string, number, number]; resolve: (rowsAffected: number) => void; reject: (err: unknown) => void }[] = [];
  /** Accepted, not yet attempted: sent from memory, in order. */
  private readonly fresh: { key: string; request: string }[] = [];
  /** Ids in `fresh`, in flight, or delivered but not yet marked: the file's copy is not to be sent. */
  private readonly inMemory = new Set<string>();
  /** Delivered ids whose mark in the file is pending (see flush). */
  private delivered: string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** The file may hold batches waiting for a retry: true at open, and after a failed attempt. */
  private retries = true;
  /** Checkpoints the file off the event loop (see edge/checkpointer.ts), when it could start. */
  private checkpointer: Checkpointer | undefined;

  private constructor(db: Client, options: SpoolOptions) {
    this.db = db;
    this.forwarder = options.forwarder;
    this.retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.concurrency = options.concurrency ?? 8;
    this.retryCapMs = options.retryCapMs ?? 30_000;
    this.markDelayMs = options.markDelayMs ?? 100;
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
  }

  static async open(options: SpoolOptions): Promise<Spool> {
    const file = options.url.startsWith('file:') ? path.resolve(options.url.slice(5).replace(/\?.*$/, '')) : undefined;
    const synchronous = options.sync === 'full' ? 'FULL' : 'NORMAL';
    if (file) mkdirSync(path.dirname(file), { recursive: true });
    // One connection: the PRAGMAs below are per connection (see db/client.ts).
    const db = createClient({ url: options.url, concurrency: 1, timeout: 5000 });
    await db.execute('PRAGMA journal_mode = WAL');
    await db.execute(`PRAGMA synchronous = ${synchronous}`);
    await migrateBatchIdLayout(db);
    await db.execute(SCHEMA);
    await db.execute('CREATE INDEX IF NOT EXISTS spool_due ON spool (delivered_at_ms, dead_reason, next_attempt_ms)');
    const spool = new Spool(db, options);
    if (file) await spool.checkpointElsewhere(file, synchronous);
    spool.schedule(0); // anything left from before a restart goes out first
    return spool;
  }

  async accept({ sessionId, batchId, digest }: BatchKey, request: IngestBatchRequestInit): Promise<{ duplicate: boolean }> {
    const now = this.now();
    const key = batchKey(sessionId, batchId);
    const encoded = JSON.stringify(request);
    // Claimed before the INSERT runs, so that a retry round reading the file meanwhile skips it.
    const claimed = !this.inMemory.has(key);
    if (claimed) this.inMemory.add(key);
    let duplicate: boolean;
    try {
      duplicate = (await this.insert([key, digest, encoded, now, now])) === 0;
    } catch (err) {
      if (claimed) this.inMemory.delete(key);
      throw err;
    }
    if (duplicate) {
      if (claimed) this.inMemory.delete(key);
      // Only a key already taken reads the file: a retry (same digest) or a reuse (another one).
      // A row carried over from the old layout has no digest: taken as a retry, as it was then.
      const row = await this.db.execute({ sql: 'SELECT digest FROM spool WHERE batch_key = ?', args: [key] });
      const stored = row.rows[0]?.digest;
      if (stored !== null && stored !== undefined && stored !== digest) throw reusedBatchId(batchId);
      return { duplicate: true };
    }
    // While the core is away, or with a long queue, the file alone holds it: memory stays bounded.
    if (claimed && !this.coreAway && this.fresh.length < MAX_FRESH) this.fresh.push({ key, request: encoded });
    else {
      if (claimed) this.inMemory.delete(key);
      this.retries = true;
    }
    this.schedule(0);
    return { duplicate: false };
  }

  /**
   * Group commit: the INSERTs of batches accepted in the same turn of the event loop go to the
   * file in one transaction (one write of the log instead of one per batch); each caller is
   * answered once that transaction is committed, with its own rows affected.
   */
  private insert(args: [string, string, string, number, number]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.inserts.push({ args, resolve, reject });
      if (this.inserts.length === 1) setImmediate(() => void this.commitInserts());
    });
  }

  private async commitInserts(): Promise<void> {
    const group = this.inserts.splice(0);
    const sql = 'INSERT INTO spool (batch_key, digest, request, accepted_at_ms, next_attempt_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (batch_key) DO NOTHING';
    try {
      const results = group.length === 1 ? [await this.db.execute({ sql, args: group[0]!.args })] : await this.db.batch(group.map((g) => ({ sql, args: g.args })), 'write');
      group.forEach((g, i) => g.resolve(results[i]!.rowsAffected));
    } catch (err) {
      for (const g of group) g.reject(err);
    }
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
    await this.flush();
    await this.checkpointer?.stop();
    this.db.close(); // the last connection to close checkpoints what is left
  }

  /** Hands checkpoints to a worker thread; if it cannot start, or stops, SQLite's own come back. */
  private async checkpointElsewhere(file: string, synchronous: 'NORMAL' | 'FULL'): Promise<void> {
    const ownAgain = (message: string) => {
      this.checkpointer = undefined;
      this.log('checkpoint worker unavailable; checkpointing on the serving connection', { message });
      if (!this.closed) void this.db.execute('PRAGMA wal_autocheckpoint = 1000').catch(() => undefined);
    };
    try {
      this.checkpointer = await startCheckpointer(file, synchronous, ownAgain);
      await this.db.execute('PRAGMA wal_autocheckpoint = 0');
    } catch (err) {
      ownAgain(String((err as Error).message ?? err));
    }
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
      let round: { key: string; request: string; attempts: number }[];
      // With IngestBatches, what was accepted while the last call was out goes in one call, as many
      // as the core has lately stored within the call's deadline (see sendRound).
      const take = this.forwarder.sendManyEncoded ? this.perCall : this.concurrency;
      if (this.fresh.length > 0) {
        round = this.fresh.splice(0, take).map((f) => ({ ...f, attempts: 0 }));
      } else if (this.retries) {
        // The file is read only with nothing in flight and every delivery marked, so what it
        // holds as pending and due is exactly what waits for a retry (less any accepted meanwhile).
        await this.flush();
        const due = await this.db.execute({
          sql: `SELECT batch_key, request, attempts FROM spool
                WHERE delivered_at_ms IS NULL AND dead_reason IS NULL AND next_attempt_ms <= ?
                ORDER BY next_attempt_ms LIMIT ?`,
          args: [this.now(), take],
        });
        round = due.rows
          .map((row) => ({ key: String(row.batch_key), request: String(row.request), attempts: Number(row.attempts) }))
          .filter((r) => !this.inMemory.has(r.key));
        for (const r of round) this.inMemory.add(r.key);
        if (round.length === 0) break;
      } else break;
      const outcomes = await this.sendRound(round);
      if (outcomes.every((ok) => !ok)) {
        // The core is away: say so once per round, not once per batch, and wait for the next attempt time.
        if (!this.coreAway) this.log('core unavailable; batches stay in the spool and are retried', { waiting: round.length });
        this.coreAway = true;
        // What waits in memory goes back to the file's retry rounds, with their backoff.
        for (const f of this.fresh.splice(0)) this.inMemory.delete(f.key);
        this.retries = true;
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
    if (this.fresh.length > 0) return this.schedule(0);
    if (!this.retries) return;
    // When the next retry is due. Unmarked deliveries would look due: mark them first.
    await this.flush();
    const next = await this.db.execute(
      'SELECT min(next_attempt_ms) AS at FROM spool WHERE delivered_at_ms IS NULL AND dead_reason IS NULL',
    );
    const at = next.rows[0]?.at;
    if (at === null || at === undefined) this.retries = false;
    else this.schedule(Math.max(10, Number(at) - this.now()));
  }

  /** Marks a delivery in the file soon, together with the others of the next `markDelayMs`. */
  private markDelivered(key: string): void {
    this.delivered.push(key);
    if (this.delivered.length >= 500) void this.flush();
    else if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => void this.flush(), this.markDelayMs);
      this.flushTimer.unref?.();
    }
  }

  /** Writes the pending delivery marks (one UPDATE per 500); serialised, and kept for the next try on failure. */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(async () => {
      while (this.delivered.length > 0) {
        const ids = this.delivered.splice(0, 500);
        try {
          await this.db.execute({
            sql: `UPDATE spool SET delivered_at_ms = ?, request = '' WHERE batch_key IN (${ids.map(() => '?').join(', ')})`,
            args: [this.now(), ...ids],
          });
        } catch (err) {
          this.delivered.unshift(...ids);
          this.log('cannot mark delivered batches; will try again', { count: ids.length, err: String(err) });
          if (!this.closed && this.flushTimer === undefined) {
            this.flushTimer = setTimeout(() => void this.flush(), 1000);
            this.flushTimer.unref?.();
          }
          return;
        }
        for (const id of ids) this.inMemory.delete(id);
      }
    });
    return this.flushing;
  }

  /** One round: in one IngestBatches call when the forwarder can, else a call per batch. True per delivered batch. */
  private async sendRound(round: { key: string; request: string; attempts: number }[]): Promise<boolean[]> {
    const many = this.forwarder.sendManyEncoded;
    if (!many || round.length === 1) return Promise.all(round.map((r) => this.send(r.key, r.request, r.attempts)));
    let answers: ({ duplicate: boolean } | CadenceError)[] | undefined;
    let failure: unknown;
    try {
      answers = await many.call(this.forwarder, round.map((r) => r.request)); // sent as stored
      this.perCall = Math.min(MAX_PER_CALL, this.perCall + 1);
    } catch (err) {
      failure = err;
      // The core answered nothing within the deadline (slow storage, a short CADENCE_CORE_TIMEOUT_MS):
      // smaller calls from now on, growing back one batch per call that succeeds.
      if (timedOut(err)) this.perCall = Math.max(1, this.perCall >> 1);
    }
    return Promise.all(round.map((r, i) => this.settle(r.key, r.attempts, answers ? answers[i]! : failure)));
  }

  private async send(key: string, request: string, attempts: number): Promise<boolean> {
    let answer: unknown;
    try {
      answer = await this.forwarder.sendEncoded(request); // sent as stored: no parse and re-encode per batch
    } catch (err) {
      answer = err;
    }
    return this.settle(key, attempts, answer);
  }

  /** Records one batch's outcome: delivered, a dead letter, or a retry with backoff. */
  private async settle(key: string, attempts: number, answer: unknown): Promise<boolean> {
    if (!(answer instanceof Error)) {
      this.markDelivered(key);
      return true;
    }
    const e = CadenceError.from(answer);
    try {
      if (isPermanent(e)) {
        this.log('dead letter', { batch: key, code: e.codeName, message: e.message });
        await this.db.execute({ sql: 'UPDATE spool SET dead_reason = ? WHERE batch_key = ?', args: [`${e.codeName}: ${e.message}`, key] });
        return true;
      }
      const wait = backoffMs(attempts + 1, this.retryCapMs);
      await this.db.execute({
        sql: 'UPDATE spool SET attempts = attempts + 1, next_attempt_ms = ? WHERE batch_key = ?',
        args: [this.now() + wait, key],
      });
      return false;
    } finally {
      // From here the file's copy is the one to retry (or the dead letter).
      this.retries = true;
      this.inMemory.delete(key);
    }
  }
}
