// ScoreSession: the authoritative score of a session now, from its stored windows (one per batch),
// each scored by the population model fused with the user's active model, and their evidence
// accumulated over the session (scoring/session-evidence.ts). What the session's own record says
// counts too, so a backend never hears a different story from GetSessionRisk: a verified MPIN or an
// analyst's clear lowers the evidence where it happened and its answered rates stay answered, and
// the answer is never below a standing that sticks (challenge, block, locked: a replay the core
// matched, or facts raised in windows older than those re-scored).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { events } from '../../db/schema.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { batchKey } from '../../lib/batch-digest.ts';
import type { Thresholds } from '../../scoring/policy.ts';
import { accumulate, afterStepUp, NO_EVIDENCE, sessionAnswer, type SessionEvidence } from '../../scoring/session-evidence.ts';
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
  answered: string[];
}

/** The deliberate lowering the standing records, if its last change was one: where the fold lowers the evidence. */
function loweringOf(r: SessionRecord): { atMs: number; by: 'mpin' | 'analyst' } | undefined {
  if (r.standing.atMs === null) return undefined;
  if (r.standing.reasons.includes('mpin_verified')) return { atMs: r.standing.atMs, by: 'mpin' };
  if (r.standing.reasons.includes('analyst_cleared')) return { atMs: r.standing.atMs, by: 'analyst' };
  return undefined;
}

/** As core/identity/store.ts stepUpPassed and core/admin/support.ts clearStanding write it. */
function lowered(e: SessionEvidence, by: 'mpin' | 'analyst', answered: readonly string[]): SessionEvidence {
  const withAnswered = { ...e, answered: [...new Set([...(e.answered ?? []), ...answered])] };
  if (by === 'mpin') return afterStepUp(withAnswered, AFTER_MPIN_LLR);
  const { facts: _cleared, ...after } = afterStepUp(withAnswered, 0);
  return { ...after, signals: [] };
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
    // One round trip for the owner and the newest batches (a left join: a session may have none yet).
    const found = await db.$client.execute({
      sql: `select s.user_id as userId, s.standing as standing, s.standing_reasons as standingReasons, s.standing_at_ms as standingAtMs,
        s.status as status, s.evidence_answered as answered, u.locked_at_ms as lockedAtMs, b.batch_id as batchId, b.received_at_ms as receivedAtMs
        from sessions s left join users u on u.id = s.user_id left join batches b on b.session_id = s.id
        where s.id = ? order by b.received_at_ms desc, b.seq desc limit ?`,
      args: [sessionId, maxWindows],
    });
    if (found.rows.length === 0) return undefined;
    const head = found.rows[0]!;
    const session: SessionRecord = {
      userId: (head.userId as string | null) ?? null,
      standing: {
        level: reportedStanding({ standing: head.standing as StoredStanding, status: head.status as StoredStatus | null }, head.lockedAtMs as number | null),
        reasons: JSON.parse(String(head.standingReasons ?? '[]')) as string[],
        atMs: head.standingAtMs === null ? null : Number(head.standingAtMs),
      },
      answered: head.answered === null ? [] : (JSON.parse(String(head.answered)) as string[]),
    };
    const recent = found.rows.filter((r) => r.batchId !== null).map((r) => ({ batchId: String(r.batchId), receivedAtMs: Number(r.receivedAtMs) }));
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
      // where the MPIN or the analyst lowered it; judged with the newest judged window
      // (scoring/session-evidence.ts). Rates answered in the session add nothing in any window.
      const lowering = loweringOf(session);
      let evidence: SessionEvidence = session.answered.length ? { ...NO_EVIDENCE, answered: session.answered } : NO_EVIDENCE;
      let pending = lowering;
      for (let i = windows.length - 1; i >= 0; i--) {
        if (pending && windows[i]!.receivedAtMs >= pending.atMs) (evidence = lowered(evidence, pending.by, session.answered)), (pending = undefined);
        evidence = accumulate(evidence, windows[i]!.assessment);
      }
      if (pending) evidence = lowered(evidence, pending.by, session.answered);
      assessment = { ...sessionAnswer(evidence, judged[0]!.assessment, deps.thresholds), modelVersion: version };
    }
    assessment = atLeastStanding(assessment, session.standing, deps.thresholds);
    return { sessionId, userId: session.userId ?? '', assessment, windows, judged: judged.length, userModelVersion: model?.row.version ?? '', peak, standing: session.standing };
  };
}
