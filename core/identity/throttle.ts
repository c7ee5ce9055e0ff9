// Login throttling in libSQL, valid across several cores sharing one database.
//
// An attempt that counts is *reserved* before its secret is evaluated and *settled* after: one
// conditional upsert per key admits it only while failures + attempts in flight stay below the
// limit (and no lock runs), so N concurrent guesses evaluate at most `max` of them, not N. Past the
// limit each further failure doubles a temporary lock (RESOURCE_EXHAUSTED with when to retry); once
// a lock has run out, one attempt at a time is admitted.
//
// Keys are keyed hashes (HMAC-SHA256) of what is counted (an email, a device id, an address), never
// the value itself; rows whose failures, lock and reservations are all older than the window are
// deleted as logins go by.
//
// A reservation left by a crashed or stalled core (older than RESERVATION_TTL_MS) is dropped, not
// counted: the caller of that attempt never got an answer (settling comes before the reply), so it
// learned nothing, and a crash must not lock anyone out. Dropping bumps the row's epoch, so a late
// settle of a dropped reservation changes nothing and its caller is told to try again.
import { createHmac, randomBytes } from 'node:crypto';
import { eq, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { identitySecrets, loginThrottle } from '../../db/schema.ts';

/** Longest a lock gets, however long the guessing goes on. */
const MAX_LOCK_MS = 15 * 60_000;
/** Failures older than this are forgotten, and rows with nothing newer are deleted. */
const WINDOW_MS = 60 * 60_000;
/** A reservation not settled within this was left by a crashed or stalled core. */
const RESERVATION_TTL_MS = 2 * 60_000;
/** Expired rows are deleted at most this often per process. */
const SWEEP_EVERY_MS = 60_000;

/** One thing counted, e.g. `['pair', email, deviceId]`: the first part names the kind (kept in clear), the rest is hashed. */
export interface Limit {
  scope: [kind: string, ...parts: string[]];
  /** Failures before the lock starts (default: the throttle's `maxFailures`). */
  max?: number;
  /** For messages: `for this account`, `for this device`. */
  what: string;
  /** A successful attempt forgets this key's failures (else they age out with the window). */
  resetOnSuccess?: boolean;
}

export interface ThrottleOptions {
  maxFailures: number;
  lockSeconds: number;
  now: () => number;
  /** The HMAC key for row keys (see `throttleKey`). */
  key: () => Promise<Buffer>;
}

/** An admitted attempt: settle it exactly once (later calls do nothing). */
export interface Attempt {
  ok: true;
  /** Counts a failure on every key; false if the reservation had expired (the caller should not answer the result). */
  failed(): Promise<boolean>;
  /** Releases the reservation, forgetting failures where `resetOnSuccess`; false if it had expired. */
  succeeded(): Promise<boolean>;
  /** Releases the reservation without counting anything (the attempt was not evaluated). */
  release(): Promise<void>;
}

export interface Refusal {
  ok: false;
  limit: Limit;
  /** Seconds until the key may be tried again (at least 1). */
  retryS: number;
  /** Locked after failures, or only full of attempts being checked right now. */
  reason: 'locked' | 'busy';
}

/**
 * The HMAC key for throttle rows: derived from CADENCE_KEY_SECRET when set (then a copy of the
 * database alone cannot test emails against the rows), else 32 random bytes kept in
 * `identity_secrets` (the first core to start writes it; every core then reads the same one).
 */
export function throttleKey(db: Db, keySecret: string | undefined, now: () => number): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  const load = async (): Promise<Buffer> => {
    if (keySecret) return createHmac('sha256', keySecret).update('cadence/login-throttle/v1').digest();
    const name = 'login_throttle';
    await db.insert(identitySecrets).values({ name, value: randomBytes(32).toString('base64url'), createdAtMs: now() }).onConflictDoNothing();
    const row = await db.select().from(identitySecrets).where(eq(identitySecrets.name, name)).get();
    return Buffer.from(row!.value, 'base64url');
  };
  return () => (key ??= load().catch((err: unknown) => {
    key = undefined; // a database away at start: try again next time
    throw err;
  }));
}

// Effective values of an existing row at :now: window-old failures and stale reservations count as none.
const FAILS = `(case when last_failure_ms < :windowStart then 0 else failures end)`;
const STALE = `(in_flight > 0 and reserved_at_ms < :staleBefore)`;
const FLIGHT = `(case when ${STALE} then 0 else in_flight end)`;

const RESERVE = `insert into login_throttle (key, failures, last_failure_ms, locked_until_ms, in_flight, reserved_at_ms, epoch, expires_at_ms)
  values (:key, 0, :now, 0, 1, :now, 0, :expires)
  on conflict (key) do update set
    failures = ${FAILS},
    in_flight = ${FLIGHT} + 1,
    epoch = epoch + (case when ${STALE} then 1 else 0 end),
    reserved_at_ms = :now,
    expires_at_ms = max(expires_at_ms, :expires)
  where locked_until_ms <= :now and (${FAILS} + ${FLIGHT} < :max or (${FAILS} >= :max and ${FLIGHT} = 0))
  returning epoch`;

// Each failure from the limit on doubles the lock: lockSeconds * 2^(failures - max), at most MAX_LOCK_MS.
const FAIL = `update login_throttle set
    failures = ${FAILS} + 1,
    last_failure_ms = :now,
    in_flight = max(in_flight - 1, 0),
    locked_until_ms = case when ${FAILS} + 1 >= :max
      then max(locked_until_ms, :now + min(:maxLockMs, :lockMs * (1 << min(${FAILS} + 1 - :max, 20))))
      else locked_until_ms end,
    expires_at_ms = max(expires_at_ms, :expires)
  where key = :key and epoch = :epoch
  returning failures`;

const SUCCEED_RESET = `update login_throttle set failures = 0, locked_until_ms = 0, in_flight = max(in_flight - 1, 0)
  where key = :key and epoch = :epoch returning key`;
const RELEASE = `update login_throttle set in_flight = max(in_flight - 1, 0) where key = :key and epoch = :epoch returning key`;

export function createLoginThrottle(db: Db, o: ThrottleOptions) {
  let lastSweepMs = -Infinity;

  async function rowKey(limit: Limit): Promise<string> {
    const [kind, ...parts] = limit.scope;
    const mac = createHmac('sha256', await o.key()).update([kind, ...parts].join('\0')).digest('base64url');
    return `${kind}:${mac}`;
  }

  // Each statement gets exactly the parameters it names (a libSQL server may refuse unused ones).
  const exec = async (sql: string, args: Record<string, string | number>) => (await db.$client.execute({ sql, args })).rows;
  const window = (now: number) => ({ now, windowStart: now - WINDOW_MS, expires: now + WINDOW_MS });

  /** Deletes rows that no longer say anything, at most once a minute per process. */
  async function sweep(now: number): Promise<void> {
    if (now - lastSweepMs < SWEEP_EVERY_MS) return;
    lastSweepMs = now;
    await db.delete(loginThrottle).where(lt(loginThrottle.expiresAtMs, now));
  }

  /** Why `key` refused a reservation, and for how long. */
  async function refusal(limit: Limit, key: string, now: number): Promise<Refusal> {
    const row = await db.select({ until: loginThrottle.lockedUntilMs }).from(loginThrottle).where(eq(loginThrottle.key, key)).get();
    const until = row?.until ?? 0;
    return until > now
      ? { ok: false, limit, retryS: Math.ceil((until - now) / 1000), reason: 'locked' }
      : { ok: false, limit, retryS: 1, reason: 'busy' };
  }

  type Held = { key: string; epoch: number; limit: Limit };

  /** Settles every reserved key with the statement `pick` chooses; false if any reservation had expired meanwhile. */
  async function settle(held: Held[], pick: (h: Held) => { sql: string; args?: Record<string, number> }): Promise<boolean> {
    let all = true;
    for (const h of held) {
      const { sql, args } = pick(h);
      const rows = await exec(sql, { key: h.key, epoch: h.epoch, ...args });
      if (rows.length === 0) all = false;
    }
    return all;
  }

  const failure = (h: Held) => ({
    sql: FAIL,
    args: { ...window(o.now()), max: h.limit.max ?? o.maxFailures, lockMs: o.lockSeconds * 1000, maxLockMs: MAX_LOCK_MS },
  });

  return {
    /**
     * Reserves one attempt on every limit, all or nothing: the first limit that refuses is returned
     * (and what was reserved before it released). Evaluate the secret only after `ok: true`.
     */
    async reserve(limits: Limit[]): Promise<Attempt | Refusal> {
      const now = o.now();
      await sweep(now);
      const held: Held[] = [];
      let done = false;
      const once = async <T>(run: () => Promise<T>, otherwise: T): Promise<T> => {
        if (done) return otherwise;
        done = true;
        return run();
      };
      const attempt: Attempt = {
        ok: true,
        failed: () => once(() => settle(held, failure), true),
        succeeded: () => once(() => settle(held, (h) => ({ sql: h.limit.resetOnSuccess ? SUCCEED_RESET : RELEASE })), true),
        release: () => once(async () => void (await settle(held, () => ({ sql: RELEASE }))), undefined),
      };
      for (const limit of limits) {
        const key = await rowKey(limit);
        const rows = await exec(RESERVE, { ...window(now), staleBefore: now - RESERVATION_TTL_MS, key, max: limit.max ?? o.maxFailures });
        if (rows.length === 0) {
          await attempt.release();
          return refusal(limit, key, now);
        }
        held.push({ key, epoch: Number(rows[0]!.epoch), limit });
      }
      return attempt;
    },

    /** The stored key for `limit` (what tests look rows up by). */
    rowKey,
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
