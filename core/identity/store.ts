// libSQL access for identity: users, identity sessions, refresh-token families, security events.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { refreshTokens, scores, securityEvents, sessions, users } from '../../db/schema.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { StoredStatus } from '../policy/rules.ts';
import { newRefreshToken, refreshTokenHash } from './tokens.ts';
import { AFTER_MPIN_LLR } from '../../scoring/session-standing.ts';
import { ANSWERED_WITH_SIGNALS } from '../ingest/answered-sql.ts';

export type SecurityEvent = typeof securityEvents.$inferInsert;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

/** An MPIN check not settled within this was left by a crashed or stalled core (far above a scrypt hash). */
export const MPIN_RESERVATION_TTL_MS = 2 * 60_000;

export type MpinReservation = { ok: true; epoch: number } | { ok: false; reason: 'locked' | 'busy' };

/**
 * A status that tightens the session raises its standing with it (never lowers it); a block for a
 * cause of its own (`reasons`: a leaked refresh token) says so, rather than keep the reasons of the
 * standing before it (an MPIN verified, say).
 */
function standingOf(status: StoredStatus, t: number, reasons?: string[]) {
  if (status === 'blocked') return { standing: 'block' as const, standingAtMs: t, ...(reasons ? { standingReasons: reasons } : {}) };
  if (status === 'challenged') return { standing: sql`case when ${sessions.standing} = 'block' then 'block' else 'challenge' end`, standingAtMs: t };
  return {};
}

const isUniqueViolation = (err: unknown): boolean => /UNIQUE constraint failed/i.test(String((err as { cause?: unknown })?.cause ?? err) + String(err));

export function createIdentityStore(db: Db, now: () => number, onRecord?: (kind: SecurityEvent['kind']) => void) {
  return {
    async createUser(u: { email: string; passwordHash: string; mpinHash: string }): Promise<string> {
      const id = randomUUID();
      try {
        await db.insert(users).values({ id, ...u, createdAtMs: now() });
      } catch (err) {
        if (isUniqueViolation(err)) throw new CadenceError(Code.ALREADY_EXISTS, 'an account with this email already exists: log in instead', 'email');
        throw err;
      }
      return id;
    },

    userByEmail: (email: string) => db.select().from(users).where(eq(users.email, email)).get(),
    userById: (id: string) => db.select().from(users).where(eq(users.id, id)).get(),

    /** The identity session is also the behavioural session: the browser sends batches under its id. */
    async createSession(userId: string, deviceId: string, status: 'active' | 'challenged' = 'active'): Promise<string> {
      const id = randomUUID();
      const t = now();
      const standing = status === 'challenged' ? { standing: 'challenge' as const, standingReasons: ['login_throttled'], standingAtMs: t } : {};
      await db.insert(sessions).values({ id, userId, deviceId, firstSeenMs: t, lastSeenMs: t, status, statusChangedAtMs: t, ...standing });
      return id;
    },

    session: (id: string) => db.select().from(sessions).where(eq(sessions.id, id)).get(),

    /**
     * A verified MPIN answers the challenge: the session is active again, the standing returns to allow (a block stays) and the
     * evidence restarts at most at AFTER_MPIN_LLR (scoring/session-standing.ts). The version bump
     * keeps a batch judged on the challenged standing from writing it back.
     */
    async stepUpPassed(sessionId: string): Promise<void> {
      await db
        .update(sessions)
        .set({
          evidenceLlr: sql`min(${sessions.evidenceLlr}, ${AFTER_MPIN_LLR})`,
          // The rates behind a challenge are answered for the session (scoring/session-evidence.ts afterStepUp);
          // an MPIN nobody asked for answers nothing.
          evidenceAnswered: sql`case when ${sessions.standing} = 'challenge' then ${ANSWERED_WITH_SIGNALS} else ${sessions.evidenceAnswered} end`,
          standing: sql`case when ${sessions.standing} = 'block' then 'block' else 'allow' end`,
          standingReasons: sql`case when ${sessions.standing} = 'block' then ${sessions.standingReasons} else '["mpin_verified"]' end`,
          standingAtMs: now(),
          standingVersion: sql`${sessions.standingVersion} + 1`,
          // In the same write, so no batch judged before it can read one half and undo the other.
          status: sql`case when ${sessions.status} = 'challenged' then 'active' else ${sessions.status} end`,
          statusChangedAtMs: sql`case when ${sessions.status} = 'challenged' then ${now()} else ${sessions.statusChangedAtMs} end`,
        })
        .where(eq(sessions.id, sessionId));
    },

    async touch(sessionId: string): Promise<void> {
      await db.update(sessions).set({ lastSeenMs: sql`max(${sessions.lastSeenMs}, ${now()})` }).where(eq(sessions.id, sessionId));
    },

    /** Moves a session to `to` only from one of `from`; false when another call got there first. */
    async setStatus(sessionId: string, to: StoredStatus, from: StoredStatus[], reasons?: string[]): Promise<boolean> {
      const rows = await db
        .update(sessions)
        .set({ status: to, statusChangedAtMs: now(), ...standingOf(to, now(), reasons) })
        .where(and(eq(sessions.id, sessionId), inArray(sessions.status, from)))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    async issueRefresh(s: { sessionId: string; userId: string; familyId?: string }, ttlS: number) {
      const token = newRefreshToken();
      const t = now();
      const expiresAtMs = t + ttlS * 1000;
      await db.insert(refreshTokens).values({
        id: randomUUID(),
        tokenSha256: refreshTokenHash(token),
        familyId: s.familyId ?? randomUUID(),
        sessionId: s.sessionId,
        userId: s.userId,
        createdAtMs: t,
        expiresAtMs,
      });
      return { token, expiresAtMs };
    },

    refreshByToken: (token: string) => db.select().from(refreshTokens).where(eq(refreshTokens.tokenSha256, refreshTokenHash(token))).get(),

    /** Marks a token used; false if it was used or revoked meanwhile (a concurrent reuse). */
    async markRotated(id: string): Promise<boolean> {
      const rows = await db
        .update(refreshTokens)
        .set({ rotatedAtMs: now() })
        .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.rotatedAtMs), isNull(refreshTokens.revokedAtMs)))
        .returning({ id: refreshTokens.id });
      return rows.length > 0;
    },

    async revokeFamily(familyId: string): Promise<void> {
      await db.update(refreshTokens).set({ revokedAtMs: now() }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAtMs)));
    },
    async revokeSession(sessionId: string): Promise<void> {
      await db.update(refreshTokens).set({ revokedAtMs: now() }).where(and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.revokedAtMs)));
    },
    async revokeUser(userId: string): Promise<void> {
      await db.update(refreshTokens).set({ revokedAtMs: now() }).where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAtMs)));
    },

    /**
     * Reserves one MPIN check, or says why not: only while the account is unlocked and failures plus
     * checks in flight stay below `max`, so at most `max` wrong MPINs are ever evaluated, whatever
     * the concurrency or the number of cores. Reservations older than `MPIN_RESERVATION_TTL_MS` were
     * left by a crashed or stalled core and are dropped, not counted (their callers got no answer);
     * the epoch moves on so that their late settles change nothing.
     */
    async reserveMpin(userId: string, max: number): Promise<MpinReservation> {
      const t = now();
      const stale = `(mpin_in_flight > 0 and mpin_reserved_at_ms < :staleBefore)`;
      const inFlight = `(case when ${stale} then 0 else mpin_in_flight end)`;
      const args = { id: userId, now: t, staleBefore: t - MPIN_RESERVATION_TTL_MS, max };
      const { rows } = await db.$client.execute({
        sql: `update users set
            mpin_in_flight = ${inFlight} + 1,
            mpin_epoch = mpin_epoch + (case when ${stale} then 1 else 0 end),
            mpin_reserved_at_ms = :now
          where id = :id and locked_at_ms is null and mpin_failures + ${inFlight} < :max
          returning mpin_epoch`,
        args,
      });
      if (rows[0]) return { ok: true, epoch: Number(rows[0].mpin_epoch) };
      const user = await db.select({ lockedAtMs: users.lockedAtMs, failures: users.mpinFailures }).from(users).where(eq(users.id, userId)).get();
      return { ok: false, reason: !user || user.lockedAtMs !== null || user.failures >= max ? 'locked' : 'busy' };
    },

    /**
     * Settles a reserved check as a wrong MPIN; the failure that reaches `max` locks the account in
     * the same statement. Null if the reservation had been dropped (nothing counted, nothing to answer).
     */
    async mpinFailed(userId: string, epoch: number, max: number): Promise<{ failures: number; lockedNow: boolean } | null> {
      const t = now();
      const { rows } = await db.$client.execute({
        sql: `update users set
            mpin_failures = mpin_failures + 1,
            mpin_in_flight = mpin_in_flight - 1,
            locked_at_ms = case when locked_at_ms is null and mpin_failures + 1 >= :max then :now else locked_at_ms end
          where id = :id and mpin_epoch = :epoch and mpin_in_flight > 0
          returning mpin_failures, locked_at_ms`,
        args: { id: userId, epoch, max, now: t },
      });
      const row = rows[0];
      if (!row) return null;
      const failures = Number(row.mpin_failures);
      return { failures, lockedNow: failures >= max && Number(row.locked_at_ms) === t };
    },

    /** Settles a reserved check as the right MPIN; false if the account got locked or the reservation was dropped meanwhile. */
    async mpinSucceeded(userId: string, epoch: number): Promise<boolean> {
      const { rows } = await db.$client.execute({
        sql: `update users set mpin_failures = 0, mpin_in_flight = mpin_in_flight - 1
          where id = :id and mpin_epoch = :epoch and mpin_in_flight > 0 and locked_at_ms is null
          returning id`,
        args: { id: userId, epoch },
      });
      return rows.length > 0;
    },

    /** Gives a reserved check back without counting it (it was not evaluated). */
    async mpinRelease(userId: string, epoch: number): Promise<void> {
      await db.$client.execute({
        sql: 'update users set mpin_in_flight = mpin_in_flight - 1 where id = :id and mpin_epoch = :epoch and mpin_in_flight > 0',
        args: { id: userId, epoch },
      });
    },

    /** Whether `deviceId` has signed in to this account before (an identity session of it exists). */
    async knownDevice(userId: string, deviceId: string): Promise<boolean> {
      const row = await db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), eq(sessions.deviceId, deviceId), isNotNull(sessions.status)))
        .limit(1)
        .get();
      return row !== undefined;
    },

    /** Stores a security event and counts it in the metric (unless `count: false`: a summary of attempts already counted). */
    async record(e: Omit<SecurityEvent, 'createdAtMs'>, options: { count?: boolean } = {}): Promise<void> {
      await db.insert(securityEvents).values({ ...e, createdAtMs: now() });
      if (options.count !== false) onRecord?.(e.kind);
    },

    /**
     * Self-service unlock (CADENCE_SELF_UNLOCK): the account's lock lifts once it is older than
     * `baseMs`, doubled for each further lock within the last 24 hours (at most 24 hours), so that
     * someone holding the password gets a few MPIN guesses a day, not three per lock period.
     * Returns how long is left (0: unlocked now, with an `account_unlocked` event in the same write).
     */
    async selfUnlock(userId: string, lockedAtMs: number, baseMs: number): Promise<{ waitMs: number }> {
      const t = now();
      const day = 86_400_000;
      const locks = await db
        .select({ n: sql<number>`count(*)` })
        .from(securityEvents)
        .where(and(eq(securityEvents.userId, userId), eq(securityEvents.kind, 'account_locked'), gte(securityEvents.createdAtMs, t - day)))
        .get();
      const periodMs = Math.min(day, baseMs * 2 ** Math.min(20, Math.max(0, (locks?.n ?? 1) - 1)));
      const waitMs = lockedAtMs + periodMs - t;
      if (waitMs > 0) return { waitMs };
      // The same reset as an analyst's unlock (core/admin/support.ts); only the write that unlocked records it.
      const [changed] = await db.$client.batch([
        { sql: 'update users set locked_at_ms = null, mpin_failures = 0, mpin_in_flight = 0, mpin_epoch = mpin_epoch + 1 where id = ? and locked_at_ms = ?', args: [userId, lockedAtMs] },
        {
          sql: "insert into security_events (kind, user_id, severity, reasons, created_at_ms) select 'account_unlocked', ?, 'medium', ?, ? where changes() > 0",
          args: [userId, JSON.stringify(['self_service', `after_s:${Math.round(periodMs / 1000)}`]), t],
        },
      ], 'write');
      if (changed!.rowsAffected) onRecord?.('account_unlocked');
      return { waitMs: 0 };
    },

    latestCoreScore: (sessionId: string) =>
      db
        .select()
        .from(scores)
        .where(and(eq(scores.sessionId, sessionId), eq(scores.source, 'core')))
        .orderBy(desc(scores.id))
        .limit(1)
        .get(),
  };
}

export type IdentityStore = ReturnType<typeof createIdentityStore>;
