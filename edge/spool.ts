// Node's durable Delivery: accepted batches are written to a local libSQL file before the browser
// is answered, and a background sender drains them to the core with retries and backoff. Batches
// the core refuses for good are kept as dead letters, never dropped silently. The sender, its
// rounds and the retry/dead-letter decisions are the shared outbox (lib/outbox.ts); this file is
// its storage (the file, with the in-memory fast path below) and its delivery (IngestBatches).
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
//
// A request is stored as its binary (protobuf) encoding, a BLOB, and sent as stored. Files from
// before hold JSON text (proto3 JSON of the same message): such a row is converted when it is read
// for a retry, and one that no longer reads as an IngestBatchRequest is kept as a dead letter.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { IngestBatchRequest } from '../client/gen/cadence/v1/ingest_pb.ts';
import { batchKey } from '../lib/batch-digest.ts';
import { CadenceError } from '../lib/errors.ts';
import { Outbox, type Outcome } from '../lib/outbox.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { isPermanent, reusedBatchId, type BatchKey, type Delivery } from './delivery.ts';
import { encodeJsonRequest, encodeRequest, type Forwarder, type StoredRequest } from './forward.ts';

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
// over from a file of the batch-id-only layout (see migrate below). request is a BLOB (the binary
// encoding) in rows written since the edge sends binary, JSON text in older ones ('' once delivered).
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

/**
 * While the core is away, one round a second at most: what is accepted or falls due meanwhile waits
 * in the file and goes with the next round, which probes for the core's return. Before, each batch
 * accepted during an outage made a failing call of its own (and its file reads and writes), which
 * doubled the edge's CPU per request.
 */
const AWAY_PROBE_MS = 1000;

/** Whether a failure was the call's deadline (a TimeoutError somewhere along its causes). */
function timedOut(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e.name === 'TimeoutError') return true;
  return false;
}

/** Batches in one IngestBatches call at most (the core's MAX_BATCHES_PER_CALL). */
const MAX_PER_CALL = 64;

/** A batch claimed for a round: its key, the request as stored (or why it cannot be read), the attempts it had. */
interface Row {
  key: string;
  request: StoredRequest | { unreadable: string };
  attempts: number;
}

const sessionOf = (key: string) => key.slice(0, key.indexOf(' '));

/** A stored request as the forwarder sends it: a BLOB as it is, JSON text of an older file converted once. */
function readStored(key: string, value: unknown): Row['request'] {
  const sessionId = sessionOf(key);
  if (value instanceof ArrayBuffer) return { sessionId, bytes: new Uint8Array(value) };
  try {
    return { sessionId, bytes: encodeJsonRequest(JSON.parse(String(value))) };
  } catch (err) {
    return { unreadable: `invalid_argument: the stored request is not an IngestBatchRequest: ${(err as Error).message}` };
  }
}

export class Spool implements Delivery {
  private readonly db: Client;
  private readonly forwarder: Forwarder;
  private readonly concurrency: number;
  private readonly markDelayMs: number;
  private readonly log: NonNullable<SpoolOptions['log']>;
  private readonly now: () => number;
  private readonly outbox: Outbox<string, Row>;
  private closed = false;
  private coreAway = false;
  /** While the core is away: when the last probe round started, and when it found the core away again (see AWAY_PROBE_MS). */
  private awayProbedAt = 0;
  /** Batches per IngestBatches call, halved when a call times out (see sendRound). */
  private perCall = 16;
  /** INSERTs waiting for this turn's group commit (see insert). */
  private readonly inserts: { args: [string, string, Uint8Array, number, number]; resolve: (rowsAffected: number) => void; reject: (err: unknown) => void }[] = [];
  /** Accepted, not yet attempted: sent from memory, in order. */
  private readonly fresh: { key: string; request: StoredRequest }[] = [];
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
    this.concurrency = options.concurrency ?? 8;
    this.markDelayMs = options.markDelayMs ?? 100;
    this.log = options.log ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.outbox = new Outbox<string, Row>({
      store: {
        claim: () => this.claim(),
        delivered: (row) => this.markDelivered(row.key),
        dead: (row, reason) => this.release(row, 'UPDATE spool SET dead_reason = ? WHERE batch_key = ?', [reason, row.key]),
        retry: (row, at) => this.release(row, 'UPDATE spool SET attempts = attempts + 1, next_attempt_ms = ? WHERE batch_key = ?', [at, row.key]),
        nextDue: () => this.nextDue(),
        purge: async (before) => {
          await this.db.execute({ sql: 'DELETE FROM spool WHERE delivered_at_ms < ?', args: [before] });
        },
      },
      deliver: (rows) => this.sendRound(rows),
      capDelayMs: options.retryCapMs ?? 30_000,
      retentionMs: options.retentionMs ?? 24 * 3600_000,
      afterRound: (rows, outcomes) => this.afterRound(rows, outcomes),
      onSettled: (row, settlement, outcome) => {
        if (settlement === 'refused') this.log('dead letter', { batch: row.key, reason: (outcome as { reason: string }).reason });
      },
      onError: (err) => this.log('spool file unavailable; trying again in a second', { err: String(err) }),
      errorRetryMs: 1000,
      now: this.now,
    });
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

  async accept({ sessionId, batchId, digest }: BatchKey, request: IngestBatchRequest): Promise<{ duplicate: boolean }> {
    const now = this.now();
    const key = batchKey(sessionId, batchId);
    const encoded = encodeRequest(request);
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
    if (claimed && !this.coreAway && this.fresh.length < MAX_FRESH) this.fresh.push({ key, request: { sessionId, bytes: encoded } });
    else {
      if (claimed) this.inMemory.delete(key);
      this.retries = true;
    }
    this.schedule(this.coreAway ? Math.max(0, this.awayProbedAt + AWAY_PROBE_MS - now) : 0);
    return { duplicate: false };
  }

  /**
   * Group commit: the INSERTs of batches accepted in the same turn of the event loop go to the
   * file in one transaction (one write of the log instead of one per batch); each caller is
   * answered once that transaction is committed, with its own rows affected.
   */
  private insert(args: [string, string, Uint8Array, number, number]): Promise<number> {
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
    await this.outbox.close();
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
    if (!this.closed) this.outbox.wake(delayMs);
  }

  /**
   * A round: what was accepted while the last call was out, from memory; else, when the file may
   * hold retries, those due. With IngestBatches, as many as the core has lately stored within the
   * call's deadline (see sendRound).
   */
  private async claim(): Promise<Row[]> {
    // A probe round starts: batches accepted while it is out wait for the next one, a second on.
    if (this.coreAway) this.awayProbedAt = this.now();
    const take = this.forwarder.sendManyStored ? this.perCall : this.concurrency;
    if (this.fresh.length > 0) return this.fresh.splice(0, take).map((f) => ({ ...f, attempts: 0 }));
    if (!this.retries) return [];
    // The file is read only with nothing in flight and every delivery marked, so what it
    // holds as pending and due is exactly what waits for a retry (less any accepted meanwhile).
    await this.flush();
    const due = await this.db.execute({
      sql: `SELECT batch_key, request, attempts FROM spool
            WHERE delivered_at_ms IS NULL AND dead_reason IS NULL AND next_attempt_ms <= ?
            ORDER BY next_attempt_ms LIMIT ?`,
      args: [this.now(), take],
    });
    const round = due.rows
      .map((row) => ({ key: String(row.batch_key), request: readStored(String(row.batch_key), row.request), attempts: Number(row.attempts) }))
      .filter((r) => !this.inMemory.has(r.key));
    for (const r of round) this.inMemory.add(r.key);
    return round;
  }

  /** A failed or refused batch: from here the file's copy is the one to retry (or the dead letter). */
  private async release(row: Row, sql: string, args: (string | number)[]): Promise<void> {
    try {
      await this.db.execute({ sql, args });
    } finally {
      this.retries = true;
      this.inMemory.delete(row.key);
    }
  }

  /** False when no batch of the round got through: the core is away; the next attempt waits for its time. */
  private afterRound(rows: Row[], outcomes: Outcome[]): boolean {
    if (outcomes.every((o) => o.kind === 'failed')) {
      // Said once per round, not once per batch.
      if (!this.coreAway) this.log('core unavailable; batches stay in the spool and are retried', { waiting: rows.length });
      this.coreAway = true;
      this.awayProbedAt = this.now();
      // What waits in memory goes back to the file's retry rounds, with their backoff.
      for (const f of this.fresh.splice(0)) this.inMemory.delete(f.key);
      this.retries = true;
      return false;
    }
    if (this.coreAway) this.log('core reachable again; draining the spool', {});
    this.coreAway = false;
    return true;
  }

  /** When the next retry in the file is due (none when it holds none). */
  private async nextDue(): Promise<number | undefined> {
    if (!this.retries) return undefined;
    // Unmarked deliveries would look due: mark them first.
    await this.flush();
    const next = await this.db.execute('SELECT min(next_attempt_ms) AS at FROM spool WHERE delivered_at_ms IS NULL AND dead_reason IS NULL');
    const at = next.rows[0]?.at;
    if (at === null || at === undefined) this.retries = false;
    if (at === null || at === undefined) return undefined;
    // While the core is away, what falls due waits for the next probe and goes with it.
    return this.coreAway ? Math.max(Number(at), this.awayProbedAt + AWAY_PROBE_MS) : Number(at);
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

  /** One round: in one IngestBatches call when the forwarder can, else a call per batch. An outcome per batch. */
  private async sendRound(all: Row[]): Promise<Outcome[]> {
    const outcomes = new Map<Row, Outcome>();
    const round: (Row & { request: StoredRequest })[] = [];
    for (const r of all) {
      if ('unreadable' in r.request) outcomes.set(r, { kind: 'refused', reason: r.request.unreadable });
      else round.push(r as Row & { request: StoredRequest });
    }
    const sent = await this.sendReadable(round);
    round.forEach((r, i) => outcomes.set(r, sent[i]!));
    return all.map((r) => outcomes.get(r)!);
  }

  private async sendReadable(round: (Row & { request: StoredRequest })[]): Promise<Outcome[]> {
    if (round.length === 0) return [];
    const many = this.forwarder.sendManyStored;
    if (!many || round.length === 1) return Promise.all(round.map((r) => this.send(r.request)));
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
    return round.map((_, i) => outcomeOf(answers ? answers[i]! : failure));
  }

  private async send(request: StoredRequest): Promise<Outcome> {
    try {
      return outcomeOf(await this.forwarder.sendStored(request)); // sent as stored: no decode and re-encode per batch
    } catch (err) {
      return outcomeOf(err);
    }
  }
}

/** The core's answer for one batch: stored (or already stored), refused for good, or to retry. */
function outcomeOf(answer: unknown): Outcome {
  if (!(answer instanceof Error)) return { kind: 'delivered' };
  const e = CadenceError.from(answer);
  return isPermanent(e) ? { kind: 'refused', reason: `${e.codeName}: ${e.message}` } : { kind: 'failed' };
}
