// libSQL access for identity: users, identity sessions, refresh-token families, security events.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { refreshTokens, scores, securityEvents, sessions, users } from '../../db/schema.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { StoredStatus } from '../policy/rules.ts';
import { newRefreshToken, refreshTokenHash } from './tokens.ts';

export type SecurityEvent = typeof securityEvents.$inferInsert;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

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
    async createSession(userId: string, deviceId: string): Promise<string> {
      const id = randomUUID();
      const t = now();
      await db.insert(sessions).values({ id, userId, deviceId, firstSeenMs: t, lastSeenMs: t, status: 'active', statusChangedAtMs: t });
      return id;
    },

    session: (id: string) => db.select().from(sessions).where(eq(sessions.id, id)).get(),

    async touch(sessionId: string): Promise<void> {
      await db.update(sessions).set({ lastSeenMs: sql`max(${sessions.lastSeenMs}, ${now()})` }).where(eq(sessions.id, sessionId));
    },

    /** Moves a session to `to` only from one of `from`; false when another call got there first. */
    async setStatus(sessionId: string, to: StoredStatus, from: StoredStatus[]): Promise<boolean> {
      const rows = await db
        .update(sessions)
        .set({ status: to, statusChangedAtMs: now() })
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

    /** Counts one more failed MPIN atomically and returns the new count. */
    async mpinFailed(userId: string): Promise<number> {
      const [row] = await db
        .update(users)
        .set({ mpinFailures: sql`${users.mpinFailures} + 1` })
        .where(eq(users.id, userId))
        .returning({ failures: users.mpinFailures });
      return row?.failures ?? 0;
    },
    async lockUser(userId: string): Promise<void> {
      await db.update(users).set({ lockedAtMs: now() }).where(and(eq(users.id, userId), isNull(users.lockedAtMs)));
    },
    async mpinSucceeded(userId: string): Promise<void> {
      await db.update(users).set({ mpinFailures: 0 }).where(eq(users.id, userId));
    },

    /** Stores a security event and counts it in the metric (unless `count: false`: a summary of attempts already counted). */
    async record(e: Omit<SecurityEvent, 'createdAtMs'>, options: { count?: boolean } = {}): Promise<void> {
      await db.insert(securityEvents).values({ ...e, createdAtMs: now() });
      if (options.count !== false) onRecord?.(e.kind);
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
