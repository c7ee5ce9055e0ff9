// libSQL storage of the off-chain endpoint: signed results by idempotency key (for repeats within
// the window) and each DID's enrolled sessions. A result and its enrolment are written in one
// transaction; the writes of requests that finish in the same turn of the event loop share it
// (group commit), and each DID's history is kept in memory once read (this core's own enrolments
// are added as they commit; another core's show up within HISTORY_TTL_MS). Constant SQL text on
// the client: this is the hot path of /predict, where building queries cost more than running them.
import type { InStatement, ResultSet } from '@libsql/client';
import type { Db } from '../../db/client.ts';
import type { MeasuredFeatures } from './features.ts';
import { featureVector } from './features.ts';

export interface StoredResult {
  requestSha256: string;
  response: Record<string, unknown>;
  createdAtMs: number;
}

export interface Enrolment extends MeasuredFeatures {
  anomalyScore: number;
}

/** A DID's newest enrolled sessions (oldest first) as six-feature vectors, and their dedupe keys. */
export interface DidHistory {
  vectors: Float64Array[];
  dedupeKeys: Set<string>;
  /** Derived data a caller may keep with the entry (the baseline); cleared when the history changes. */
  memo?: unknown;
  loadedAt: number;
}

/** A DID's history holds each request at most once. */
export const dedupeKeyOf = (did: string, requestSha256: string) => `${did}:${requestSha256}`;

/** How long a DID's history read from the database is trusted before it is read again. */
export const HISTORY_TTL_MS = 2000;
const HISTORY_CACHE = 10_000;

const FIND = 'select request_sha256, response, created_at_ms from offchain_results where key = ? and created_at_ms > ?';
const HISTORY =
  'select dedupe_key, typing_speed_wpm, avg_key_hold_time_ms, avg_transition_time_ms, error_rate_percent from offchain_history where did = ? order by id desc limit ?';
// An expired result under the key is replaced; a live one stays (and RETURNING is then empty).
const UPSERT =
  'insert into offchain_results (key, did, request_sha256, response, created_at_ms) values (?, ?, ?, ?, ?) ' +
  'on conflict (key) do update set did = excluded.did, request_sha256 = excluded.request_sha256, response = excluded.response, created_at_ms = excluded.created_at_ms ' +
  'where offchain_results.created_at_ms <= ? returning key';
// Only when the result just above was stored: a result that lost its key never enrols its session.
const ENROL =
  'insert into offchain_history (did, dedupe_key, typing_speed_wpm, avg_key_hold_time_ms, avg_transition_time_ms, error_rate_percent, anomaly_score, created_at_ms) ' +
  'select ?, ?, ?, ?, ?, ?, ?, ? where changes() = 1 on conflict do nothing';
const TRIM = 'delete from offchain_history where did = ? and id <= (select id from offchain_history where did = ? order by id desc limit 1 offset ?)';
const PRUNE = 'delete from offchain_results where created_at_ms < ?';

export function createOffchainStore(db: Db, options: { maxHistory: number }) {
  const histories = new Map<string, DidHistory>();
  let pending: { stmts: InStatement[]; resolve: (r: ResultSet[]) => void; reject: (e: unknown) => void }[] = [];

  function flush(): void {
    const group = pending;
    pending = [];
    db.$client.batch(group.flatMap((g) => g.stmts), 'write').then(
      (results) => {
        let at = 0;
        for (const g of group) {
          g.resolve(results.slice(at, at + g.stmts.length));
          at += g.stmts.length;
        }
      },
      (err: unknown) => group.forEach((g) => g.reject(err)),
    );
  }

  /** Runs `stmts` in the next group transaction; resolves with their results. */
  function write(stmts: InStatement[]): Promise<ResultSet[]> {
    return new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ stmts, resolve, reject });
    });
  }

  async function findResult(key: string, notBeforeMs: number): Promise<StoredResult | undefined> {
    const { rows } = await db.$client.execute({ sql: FIND, args: [key, notBeforeMs] });
    const row = rows[0];
    if (!row) return undefined;
    return { requestSha256: String(row.request_sha256), response: JSON.parse(String(row.response)) as Record<string, unknown>, createdAtMs: Number(row.created_at_ms) };
  }

  return {
    findResult,

    /** The DID's enrolled sessions (newest `maxHistory`), from memory when read less than HISTORY_TTL_MS ago. */
    async history(did: string): Promise<DidHistory> {
      const cached = histories.get(did);
      if (cached && performance.now() - cached.loadedAt < HISTORY_TTL_MS) return cached;
      const { rows } = await db.$client.execute({ sql: HISTORY, args: [did, options.maxHistory] });
      const entry: DidHistory = {
        vectors: rows
          .map((r) => featureVector({ typingSpeedWpm: Number(r.typing_speed_wpm), avgKeyHoldTimeMs: Number(r.avg_key_hold_time_ms), avgTransitionTimeMs: Number(r.avg_transition_time_ms), errorRatePercent: Number(r.error_rate_percent) }))
          .reverse(),
        dedupeKeys: new Set(rows.map((r) => String(r.dedupe_key))),
        loadedAt: performance.now(),
      };
      histories.delete(did);
      if (histories.size >= HISTORY_CACHE) histories.delete(histories.keys().next().value!);
      histories.set(did, entry);
      return entry;
    },

    /**
     * Stores a result under `key` unless a live one is there (an expired one is replaced), enrols the
     * session when asked and stored, and trims the DID's history to the newest `maxHistory`. Returns
     * the result that holds the key afterwards: ours, or the one a concurrent identical request stored first.
     */
    async commit(r: { key: string; did: string; requestSha256: string; response: Record<string, unknown>; nowMs: number; notBeforeMs: number; enrol?: Enrolment }): Promise<StoredResult> {
      const stmts: InStatement[] = [{ sql: UPSERT, args: [r.key, r.did, r.requestSha256, JSON.stringify(r.response), r.nowMs, r.notBeforeMs] }];
      const dedupeKey = dedupeKeyOf(r.did, r.requestSha256);
      const known = histories.get(r.did);
      if (r.enrol) {
        const e = r.enrol;
        stmts.push({ sql: ENROL, args: [r.did, dedupeKey, e.typingSpeedWpm, e.avgKeyHoldTimeMs, e.avgTransitionTimeMs, e.errorRatePercent, e.anomalyScore, r.nowMs] });
        // Trim only when the history may be full (unknown or at the limit): it is a statement more.
        if (!known || known.vectors.length >= options.maxHistory) stmts.push({ sql: TRIM, args: [r.did, r.did, options.maxHistory] });
      }
      const [won, enrolled] = await write(stmts);
      if (r.enrol && enrolled!.rowsAffected === 1 && known && histories.get(r.did) === known) {
        known.vectors.push(featureVector(r.enrol));
        known.dedupeKeys.add(dedupeKey);
        if (known.vectors.length > options.maxHistory) known.vectors.shift();
        known.memo = undefined;
      }
      if (won!.rows.length) return { requestSha256: r.requestSha256, response: r.response, createdAtMs: r.nowMs };
      const held = await findResult(r.key, r.notBeforeMs);
      if (!held) throw new Error('an off-chain result vanished between its write and its read');
      return held;
    },

    /** Drops results past the idempotency window. */
    async pruneResults(beforeMs: number): Promise<void> {
      await db.$client.execute({ sql: PRUNE, args: [beforeMs] });
    },
  };
}

export type OffchainStore = ReturnType<typeof createOffchainStore>;
