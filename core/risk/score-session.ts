// ScoreSession: the authoritative score of a session now, from its stored windows (one per batch),
// each scored by the population model fused with the user's active model, and their evidence
// accumulated over the session (scoring/session-evidence.ts) in the order the core stored them. What
// the session's own record says counts too, so that a backend hears the story ingest told: each
// verified MPIN and each analyst's clear (their security events) lowers the evidence where it
// happened, as core/identity/store.ts stepUpPassed and core/admin/support.ts clearStanding did,
// after which the rates they answered add nothing; and the answer is never below a standing that
// sticks (challenge, block, locked: a replay the core matched, or facts raised in windows older
// than those re-scored).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { events } from '../../db/schema.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { batchKey } from '../../lib/batch-digest.ts';
import type { Thresholds } from '../../scoring/policy.ts';
import { accumulate, NO_EVIDENCE, sessionAnswer, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { AFTER_MPIN_LLR, atLeast, type Standing, type StoredStanding } from '../../scoring/session-standing.ts';
import type { Assessment, PreScorer } from '../../scoring/prescore.ts';
import { reportedStanding, type StoredStatus } from '../policy/rules.ts';
import { POINTER } from '../enrolment/modality.ts';
import { combineOwners } from '../enrolment/owner-modalities.ts';
import type { UserModels } from '../enrolment/service.ts';
import { windowOf, type Window } from '../enrolment/windows.ts';
import type { CachedWindow, WindowCache } from './window-cache.ts';


export interface SessionScore {
  sessionId: string;
  userId: string;
  assessment: Assessment;
  windows: { batchId: string; receivedAtMs: number; assessment: Assessment }[];
  judged: number;
  userModelVersion: string;
  peak: number;
  /** The session's standing as GetSessionRisk reports it. */
  standing: { level: Standing; reasons: string[]; atMs: number | null };
}

/** What the session's record holds beyond its windows (sessions and users rows). */
interface SessionRecord {
  userId: string | null;
  standing: { level: Standing; reasons: string[]; atMs: number | null };
  /** The rate groups verified MPINs and clears answered in this session (sessions.evidence_answered). */
  answered: string[];
}

/** A deliberate lowering of the session: a verified MPIN or an analyst's clear, when it was recorded. */
interface Lowering {
  atMs: number;
  by: 'mpin' | 'analyst';
}

/**
 * The evidence as the lowering left it: a verified MPIN caps it (stepUpPassed), a clear restarts it
 * with no signals or facts (clearStanding); the rates answered in the session add nothing from there
 * on (an MPIN nobody asked for answered none: the stored set has only what was answered).
 */
function lowered(e: SessionEvidence, by: Lowering['by'], answered: readonly string[]): SessionEvidence {
  const all = [...new Set([...(e.answered ?? []), ...answered])];
  const withAnswered = all.length ? { ...e, answered: all } : e;
  if (by === 'mpin') return { ...withAnswered, llr: Math.min(e.llr, AFTER_MPIN_LLR) };
  const { facts: _cleared, ...rest } = withAnswered;
  return { ...rest, llr: 0, signals: [] };
}

/** The session's answer, raised to a standing that sticks (challenge, block, locked) when it is below it. */
function atLeastStanding(a: Assessment, standing: SessionRecord['standing'], t: Thresholds): Assessment {
  const floor: 'challenge' | 'block' | undefined = standing.level === 'locked' || standing.level === 'block' ? 'block' : standing.level === 'challenge' ? 'challenge' : undefined;
  if (!floor || atLeast(a.decision, floor)) return a;
  const reasons = [...new Set([...a.reasons.filter((r) => r !== 'too_few_keystrokes'), ...standing.reasons])];
  return { ...a, score: Math.max(a.score, t[floor]), decision: floor, reasons, judged: true };
}

export function createSessionScorer(deps: { db: Db; scorer: PreScorer; users: UserModels; pointerUsers?: UserModels; thresholds: Thresholds; cache: WindowCache }) {
  const { db } = deps;
  return async function scoreSession(sessionId: string, maxWindows: number): Promise<SessionScore | undefined> {
    // The session's row, and its newest batches in the order the core stored them (ingest's order;
    // received_at_ms is the edge's clock, and a spool's retry can store an older batch later). Two
    // reads, not a join: a join repeats the session's columns for every batch, and reading the
    // standing's past the evidence (kilobytes of JSON) on each of 20 rows cost more than the rest.
    const [sessionRows, batchRows] = await Promise.all([
      db.$client.execute({
        sql: `select s.user_id as userId, s.standing as standing, s.standing_reasons as standingReasons, s.standing_at_ms as standingAtMs,
          s.status as status, s.evidence_answered as answered, s.standing_version as standingVersion,
          (select u.locked_at_ms from users u where u.id = s.user_id) as lockedAtMs
          from sessions s where s.id = ?`,
        args: [sessionId],
      }),
      db.$client.execute({
        sql: `select batch_id as batchId, received_at_ms as receivedAtMs, stored_at_ms as storedAtMs from batches
          where session_id = ? order by stored_at_ms desc, rowid desc limit ?`,
        args: [sessionId, maxWindows],
      }),
    ]);
    const head = sessionRows.rows[0];
    if (!head) return undefined;
    // Its lowerings, read only when there were some: each MPIN and clear bumps standing_version.
    const lowerings = Number(head.standingVersion) > 0
      ? (await db.$client.execute({
          sql: `select kind, created_at_ms as atMs from security_events where session_id = ? and kind in ('mpin_verified', 'standing_cleared') order by created_at_ms, id`,
          args: [sessionId],
        })).rows
      : [];
    const session: SessionRecord = {
      userId: (head.userId as string | null) ?? null,
      standing: {
        level: reportedStanding({ standing: head.standing as StoredStanding, status: head.status as StoredStatus | null }, head.lockedAtMs as number | null),
        reasons: JSON.parse(String(head.standingReasons ?? '[]')) as string[],
        atMs: head.standingAtMs === null ? null : Number(head.standingAtMs),
      },
      answered: head.answered === null ? [] : (JSON.parse(String(head.answered)) as string[]),
    };
    const recent = batchRows.rows.map((r) => ({ batchId: String(r.batchId), receivedAtMs: Number(r.receivedAtMs), storedAtMs: Number(r.storedAtMs) }));
    // Only batches not yet in the cache need their events read (reading events is what costs here).
    const needsWindow = (c: CachedWindow | undefined) => !c || (session.userId !== null && c.population.judged && (!c.window || (deps.pointerUsers !== undefined && !c.pointerWindow)));
    // Batch ids are unique per session only: the cache and the events are looked up within this one.
    const cacheKey = (batchId: string) => batchKey(sessionId, batchId);
    const missing = recent.filter((b) => needsWindow(deps.cache.get(cacheKey(b.batchId)))).map((b) => b.batchId);
    const rows = missing.length
      ? await db.select().from(events).where(and(eq(events.sessionId, sessionId), inArray(events.batchId, missing))).orderBy(events.id).all()
      : [];
    const byBatch = new Map<string, BatchEvent[]>();
    for (const r of rows) {
      const e: Record<string, unknown> = { type: r.type, t: r.t };
      for (const k of ['keyClass', 'field', 'position', 'x', 'y', 'dx', 'dy', 'button', 'pressure', 'pointerType', 'state'] as const) {
        if (r[k] !== null) e[k] = r[k];
      }
      const list = byBatch.get(r.batchId);
      if (list) list.push(e as BatchEvent);
      else byBatch.set(r.batchId, [e as BatchEvent]);
    }
    const model = session.userId ? await deps.users.modelOf(session.userId) : undefined;
    const pointerModel = session.userId && deps.pointerUsers ? await deps.pointerUsers.modelOf(session.userId) : undefined;
    const cachedWindows = recent.map((b) => {
      let cached = deps.cache.get(cacheKey(b.batchId));
      if (needsWindow(cached)) {
        const list = byBatch.get(b.batchId) ?? [];
        cached = { population: deps.scorer.score(list), window: windowOf(list), ...(deps.pointerUsers ? { pointerWindow: POINTER.windowOf(list) } : {}) };
        deps.cache.set(cacheKey(b.batchId), cached);
      }
      return cached!;
    });
    // The windows a user's model can judge: those it has not fused yet are scored together, in
    // one pass of its detectors, and the result kept with the window for the next call.
    const personalBy = (models: UserModels | undefined, loaded: typeof model, windowOfCached: (c: CachedWindow) => Window | undefined, slot: 'fused' | 'pointerFused') => {
      const out = new Map<number, Assessment>();
      if (!models || !loaded) return out;
      const personal = cachedWindows.flatMap((c, i) => {
        const window = windowOfCached(c);
        return window?.judged && c.population.judged ? [{ i, c, pop: c.population, window }] : [];
      });
      const stale = personal.filter((p) => p.c[slot]?.modelId !== loaded.row.id);
      const fused = models.fuseMany(stale, loaded);
      stale.forEach((p, k) => (p.c[slot] = { modelId: loaded.row.id, assessment: fused[k]! }));
      // The evidence counts each window's session mean so far, as ingest does (oldest first).
      const oldestFirst = [...personal].reverse();
      const means = models.sessionRisks(oldestFirst.map((p) => p.window.vector), loaded);
      oldestFirst.forEach((p, k) => out.set(p.i, { ...p.c[slot]!.assessment, ownerRisk: Math.round(means[k]! * 1e4) / 1e4 }));
      return out;
    };
    const keys = personalBy(deps.users, model, (c) => c.window, 'fused');
    const pointers = personalBy(deps.pointerUsers, pointerModel, (c) => c.pointerWindow, 'pointerFused');
    // As ingest: a window both models judged takes the larger risk and owner evidence (core/enrolment/owner-modalities.ts).
    const assessments = cachedWindows.map((c, i) => combineOwners(c.population, keys.get(i), pointers.get(i), deps.thresholds));
    const windows = recent.map((b, i) => ({ batchId: b.batchId, receivedAtMs: b.receivedAtMs, assessment: assessments[i]! }));
    const judged = windows.filter((w) => w.assessment.judged);
    const peak = judged.reduce((m, w) => Math.max(m, w.assessment.score), 0);
    const popVersion = deps.scorer.modelVersion;
    const version = [model && `user-keystroke@${model.row.version}`, pointerModel && `user-pointer@${pointerModel.row.version}`, popVersion].filter(Boolean).join('+');
    let assessment: Assessment;
    if (judged.length === 0) {
      assessment = { score: 0, decision: 'allow', modelVersion: version, reasons: ['too_few_keystrokes'], judged: false };
    } else {
      // The session's evidence over its windows, oldest first, as ingest accumulates it, lowered
      // where each MPIN or analyst's clear lowered it, the rates answered adding nothing from there
      // on; judged with the newest judged window (scoring/session-evidence.ts). A batch stored in
      // the lowering's millisecond counts after it (a batch in flight then is judged again on the
      // lowered session at ingest).
      const pending: Lowering[] = lowerings.map((r) => ({ atMs: Number(r.atMs), by: r.kind === 'mpin_verified' ? ('mpin' as const) : ('analyst' as const) }));
      let evidence = NO_EVIDENCE;
      for (let i = windows.length - 1; i >= 0; i--) {
        while (pending.length && pending[0]!.atMs <= recent[i]!.storedAtMs) evidence = lowered(evidence, pending.shift()!.by, session.answered);
        evidence = accumulate(evidence, windows[i]!.assessment);
      }
      for (const l of pending) evidence = lowered(evidence, l.by, session.answered);
      assessment = { ...sessionAnswer(evidence, judged[0]!.assessment, deps.thresholds), modelVersion: version };
    }
    assessment = atLeastStanding(assessment, session.standing, deps.thresholds);
    return { sessionId, userId: session.userId ?? '', assessment, windows, judged: judged.length, userModelVersion: model?.row.version ?? '', peak, standing: session.standing };
  };
}
