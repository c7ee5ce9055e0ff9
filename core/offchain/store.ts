// libSQL storage of the off-chain endpoint: signed results by idempotency key (for repeats within
// the window) and each DID's enrolled sessions. A result and its enrolment are written in one
// transaction; the writes of requests that finish in the same turn of the event loop share it
// (group commit), and each DID's history is kept in memory once read (this core's own enrolments
// are added as they commit; another core's show up within HISTORY_TTL_MS). Constant SQL text on
// the client: this is the hot path of /predict, where building queries cost more than running them.
import type { InStatement } from '@libsql/client';
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
  /** The newest row id read from the database. */
  lastId: number;
}

interface CommitRequest {
  key: string;
  did: string;
  requestSha256: string;
  response: Record<string, unknown>;
  nowMs: number;
  /** Results under the key created at or before this are expired (nowMs - the idempotency window). */
  notBeforeMs: number;
  enrol?: Enrolment;
}

interface Commit {
  r: CommitRequest;
  resolve: (won: boolean) => void;
  reject: (e: unknown) => void;
}

/** A DID's history holds each request at most once. */
export const dedupeKeyOf = (did: string, requestSha256: string) => `${did}:${requestSha256}`;

/** How long a DID's history read from the database is trusted before it is read again. */
export const HISTORY_TTL_MS = 5000;
/** DIDs whose history is kept in memory (the first loaded goes first); each holds at most maxHistory sessions. */
const HISTORY_CACHE = 1000;
/** Most requests written in one statement (SQLite allows 32766 parameters; a row takes 10). */
const MAX_GROUP = 500;

const FIND = 'select request_sha256, response, created_at_ms from offchain_results where key = ? and created_at_ms > ?';
const COLUMNS = 'id, dedupe_key, typing_speed_wpm, avg_key_hold_time_ms, avg_transition_time_ms, error_rate_percent';
const HISTORY = `select ${COLUMNS} from offchain_history where did = ? order by id desc limit ?`;
const HISTORY_AFTER = `select ${COLUMNS} from offchain_history where did = ? and id > ? order by id desc limit ?`;
// One statement per group for the results and one for the enrolments: SQLite compiles every
// statement it runs, so k requests' rows in one statement cost one compile instead of k.
// An expired result under a key is replaced; a live one stays (and RETURNING leaves its key out).
const upsert = (rows: number) =>
  `insert into offchain_results (key, did, request_sha256, response, created_at_ms) values ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')} ` +
  'on conflict (key) do update set did = excluded.did, request_sha256 = excluded.request_sha256, response = excluded.response, created_at_ms = excluded.created_at_ms ' +
  'where offchain_results.created_at_ms <= excluded.created_at_ms - ? returning key';
// Only sessions whose result was just stored under its key (a result that lost the key to a live
// one never enrols its session); a request already in the history is not added again.
const enrol = (rows: number) =>
  'insert into offchain_history (did, dedupe_key, typing_speed_wpm, avg_key_hold_time_ms, avg_transition_time_ms, error_rate_percent, anomaly_score, created_at_ms) ' +
  `select column1, column2, column3, column4, column5, column6, column7, column8 from (values ${Array(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}) ` +
  'where exists (select 1 from offchain_results r where r.key = column9 and r.request_sha256 = column10 and r.created_at_ms = column8) on conflict do nothing';
const TRIM = 'delete from offchain_history where did = ? and id <= (select id from offchain_history where did = ? order by id desc limit 1 offset ?)';
const PRUNE = 'delete from offchain_results where created_at_ms < ?';

export function createOffchainStore(db: Db, options: { maxHistory: number }) {
  const histories = new Map<string, DidHistory>();
  let pending: Commit[] = [];

  /** Writes every pending commit in one transaction; a key twice in the group waits for the next one. */
  function flush(): void {
    const group: Commit[] = [];
    const later: Commit[] = [];
    const keys = new Set<string>();
    for (const c of pending) {
      if (keys.has(c.r.key) || group.length >= MAX_GROUP) later.push(c);
      else group.push(c);
      keys.add(c.r.key);
    }
    pending = later;
    if (later.length) setImmediate(flush);
    const windowMs = group[0]!.r.nowMs - group[0]!.r.notBeforeMs;
    const stmts: InStatement[] = [{ sql: upsert(group.length), args: [...group.flatMap((c) => [c.r.key, c.r.did, c.r.requestSha256, JSON.stringify(c.r.response), c.r.nowMs]), windowMs] }];
    const enrolling = group.filter((c) => c.r.enrol);
    if (enrolling.length) {
      stmts.push({
        sql: enrol(enrolling.length),
        args: enrolling.flatMap(({ r }) => [r.did, dedupeKeyOf(r.did, r.requestSha256), r.enrol!.typingSpeedWpm, r.enrol!.avgKeyHoldTimeMs, r.enrol!.avgTransitionTimeMs, r.enrol!.errorRatePercent, r.enrol!.anomalyScore, r.nowMs, r.key, r.requestSha256]),
      });
      // Trim only a history that may be full (not read yet, or at the limit): a statement more.
      for (const did of new Set(enrolling.map((c) => c.r.did))) {
        const known = histories.get(did);
        if (!known || known.vectors.length >= options.maxHistory) stmts.push({ sql: TRIM, args: [did, did, options.maxHistory] });
      }
    }
    db.$client.batch(stmts, 'write').then(
      ([stored]) => {
        const won = new Set(stored!.rows.map((row) => String(row.key)));
        for (const c of group) c.resolve(won.has(c.r.key));
      },
      (err: unknown) => group.forEach((c) => c.reject(err)),
    );
  }

  /** Queues a commit for the next group transaction; resolves with whether its result took the key. */
  function write(r: CommitRequest): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ r, resolve, reject });
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

    /**
     * The DID's enrolled sessions (newest `maxHistory`): read once, then only rows newer than the
     * newest seen are read, at most every HISTORY_TTL_MS (other cores' enrolments; ours are added at commit).
     */
    async history(did: string): Promise<DidHistory> {
      const cached = histories.get(did);
      if (cached && performance.now() - cached.loadedAt < HISTORY_TTL_MS) return cached;
      const { rows } = cached
        ? await db.$client.execute({ sql: HISTORY_AFTER, args: [did, cached.lastId, options.maxHistory] })
        : await db.$client.execute({ sql: HISTORY, args: [did, options.maxHistory] });
      const entry: DidHistory = cached ?? { vectors: [], dedupeKeys: new Set(), loadedAt: 0, lastId: 0 };
      for (const r of rows.reverse()) {
        entry.lastId = Math.max(entry.lastId, Number(r.id));
        const key = String(r.dedupe_key);
        if (entry.dedupeKeys.has(key)) continue;
        entry.dedupeKeys.add(key);
        entry.vectors.push(featureVector({ typingSpeedWpm: Number(r.typing_speed_wpm), avgKeyHoldTimeMs: Number(r.avg_key_hold_time_ms), avgTransitionTimeMs: Number(r.avg_transition_time_ms), errorRatePercent: Number(r.error_rate_percent) }));
        entry.memo = undefined;
      }
      if (entry.vectors.length > options.maxHistory) entry.vectors.splice(0, entry.vectors.length - options.maxHistory);
      entry.loadedAt = performance.now();
      if (!cached) {
        if (histories.size >= HISTORY_CACHE) histories.delete(histories.keys().next().value!);
        histories.set(did, entry);
      }
      return entry;
    },

    /**
     * Stores a result under `key` unless a live one is there (an expired one is replaced), enrols the
     * session when asked and stored, and trims the DID's history to the newest `maxHistory`. Returns
     * the result that holds the key afterwards: ours, or the one a concurrent identical request stored first.
     */
    async commit(r: CommitRequest): Promise<StoredResult> {
      const dedupeKey = dedupeKeyOf(r.did, r.requestSha256);
      const won = await write(r);
      const known = histories.get(r.did);
      if (won && r.enrol && known && !known.dedupeKeys.has(dedupeKey)) {
        known.vectors.push(featureVector(r.enrol));
        known.dedupeKeys.add(dedupeKey);
        if (known.vectors.length > options.maxHistory) known.vectors.shift();
        known.memo = undefined;
      }
      if (won) return { requestSha256: r.requestSha256, response: r.response, createdAtMs: r.nowMs };
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
