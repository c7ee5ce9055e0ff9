// libSQL storage of the off-chain endpoint: signed results by idempotency key (for repeats within
// the window) and each DID's enrolled sessions. A result and its enrolment are written in one batch.
import { and, asc, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { offchainHistory, offchainResults } from '../../db/schema.ts';
import type { MeasuredFeatures } from './features.ts';

export interface StoredResult {
  requestSha256: string;
  response: Record<string, unknown>;
  createdAtMs: number;
}

export interface Enrolment extends MeasuredFeatures {
  anomalyScore: number;
}

/** A DID's history holds each request at most once. */
export const dedupeKeyOf = (did: string, requestSha256: string) => `${did}:${requestSha256}`;

export function createOffchainStore(db: Db, options: { maxHistory: number }) {
  return {
    async findResult(key: string, notBeforeMs: number): Promise<StoredResult | undefined> {
      const [row] = await db
        .select({ requestSha256: offchainResults.requestSha256, response: offchainResults.response, createdAtMs: offchainResults.createdAtMs })
        .from(offchainResults)
        .where(and(eq(offchainResults.key, key), gt(offchainResults.createdAtMs, notBeforeMs)));
      return row;
    },

    /** The DID's enrolled sessions, oldest first, and the id of the newest (a cache key for its model). */
    async history(did: string): Promise<{ rows: (MeasuredFeatures & { dedupeKey: string })[]; lastId: number }> {
      const rows = await db
        .select({
          id: offchainHistory.id,
          dedupeKey: offchainHistory.dedupeKey,
          typingSpeedWpm: offchainHistory.typingSpeedWpm,
          avgKeyHoldTimeMs: offchainHistory.avgKeyHoldTimeMs,
          avgTransitionTimeMs: offchainHistory.avgTransitionTimeMs,
          errorRatePercent: offchainHistory.errorRatePercent,
        })
        .from(offchainHistory)
        .where(eq(offchainHistory.did, did))
        .orderBy(asc(offchainHistory.id));
      return { rows, lastId: rows.at(-1)?.id ?? 0 };
    },

    /**
     * Stores a result under `key` unless a live one is there (an expired one is replaced), enrols the
     * session when asked, and trims the DID's history to the newest `maxHistory`. Returns the result
     * that holds the key afterwards: ours, or the one a concurrent identical request stored first.
     */
    async commit(r: { key: string; did: string; requestSha256: string; response: Record<string, unknown>; nowMs: number; notBeforeMs: number; enrol?: Enrolment }): Promise<StoredResult> {
      const insert = db
        .insert(offchainResults)
        .values({ key: r.key, did: r.did, requestSha256: r.requestSha256, response: r.response, createdAtMs: r.nowMs })
        .onConflictDoUpdate({
          target: offchainResults.key,
          set: { did: r.did, requestSha256: r.requestSha256, response: r.response, createdAtMs: r.nowMs },
          setWhere: lte(offchainResults.createdAtMs, r.notBeforeMs),
        })
        .returning({ key: offchainResults.key });
      if (r.enrol) {
        const enrol = db
          .insert(offchainHistory)
          .values({ did: r.did, dedupeKey: dedupeKeyOf(r.did, r.requestSha256), ...r.enrol, createdAtMs: r.nowMs })
          .onConflictDoNothing();
        const trim = db
          .delete(offchainHistory)
          .where(
            and(
              eq(offchainHistory.did, r.did),
              lte(offchainHistory.id, sql`(select id from offchain_history where did = ${r.did} order by id desc limit 1 offset ${options.maxHistory})`),
            ),
          );
        const [won] = await db.batch([insert, enrol, trim]);
        if (won.length) return { requestSha256: r.requestSha256, response: r.response, createdAtMs: r.nowMs };
      } else {
        const won = await insert;
        if (won.length) return { requestSha256: r.requestSha256, response: r.response, createdAtMs: r.nowMs };
      }
      const held = await this.findResult(r.key, r.notBeforeMs);
      if (!held) throw new Error('an off-chain result vanished between its write and its read');
      return held;
    },

    /** Drops results past the idempotency window. */
    async pruneResults(beforeMs: number): Promise<void> {
      await db.delete(offchainResults).where(lt(offchainResults.createdAtMs, beforeMs));
    },
  };
}

export type OffchainStore = ReturnType<typeof createOffchainStore>;
