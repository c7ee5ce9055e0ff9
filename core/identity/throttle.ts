// Login throttling: failures counted per key (account, device) in libSQL; past the limit each
// further failure doubles a temporary lock, answered RESOURCE_EXHAUSTED with when to retry.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loginThrottle } from '../../db/schema.ts';
import { CadenceError, Code } from '../../lib/errors.ts';

export interface ThrottleOptions {
  maxFailures: number;
  lockSeconds: number;
  now: () => number;
}

const MAX_LOCK_MS = 15 * 60_000;
/** Failures older than this are forgotten. */
const WINDOW_MS = 60 * 60_000;

/** How long a key is locked after `failures` consecutive failures (0 below the limit). */
export function lockMs(failures: number, o: Pick<ThrottleOptions, 'maxFailures' | 'lockSeconds'>): number {
  if (failures < o.maxFailures) return 0;
  return Math.min(MAX_LOCK_MS, o.lockSeconds * 1000 * 2 ** (failures - o.maxFailures));
}

export function createLoginThrottle(db: Db, o: ThrottleOptions) {
  return {
    /** Throws RESOURCE_EXHAUSTED if any key is locked now. */
    async check(keys: { key: string; what: string }[]): Promise<void> {
      const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys.map((k) => k.key)));
      const now = o.now();
      for (const row of rows) {
        if (row.lockedUntilMs > now) {
          const seconds = Math.ceil((row.lockedUntilMs - now) / 1000);
          const what = keys.find((k) => k.key === row.key)!.what;
          throw new CadenceError(Code.RESOURCE_EXHAUSTED, `too many failed logins for this ${what}: retry in ${seconds} s`);
        }
      }
    },

    /** Seconds until `key` may try again (0: now). */
    async lockedSeconds(key: string): Promise<number> {
      const row = await db.select({ until: loginThrottle.lockedUntilMs }).from(loginThrottle).where(eq(loginThrottle.key, key)).get();
      const now = o.now();
      return row && row.until > now ? Math.ceil((row.until - now) / 1000) : 0;
    },

    async fail(keys: string[]): Promise<void> {
      const now = o.now();
      for (const key of keys) {
        // Failures older than the window start the count again.
        const failures = sql`case when ${loginThrottle.lastFailureMs} < ${now - WINDOW_MS} then 1 else ${loginThrottle.failures} + 1 end`;
        const [row] = await db
          .insert(loginThrottle)
          .values({ key, failures: 1, lastFailureMs: now, lockedUntilMs: now + lockMs(1, o) })
          .onConflictDoUpdate({ target: loginThrottle.key, set: { failures, lastFailureMs: now } })
          .returning();
        const until = now + lockMs(row!.failures, o);
        if (until > now) await db.update(loginThrottle).set({ lockedUntilMs: until }).where(eq(loginThrottle.key, key));
      }
    },

    async clear(key: string): Promise<void> {
      await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
