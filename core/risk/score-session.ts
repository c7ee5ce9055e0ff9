// ScoreSession: the authoritative score of a session now, from its stored windows (one per batch),
// each scored by the population model fused with the user's active model.
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { batches, events, sessions } from '../../db/schema.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { decide, type Thresholds } from '../../scoring/policy.ts';
import type { Assessment, PreScorer } from '../../scoring/prescore.ts';
import type { UserModels } from '../enrolment/service.ts';
import { windowOf } from '../enrolment/windows.ts';

/** The session's score is the mean of this many newest judged windows: now, not one noisy window. */
export const RECENT_WINDOWS = 3;

export interface SessionScore {
  sessionId: string;
  userId: string;
  assessment: Assessment;
  windows: { batchId: string; receivedAtMs: number; assessment: Assessment }[];
  judged: number;
  userModelVersion: string;
  peak: number;
}

export function createSessionScorer(deps: { db: Db; scorer: PreScorer; users: UserModels; thresholds: Thresholds }) {
  const { db } = deps;
  return async function scoreSession(sessionId: string, maxWindows: number): Promise<SessionScore | undefined> {
    const session = await db.select({ userId: sessions.userId }).from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) return undefined;
    const recent = await db
      .select({ batchId: batches.batchId, receivedAtMs: batches.receivedAtMs })
      .from(batches)
      .where(eq(batches.sessionId, sessionId))
      .orderBy(desc(batches.receivedAtMs), desc(batches.seq))
      .limit(maxWindows)
      .all();
    const rows = recent.length
      ? await db.select().from(events).where(inArray(events.batchId, recent.map((b) => b.batchId))).orderBy(events.id).all()
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
    const windows = recent.map((b) => {
      const evs = byBatch.get(b.batchId) ?? [];
      const pop = deps.scorer.score(evs);
      const w = model && pop.judged ? windowOf(evs) : undefined;
      return { batchId: b.batchId, receivedAtMs: b.receivedAtMs, assessment: model && w?.judged ? deps.users.fuse(pop, w, model) : pop };
    });
    const judged = windows.filter((w) => w.assessment.judged);
    const latest = judged.slice(0, RECENT_WINDOWS);
    const peak = judged.reduce((m, w) => Math.max(m, w.assessment.score), 0);
    const popVersion = deps.scorer.modelVersion;
    const version = model ? `user-keystroke@${model.row.version}+${popVersion}` : popVersion;
    let assessment: Assessment;
    if (latest.length === 0) {
      assessment = { score: 0, decision: 'allow', modelVersion: version, reasons: ['too_few_keystrokes'], judged: false };
    } else {
      const score = Math.round((latest.reduce((s, w) => s + w.assessment.score, 0) / latest.length) * 1e4) / 1e4;
      const riskiest = latest.reduce((a, b) => (b.assessment.score > a.assessment.score ? b : a));
      assessment = { score, decision: decide(score, deps.thresholds), modelVersion: version, reasons: riskiest.assessment.reasons, judged: true };
    }
    return { sessionId, userId: session.userId ?? '', assessment, windows, judged: judged.length, userModelVersion: model?.row.version ?? '', peak };
  };
}
