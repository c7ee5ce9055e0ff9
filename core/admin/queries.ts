// libSQL queries behind AdminService: session lists and detail, statistics, and one user's
// behavioural data (export as one document; deletion in one transaction).
import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { STANDINGS, type Standing } from '../../scoring/session-standing.ts';
import { readSessionExport } from './session-export.ts';
import { batches, enrolmentWindows, events, models, refreshTokens, scores, securityEvents, sessionLabels, sessionRecords, sessions, users, webhookOutbox } from '../../db/schema.ts';

const LEVELS = ['allow', 'monitor', 'challenge', 'block'] as const;

/**
 * A session's reported standing in SQL, as core/policy/rules.ts reportedStanding computes it:
 * the owner's lock first, then the identity status, then the stored level.
 */
const STANDING_SQL = sql.raw(`(case
  when sessions.user_id is not null and exists (select 1 from users u where u.id = sessions.user_id and u.locked_at_ms is not null) then 'locked'
  when sessions.status = 'blocked' or sessions.standing = 'block' then 'block'
  when sessions.status = 'challenged' or sessions.standing = 'challenge' then 'challenge'
  else sessions.standing end)`);

export function createAdminQueries(db: Db, now: () => number, idleMs: number) {
  // The latest core decision of a session, as a correlated subquery (scores_session_idx serves it).
  const latestCore = (col: 'decision' | 'score' | 'model_version' | 'reasons' | 'judged') =>
    sql.raw(`(select ${col} from scores s where s.session_id = sessions.id and s.source = 'core' order by s.id desc limit 1)`);

  return {
    async listSessions(f: { minLevel?: (typeof LEVELS)[number]; sinceMs: number; untilMs: number; userId?: string; limit: number; after?: { t: number; id: string } }) {
      // The flagged list is by standing: a session stays listed after its last batch was judged lower.
      const levels = f.minLevel ? STANDINGS.slice(STANDINGS.indexOf(f.minLevel)) : undefined;
      const where = and(
        f.sinceMs ? gte(sessions.lastSeenMs, f.sinceMs) : undefined,
        f.untilMs ? lt(sessions.lastSeenMs, f.untilMs) : undefined,
        f.userId ? eq(sessions.userId, f.userId) : undefined,
        levels ? sql`${STANDING_SQL} in ${levels}` : undefined,
        f.after ? or(lt(sessions.lastSeenMs, f.after.t), and(eq(sessions.lastSeenMs, f.after.t), lt(sessions.id, f.after.id))) : undefined,
      );
      return db
        .select({
          session: sessions,
          decision: sql<string | null>`${latestCore('decision')}`,
          score: sql<number | null>`${latestCore('score')}`,
          modelVersion: sql<string | null>`${latestCore('model_version')}`,
          reasons: sql<string | null>`${latestCore('reasons')}`,
          judged: sql<number | null>`${latestCore('judged')}`,
          level: sql<Standing>`${STANDING_SQL}`,
        })
        .from(sessions)
        .where(where)
        .orderBy(desc(sessions.lastSeenMs), desc(sessions.id))
        .limit(f.limit)
        .all();
    },

    async ownerLockedAtMs(userId: string | null): Promise<number | null> {
      if (!userId) return null;
      return (await db.select({ t: users.lockedAtMs }).from(users).where(eq(users.id, userId)).get())?.t ?? null;
    },

    async sessionDetail(sessionId: string, maxScores: number) {
      const found = await db.select({ session: sessions, level: sql<Standing>`${STANDING_SQL}` }).from(sessions).where(eq(sessions.id, sessionId)).get();
      if (!found) return undefined;
      const { session, level } = found;
      const [byType, history, security] = await Promise.all([
        db.select({ type: events.type, count: sql<number>`count(*)` }).from(events).where(eq(events.sessionId, sessionId)).groupBy(events.type).all(),
        db.select().from(scores).where(eq(scores.sessionId, sessionId)).orderBy(desc(scores.id)).limit(maxScores).all(),
        db.select().from(securityEvents).where(eq(securityEvents.sessionId, sessionId)).orderBy(desc(securityEvents.id)).limit(1000).all(),
      ]);
      return { session, level, byType, history, security };
    },

    async stats(sinceMs: number) {
      const t = now();
      const since = (col: typeof batches.receivedAtMs) => (sinceMs ? gte(col, sinceMs) : undefined);
      const [active, sessionCount, batchAgg, decisions, security, withModel] = await Promise.all([
        db.select({ n: sql<number>`count(*)` }).from(sessions).where(and(gte(sessions.lastSeenMs, t - idleMs), or(isNull(sessions.status), inArray(sessions.status, ['active', 'challenged'])))).get(),
        db.select({ n: sql<number>`count(*)` }).from(sessions).where(sinceMs ? gte(sessions.lastSeenMs, sinceMs) : undefined).get(),
        db.select({ n: sql<number>`count(*)`, events: sql<number>`coalesce(sum(${batches.eventCount}), 0)` }).from(batches).where(since(batches.receivedAtMs)).get(),
        db
          .select({ decision: scores.decision, judged: scores.judged, n: sql<number>`count(*)` })
          .from(scores)
          .where(and(eq(scores.source, 'core'), sinceMs ? gte(scores.createdAtMs, sinceMs) : undefined))
          .groupBy(scores.decision, scores.judged)
          .all(),
        db
          .select({ kind: securityEvents.kind, n: sql<number>`count(*)` })
          .from(securityEvents)
          .where(sinceMs ? gte(securityEvents.createdAtMs, sinceMs) : undefined)
          .groupBy(securityEvents.kind)
          .all(),
        // A user with an active model of either modality (keystroke, pointer) counts once.
        db.select({ n: sql<number>`count(distinct ${models.scope})` }).from(models).where(and(inArray(models.kind, ['user-keystroke', 'user-pointer']), eq(models.active, true))).get(),
      ]);
      return { active: active?.n ?? 0, sessions: sessionCount?.n ?? 0, batches: batchAgg?.n ?? 0, events: batchAgg?.events ?? 0, decisions, security, withModel: withModel?.n ?? 0 };
    },

    /** Counts of judged core scores in `bins` equal bins over [0, 1] (score 1 falls in the last), for the dashboard. */
    async scoreHistogram(f: { sinceMs: number; untilMs: number; bins: number }) {
      const rows = await db
        .select({ bin: sql<number>`min(cast(${scores.score} * ${f.bins} as integer), ${f.bins - 1})`, n: sql<number>`count(*)` })
        .from(scores)
        .where(and(eq(scores.source, 'core'), eq(scores.judged, true), f.sinceMs ? gte(scores.createdAtMs, f.sinceMs) : undefined, f.untilMs ? lt(scores.createdAtMs, f.untilMs) : undefined))
        .groupBy(sql`1`)
        .all();
      const counts = new Array<number>(f.bins).fill(0);
      for (const r of rows) if (r.bin >= 0 && r.bin < f.bins) counts[r.bin]! += r.n;
      return counts;
    },

    /** Judged core scores of logged-in users over time (newest `maxPoints` overall), for drift charts. */
    async userScoreSeries(f: { sinceMs: number; userId?: string; maxPoints: number }) {
      const rows = await db
        .select({ userId: sessions.userId, sessionId: scores.sessionId, score: scores.score, decision: scores.decision, createdAtMs: scores.createdAtMs })
        .from(scores)
        .innerJoin(sessions, eq(sessions.id, scores.sessionId))
        .where(and(eq(scores.source, 'core'), eq(scores.judged, true), f.userId ? eq(sessions.userId, f.userId) : sql`${sessions.userId} is not null`, f.sinceMs ? gte(scores.createdAtMs, f.sinceMs) : undefined))
        .orderBy(desc(scores.id))
        .limit(f.maxPoints)
        .all();
      return rows.reverse();
    },

    /** The stored events of one batch of a session, in arrival order (the dashboard explains its score). */
    batchEvents(sessionId: string, batchId: string) {
      return db.select().from(events).where(and(eq(events.sessionId, sessionId), eq(events.batchId, batchId))).orderBy(events.id).limit(5000).all();
    },

    /** Everything stored about one session (AdminService.ExportSession). */
    exportSession: (sessionId: string) => readSessionExport(db, sessionId),

    /** Everything behavioural about a user, read in one transaction so the document is consistent. */
    async exportUser(userId: string) {
      const tx = await db.$client.transaction('read');
      try {
        const q = async (statement: string) => (await tx.execute({ sql: statement, args: [userId] })).rows.map((r) => ({ ...r }));
        const inSessions = 'session_id in (select id from sessions where user_id = ?)';
        const account = await q('select id, email, created_at_ms, locked_at_ms, mpin_failures from users where id = ?');
        if (account.length === 0) return undefined;
        const doc = {
          account: account[0],
          sessions: await q('select * from sessions where user_id = ? order by first_seen_ms'),
          batches: await q(`select * from batches where ${inSessions} order by received_at_ms`),
          events: await q(`select * from events where ${inSessions} order by id`),
          scores: await q(`select * from scores where ${inSessions} order by id`),
          securityEvents: await q('select * from security_events where user_id = ? order by id'),
          enrolmentWindows: await q('select * from enrolment_windows where user_id = ? order by id'),
          models: await q('select id, kind, scope, version, sha256, feature_schema, metrics, trained_at_ms, active, activated_at_ms from models where scope = ? order by trained_at_ms'),
          webhookNotifications: await q('select id, body, created_at_ms, attempts, delivered_at_ms, dropped_reason from webhook_outbox where user_id = ? order by id'),
        };
        return doc;
      } finally {
        tx.close();
      }
    },

    /** Deletes a user's behavioural data (and the account if asked) in one atomic batch; returns the counts. */
    async deleteUser(userId: string, deleteAccount: boolean) {
      const mine = db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
      const results = await db.batch([
        db.delete(events).where(inArray(events.sessionId, mine)),
        db.delete(sessionLabels).where(inArray(sessionLabels.sessionId, mine)), // analysts' labels of the user's sessions
        db.delete(scores).where(inArray(scores.sessionId, mine)),
        db.delete(batches).where(inArray(batches.sessionId, mine)),
        db.delete(refreshTokens).where(eq(refreshTokens.userId, userId)),
        db.delete(securityEvents).where(eq(securityEvents.userId, userId)),
        db.delete(enrolmentWindows).where(eq(enrolmentWindows.userId, userId)),
        db.delete(models).where(eq(models.scope, userId)),
        db.delete(sessionRecords).where(inArray(sessionRecords.sessionId, mine)), // their PredictSession context, while `mine` still finds them
        db.delete(sessions).where(eq(sessions.userId, userId)),
        db.delete(users).where(deleteAccount ? eq(users.id, userId) : sql`0`),
        db.delete(webhookOutbox).where(eq(webhookOutbox.userId, userId)),
      ]);
      const n = (i: number) => results[i]!.rowsAffected;
      return { events: n(0), scores: n(2), batches: n(3), securityEvents: n(5), windows: n(6), models: n(7), sessions: n(9), accountDeleted: n(10) > 0 };
    },
  };
}

export type AdminQueries = ReturnType<typeof createAdminQueries>;
