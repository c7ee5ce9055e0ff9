// Support actions an analyst takes (issue 21): unlocking an account locked by failed MPINs, and
// clearing a session's standing. Each change and its security event are written in one atomic
// batch, so no action goes unrecorded and no record claims an action that did not happen.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { securityEvents, sessions, users } from '../../db/schema.ts';
import { ANSWERED_WITH_SIGNALS } from '../ingest/answered-sql.ts';

export function createSupport(db: Db, now: () => number) {
  return {
    /** Unlocks `userId`; undefined for an unknown user, `lockedAtMs: null` when it was not locked. */
    async unlock(userId: string, actor: string, reason: string): Promise<{ lockedAtMs: number | null } | undefined> {
      const user = await db.select({ lockedAtMs: users.lockedAtMs }).from(users).where(eq(users.id, userId)).get();
      if (!user) return undefined;
      if (user.lockedAtMs === null) return { lockedAtMs: null };
      // The event is inserted only if the update changed the row (changes(), same transaction):
      // of two concurrent unlocks only the one that unlocked is recorded.
      const [changed] = await db.$client.batch([
        // Failures reset; checks in flight are dropped and the epoch moves on, so a late settle of
        // one from before the unlock counts for nothing (core/identity/store.ts).
        { sql: 'update users set locked_at_ms = null, mpin_failures = 0, mpin_in_flight = 0, mpin_epoch = mpin_epoch + 1 where id = ? and locked_at_ms is not null', args: [userId] },
        {
          sql: "insert into security_events (kind, user_id, severity, reasons, created_at_ms) select 'account_unlocked', ?, 'medium', ?, ? where changes() > 0",
          args: [userId, JSON.stringify(reasons(actor, reason)), now()],
        },
      ], 'write');
      return { lockedAtMs: changed!.rowsAffected ? user.lockedAtMs : null };
    },

    /** Returns the session's standing to allow, its evidence to 0; undefined for an unknown session. */
    async clearStanding(sessionId: string, actor: string, reason: string) {
      const before = await db.select().from(sessions).where(eq(sessions.id, sessionId)).get();
      if (!before) return undefined;
      const t = now();
      const r = reasons(actor, reason);
      await db.batch([
        db
          .update(sessions)
          .set({
            standing: 'allow', standingReasons: ['analyst_cleared'], standingAtMs: t, standingVersion: sql`${sessions.standingVersion} + 1`,
            evidenceLlr: 0, evidenceSignals: [], evidenceFacts: null, evidenceAnswered: ANSWERED_WITH_SIGNALS,
            // An identity session goes on (its revoked refresh tokens stay revoked: a new login).
            status: sql`case when ${sessions.status} in ('blocked', 'challenged') then 'active' else ${sessions.status} end`,
            statusChangedAtMs: sql`case when ${sessions.status} in ('blocked', 'challenged') then ${t} else ${sessions.statusChangedAtMs} end`,
          })
          .where(eq(sessions.id, sessionId)),
        db.insert(securityEvents).values({ kind: 'standing_cleared', userId: before.userId, sessionId, severity: 'medium', reasons: [...r, `was:${before.standing}`], createdAtMs: t }),
      ]);
      return { before, after: await db.select().from(sessions).where(eq(sessions.id, sessionId)).get() };
    },
  };
}

/** The audit reasons: who (the admin key's name, never the key) and why. */
function reasons(actor: string, reason: string): string[] {
  return [`by:${actor}`, ...(reason ? [`why:${reason}`] : [])];
}

export type Support = ReturnType<typeof createSupport>;
