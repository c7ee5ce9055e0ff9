// Automatic retraining of the supervised session model from analysts' labels (issue 19): the
// session context a caller sent with RiskService.PredictSession(s) is kept per session id
// (session_records); once CADENCE_SESSION_RETRAIN_LABELS sessions have been labelled since the last
// session model was trained, a new one is trained in a worker thread on every labelled session that
// has a record (bot and account takeover = 1, genuine = 0, unsure left out) and stored through
// storeSessionModel, which keeps it inactive when it scores worse than the active model on the
// held-out split. The split is keyed on session ids, so a session stays on its side as labels
// accumulate and the active model is never judged on sessions it was trained on by an earlier run.
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sessionLabels, sessionRecords } from '../../db/schema.ts';
import type { SessionRecord } from '../../scoring/features/session-record.ts';
import type { TrainedSessionModel } from '../../scoring/models/session-model.ts';
import type { Logger } from '../log.ts';
import { runInWorker, type JobQueue } from '../enrolment/jobs.ts';
import { GLOBAL_SCOPE, type ModelRegistry, type ModelRow } from '../models/registry.ts';
import { SESSION_MODEL_KIND, storeSessionModel } from './session-model.ts';

export interface SessionTrainInput {
  records: SessionRecord[];
  labels: Uint8Array;
  split: { train: number[]; test: number[] };
  seed: number;
  trees: number;
}

/** Keeps the latest record a caller sent for each session id (the last one of a batch wins). */
export function createSessionRecordStore(db: Db, now: () => number) {
  return {
    async save(entries: readonly { sessionId: string; record: SessionRecord }[]): Promise<void> {
      const latest = new Map<string, SessionRecord>();
      for (const e of entries) if (e.sessionId) latest.set(e.sessionId, e.record);
      if (latest.size === 0) return;
      const t = now();
      await db
        .insert(sessionRecords)
        .values([...latest].map(([sessionId, record]) => ({ sessionId, record: record as Record<string, string | number>, updatedAtMs: t })))
        .onConflictDoUpdate({ target: sessionRecords.sessionId, set: { record: sql`excluded.record`, updatedAtMs: sql`excluded.updated_at_ms` } });
    },
  };
}

export type SessionRecordStore = ReturnType<typeof createSessionRecordStore>;

/** FNV-1a: a session id's fixed side of the split (30 % held out). */
function heldOut(sessionId: string): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i++) h = Math.imul(h ^ sessionId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 100 < 30;
}

const MIN_PER_CLASS = 10;

export function createSessionRetrainer(deps: {
  db: Db;
  registry: ModelRegistry;
  queue: JobQueue;
  /** Labelled sessions since the last training that start one; 0 = never automatically. */
  newLabels: number;
  trees: number;
  log: Logger;
  train?: (input: SessionTrainInput) => Promise<TrainedSessionModel>;
}) {
  const train = deps.train ?? ((input: SessionTrainInput) => runInWorker<SessionTrainInput, TrainedSessionModel>('session-train-worker', input));

  /** The newest label of every labelled session that has a record, unsure left out. */
  function labelled() {
    const newest = deps.db.select({ id: sql<number>`max(${sessionLabels.id})` }).from(sessionLabels).groupBy(sessionLabels.sessionId);
    return deps.db
      .select({ sessionId: sessionLabels.sessionId, label: sessionLabels.label, at: sessionLabels.createdAtMs, record: sessionRecords.record })
      .from(sessionLabels)
      .innerJoin(sessionRecords, eq(sessionRecords.sessionId, sessionLabels.sessionId))
      .where(and(inArray(sessionLabels.id, newest), ne(sessionLabels.label, 'unsure')))
      .orderBy(sessionLabels.id)
      .all();
  }

  /** The training input when a retraining is due, else undefined (with why, for the log). */
  async function due(): Promise<SessionTrainInput | string> {
    if (deps.newLabels <= 0) return 'automatic retraining is off';
    const active = await deps.registry.active(SESSION_MODEL_KIND, GLOBAL_SCOPE);
    if (active?.pinned) return 'an operator pinned the active session model';
    const [last] = await deps.registry.list({ scope: GLOBAL_SCOPE, kind: SESSION_MODEL_KIND, limit: 1 });
    const since = last?.row.trainedAtMs ?? -Infinity;
    const rows = await labelled();
    const fresh = rows.filter((r) => r.at > since).length;
    if (fresh < deps.newLabels) return `${fresh} of ${deps.newLabels} new labelled sessions`;
    const labels = Uint8Array.from(rows, (r) => (r.label === 'genuine' ? 0 : 1));
    const positives = labels.reduce((s, v) => s + v, 0);
    if (positives < MIN_PER_CLASS || rows.length - positives < MIN_PER_CLASS) return `need ${MIN_PER_CLASS} labelled sessions of each class, have ${positives} anomalous and ${rows.length - positives} genuine`;
    const split = { train: [] as number[], test: [] as number[] };
    rows.forEach((r, i) => (heldOut(r.sessionId) ? split.test : split.train).push(i));
    return { records: rows.map((r) => r.record as SessionRecord), labels, split, seed: 0, trees: deps.trees };
  }

  async function retrain(): Promise<ModelRow | undefined> {
    const input = await due();
    if (typeof input === 'string') {
      deps.log.debug('session model not retrained', { why: input });
      return undefined;
    }
    const trained = await train(input);
    const row = await storeSessionModel(deps.registry, trained, { labelled_sessions: input.labels.length }, { automatic: true });
    deps.log.info('session model retrained from labels', { version: row.version, active: row.active, auc: row.metrics.auc, activeAucOnSplit: row.metrics.active_auc_on_split, labelled: input.labels.length });
    return row;
  }

  return {
    /** After a label: queues a retraining check (one at a time; failures are logged). */
    kick(): void {
      void deps.queue.add('session-model', retrain).catch(() => undefined);
    },
    retrain,
  };
}
