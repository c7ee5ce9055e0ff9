// AdminService: sessions by level and time, one session's detail, statistics, and a user's
// behavioural data (export, deletion). Every call needs the admin API key (admin/auth.ts).
import { CadenceError, Code } from '../../lib/errors.ts';
import { fromWireDecision, toWireAssessment, toWireStanding } from '../../lib/wire.ts';
import type { Decision } from '../../scoring/policy.ts';
import type { StoredStanding } from '../../scoring/session-standing.ts';
import { matchApiKey, type ApiKey } from '../offchain/limits.ts';
import { reportedStanding, type StoredStatus } from '../policy/rules.ts';
import type { CallContext, ServiceHandlers } from '../transport/rpc.ts';
import type { AdminQueries } from './queries.ts';
import type { Support } from './support.ts';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

function idOf(v: string, field: string): string {
  if (!v) throw new CadenceError(Code.INVALID_ARGUMENT, `${field} is required`, field);
  if (!ID.test(v)) throw new CadenceError(Code.INVALID_ARGUMENT, `${field} must be 1-128 characters of [A-Za-z0-9._:-]`, field);
  return v;
}

function pageSize(v: number, def: number, max: number, field: string): number {
  if (v > max) throw new CadenceError(Code.INVALID_ARGUMENT, `${field} must be at most ${max}`, field);
  return v || def;
}

function summary(s: Awaited<ReturnType<AdminQueries['listSessions']>>[number]) {
  const x = s.session;
  return {
    sessionId: x.id,
    userId: x.userId ?? '',
    deviceId: x.deviceId ?? '',
    status: x.status ?? '',
    firstSeenMs: x.firstSeenMs,
    lastSeenMs: x.lastSeenMs,
    batchCount: x.batchCount,
    eventCount: x.eventCount,
    page: x.page ?? '',
    country: x.country ?? '',
    city: x.city ?? '',
    standing: toWireStanding({ level: s.level, reasons: x.standingReasons, atMs: x.standingAtMs }),
    latest: s.decision
      ? toWireAssessment({ score: s.score ?? 0, decision: s.decision as Decision, modelVersion: s.modelVersion ?? '', reasons: JSON.parse(s.reasons ?? '[]'), judged: Boolean(s.judged) })
      : null,
  };
}

/** A free-text reason for the audit trail: short, one line, printable. */
function reasonOf(v: string): string {
  if (v.length > 200) throw new CadenceError(Code.INVALID_ARGUMENT, 'reason must be at most 200 characters', 'reason');
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new CadenceError(Code.INVALID_ARGUMENT, 'reason must be one line of printable text', 'reason');
  return v;
}

export function adminService(deps: {
  queries: AdminQueries;
  support: Support;
  /** The admin keys, to name the caller in the audit trail (never the key itself). */
  adminKeys?: readonly ApiKey[];
  onUserDeleted: (userId: string) => void;
}): ServiceHandlers {
  const q = deps.queries;
  const actorOf = (ctx: CallContext) => ctx.actor ?? (deps.adminKeys && ctx.metadata['x-api-key'] ? matchApiKey(deps.adminKeys, ctx.metadata['x-api-key'])?.name : undefined) ?? 'unknown';
  const standingOf = (row: { standing: StoredStanding; status: string | null; standingReasons: string[]; standingAtMs: number | null }, lockedAtMs: number | null) =>
    toWireStanding({ level: reportedStanding({ standing: row.standing, status: row.status as StoredStatus | null }, lockedAtMs), reasons: row.standingReasons, atMs: row.standingAtMs });
  return {
    async UnlockAccount(req: { userId: string; reason: string }, ctx: CallContext) {
      const userId = idOf(req.userId, 'userId');
      const reason = reasonOf(req.reason ?? '');
      const r = await deps.support.unlock(userId, actorOf(ctx), reason);
      if (!r) throw new CadenceError(Code.NOT_FOUND, `no user ${userId}`, 'userId');
      return { unlocked: r.lockedAtMs !== null, lockedAtMs: r.lockedAtMs ?? 0 };
    },

    async ClearSessionStanding(req: { sessionId: string; reason: string }, ctx: CallContext) {
      const sessionId = idOf(req.sessionId, 'sessionId');
      const reason = reasonOf(req.reason ?? '');
      const r = await deps.support.clearStanding(sessionId, actorOf(ctx), reason);
      if (!r) throw new CadenceError(Code.NOT_FOUND, `no session ${sessionId}`, 'sessionId');
      const lockedAtMs = await q.ownerLockedAtMs(r.before.userId);
      return { before: standingOf(r.before, lockedAtMs), standing: standingOf(r.after ?? r.before, lockedAtMs) };
    },

    async ListSessions(req: { minLevel: string; sinceMs: number; untilMs: number; pageSize: number; pageToken: string; userId: string }) {
      const limit = pageSize(req.pageSize, 50, 500, 'pageSize');
      const level = String(req.minLevel);
      const minLevel = level === 'DECISION_UNSPECIFIED' || !level ? undefined : fromWireDecision(level);
      if (req.sinceMs < 0 || req.untilMs < 0) throw new CadenceError(Code.INVALID_ARGUMENT, 'times are Unix milliseconds', req.sinceMs < 0 ? 'sinceMs' : 'untilMs');
      if (req.userId) idOf(req.userId, 'userId');
      let after: { t: number; id: string } | undefined;
      if (req.pageToken) {
        const m = /^(\d+):(.+)$/.exec(Buffer.from(req.pageToken, 'base64url').toString());
        if (!m) throw new CadenceError(Code.INVALID_ARGUMENT, 'pageToken is not one this server issued', 'pageToken');
        after = { t: Number(m[1]), id: m[2]! };
      }
      const rows = await q.listSessions({ minLevel, sinceMs: req.sinceMs, untilMs: req.untilMs, userId: req.userId || undefined, limit: limit + 1, after });
      const page = rows.slice(0, limit);
      const last = page.at(-1)?.session;
      return { sessions: page.map(summary), nextPageToken: rows.length > limit && last ? Buffer.from(`${last.lastSeenMs}:${last.id}`).toString('base64url') : '' };
    },

    async GetSessionDetail(req: { sessionId: string; maxScores: number }) {
      const sessionId = idOf(req.sessionId, 'sessionId');
      const d = await q.sessionDetail(sessionId, pageSize(req.maxScores, 100, 1000, 'maxScores'));
      if (!d) throw new CadenceError(Code.NOT_FOUND, `no session ${sessionId}`, 'sessionId');
      const reasons: Record<string, number> = {};
      for (const s of d.history) if (s.source === 'core') for (const r of s.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
      const core = d.history.find((s) => s.source === 'core');
      return {
        session: summary({ session: d.session, level: d.level, decision: core?.decision ?? null, score: core?.score ?? null, modelVersion: core?.modelVersion ?? null, reasons: core ? JSON.stringify(core.reasons) : null, judged: core ? Number(core.judged) : null }),
        events: d.byType.map((e) => ({ type: e.type, count: e.count })),
        scores: d.history.map((s) => ({
          batchId: s.batchId ?? '',
          source: s.source,
          createdAtMs: s.createdAtMs,
          assessment: toWireAssessment({ score: s.score, decision: s.decision, modelVersion: s.modelVersion, reasons: s.reasons, judged: s.judged }),
        })),
        securityEvents: d.security.map((e) => ({
          kind: e.kind, severity: e.severity, score: e.score ?? 0, modelVersion: e.modelVersion ?? '', reasons: e.reasons, batchId: e.batchId ?? '', createdAtMs: e.createdAtMs,
        })),
        reasons,
      };
    },

    async GetStats(req: { sinceMs: number }) {
      if (req.sinceMs < 0) throw new CadenceError(Code.INVALID_ARGUMENT, 'sinceMs is Unix milliseconds', 'sinceMs');
      const s = await q.stats(req.sinceMs);
      const decisions: Record<string, number> = {};
      let judged = 0;
      let anomalous = 0;
      for (const d of s.decisions) {
        decisions[d.decision] = (decisions[d.decision] ?? 0) + d.n;
        if (!d.judged) continue;
        judged += d.n;
        if (d.decision !== 'allow') anomalous += d.n;
      }
      const kind = (k: string) => s.security.find((e) => e.kind === k)?.n ?? 0;
      return {
        activeSessions: s.active,
        sessions: s.sessions,
        batches: s.batches,
        events: s.events,
        judgedBatches: judged,
        anomalyRate: judged ? anomalous / judged : 0,
        mpinChallenges: kind('challenge'),
        mpinSuccesses: kind('mpin_verified'),
        mpinFailures: kind('mpin_failed'),
        blocks: kind('block'),
        locks: kind('account_locked'),
        decisions,
        usersWithModel: s.withModel,
      };
    },

    async ExportUserData(req: { userId: string }) {
      const userId = idOf(req.userId, 'userId');
      const doc = await q.exportUser(userId);
      if (!doc) throw new CadenceError(Code.NOT_FOUND, `no user ${userId}`, 'userId');
      return {
        userId,
        document: JSON.stringify({ exportedFor: userId, ...doc }),
        sessions: doc.sessions.length,
        events: doc.events.length,
        windows: doc.enrolmentWindows.length,
        models: doc.models.length,
      };
    },

    async ExportSession(req: { sessionId: string }) {
      const sessionId = idOf(req.sessionId, 'sessionId');
      const doc = await q.exportSession(sessionId);
      if (!doc) throw new CadenceError(Code.NOT_FOUND, `no session ${sessionId}`, 'sessionId');
      const row = doc.session as { user_id: string | null; standing: StoredStanding; status: string | null };
      // The standing as reported everywhere else (the owner's lock and the identity status count).
      const standing = reportedStanding({ standing: row.standing, status: row.status as StoredStatus | null }, await q.ownerLockedAtMs(row.user_id));
      return {
        sessionId,
        document: JSON.stringify({ exportedFor: sessionId, reportedStanding: standing, ...doc }),
        batches: doc.batches.length,
        events: doc.events.length,
        scores: doc.scores.length,
      };
    },

    async DeleteUserData(req: { userId: string; deleteAccount: boolean }) {
      const userId = idOf(req.userId, 'userId');
      const r = await q.deleteUser(userId, req.deleteAccount);
      deps.onUserDeleted(userId);
      return r;
    },
  };
}
