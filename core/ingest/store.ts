// Durable, idempotent storage of one batch: the batch row, its events, the session counters and
// both assessments are written in one transaction, or not at all. A batch is keyed by (session id,
// batch id): the same key with the same digest is a duplicate, with another digest ALREADY_EXISTS,
// and the same batch id in another session is another batch.
import type { InStatement, InValue } from '@libsql/client';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { batches, scores, sessions, users } from '../../db/schema.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Geo } from '../../lib/geo.ts';
import type { EventBatch } from '../../scoring/batch.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { NO_EVIDENCE, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { standingAfter, type StoredStanding } from '../../scoring/session-standing.ts';

export interface StoreInput {
  batch: EventBatch;
  payloadSha256: string;
  receivedAtMs: number;
  edge?: Assessment;
  /** Where the request came from, as the edge's platform said (validated). */
  geo?: Geo;
  /** The core's assessment of this window alone. */
  core: Assessment;
  /**
   * Judges the window within its session from the session's evidence so far (read and written in
   * this process's write order, so concurrent batches of one session each count once). Without it
   * the window's assessment is stored as it is.
   */
  judge?: (before: SessionEvidence, window: Assessment) => { evidence: SessionEvidence; answer: Assessment };
  /** More rows that exist exactly when the batch does (the webhook outbox), in its transaction. */
  also?: (answer: Assessment, standing: SessionStanding) => InStatement[];
}

/** The level the session has reached (scoring/session-standing.ts), as stored. */
export interface SessionStanding {
  level: StoredStanding;
  reasons: string[];
  atMs: number | null;
}

export interface Stored {
  duplicate: boolean;
  /** The decision stored for the batch: the session's, when `judge` was given. */
  answer: Assessment;
  /** The session's standing after this batch (as it was, for a duplicate). */
  standing: SessionStanding;
  /** The session's standing version the batch was judged at (absent for a duplicate). */
  judgedAtVersion?: number;
}

// One INSERT holds every event: 500 events x 16 columns stays below SQLite's 32,766 bound variables.
const EVENT_COLUMNS = 'session_id, batch_id, idx, type, t, key_class, field, position, x, y, dx, dy, button, pressure, pointer_type, state';
const EVENT_ROW = `(${Array(16).fill('?').join(', ')})`;
const eventInserts = new Map<number, string>();
function eventInsert(rows: number): string {
  let sql = eventInserts.get(rows);
  if (!sql) {
    sql = `insert into events (${EVENT_COLUMNS}) values ${Array(rows).fill(EVENT_ROW).join(', ')}`;
    eventInserts.set(rows, sql);
  }
  return sql;
}
// The location is the first seen, country and city as a pair: a later batch sets it only while
// both are unknown (SQLite evaluates every SET against the row as it was).
const SESSION_UPSERT = `insert into sessions (id, device_id, page, language, screen_width, screen_height, first_seen_ms, last_seen_ms, batch_count, event_count, country, city)
  values (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
  on conflict (id) do update set last_seen_ms = max(last_seen_ms, ?), batch_count = batch_count + 1, event_count = event_count + ?, page = coalesce(?, page),
    country = case when country is null and city is null then ? else country end, city = case when country is null and city is null then ? else city end`;
const BATCH_INSERT = 'insert into batches (batch_id, session_id, seq, event_count, payload_sha256, received_at_ms, stored_at_ms) values (?, ?, ?, ?, ?, ?, ?)';
// Compare-and-set on the standing's version: a verified MPIN or an analyst's clear that came in
// between the read and this write wins, and this batch's evidence is not counted.
// The standing was judged on the session as read at `standing_version`; if a deliberate act (a
// verified MPIN, an analyst's clear) bumped the version meanwhile, the NULL written into the NOT
// NULL column aborts the whole batch, which write() then judges again on the session as it is now.
// (A silent 0-row update would have let the stale answer still move the session and the webhook.)
const EVIDENCE_UPDATE = `update sessions set evidence_llr = ?, evidence_windows = ?, evidence_flagged = ?, evidence_signals = ?, evidence_typing = ?, evidence_reaches = ?, evidence_facts = ?, evidence_answered = ?,
  standing = ?, standing_reasons = ?, standing_at_ms = ?, standing_version = case when standing_version = ? then standing_version else null end where id = ?`;
const STALE_STANDING = /NOT NULL constraint failed: sessions\.standing_version/;
const SCORE_INSERT = 'insert into scores (session_id, batch_id, source, score, decision, judged, model_version, reasons, created_at_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?)';

export function createIngestStore(db: Db, now: () => number = Date.now) {
  // One writer at a time in this process; across processes the (session id, batch id) primary key decides.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  async function existing(sessionId: string, batchId: string): Promise<string | undefined> {
    const row = await db
      .select({ sha: batches.payloadSha256 })
      .from(batches)
      .where(and(eq(batches.sessionId, sessionId), eq(batches.batchId, batchId)))
      .get();
    return row?.sha;
  }

  async function duplicateOrConflict(sha: string, input: StoreInput): Promise<Stored> {
    if (sha !== input.payloadSha256) {
      throw new CadenceError(Code.ALREADY_EXISTS, `batch id ${input.batch.batchId} was already stored for this session with different content`, 'batch.batchId');
    }
    return { duplicate: true, answer: input.core, standing: (await stateOf(input.batch.sessionId)).standing };
  }

  async function stateOf(sessionId: string): Promise<{ evidence: SessionEvidence; standing: SessionStanding; version: number }> {
    const row = await db
      .select({
        llr: sessions.evidenceLlr, windows: sessions.evidenceWindows, flagged: sessions.evidenceFlagged, signals: sessions.evidenceSignals, typing: sessions.evidenceTyping, reaches: sessions.evidenceReaches, facts: sessions.evidenceFacts, answered: sessions.evidenceAnswered,
        standing: sessions.standing, standingReasons: sessions.standingReasons, standingAtMs: sessions.standingAtMs, version: sessions.standingVersion,
      })
      .from(sessions)
      .where(eq(sessions.id, sessionId))
      .get();
    if (!row) return { evidence: NO_EVIDENCE, standing: { level: 'allow', reasons: [], atMs: null }, version: 0 };
    const { standing, standingReasons, standingAtMs, version, typing, reaches, facts, answered, ...rest } = row;
    const evidence: SessionEvidence = { ...rest, ...(typing ? { typing } : {}), ...(reaches ? { reaches } : {}), ...(facts ? { facts } : {}), ...(answered ? { answered } : {}) };
    return { evidence, standing: { level: standing, reasons: standingReasons, atMs: standingAtMs }, version };
  }

  /** The standing after `answer`: reasons and time change only when the level does. */
  function nextStanding(before: SessionStanding, answer: Assessment, t: number): SessionStanding {
    const level = standingAfter(before.level, answer);
    if (level === before.level) return before;
    return { level, reasons: level === 'allow' ? [] : answer.reasons.slice(0, 8), atMs: t };
  }

  async function write(input: StoreInput, attempt = 1): Promise<Stored> {
    const { batch } = input;
    const seen = await existing(batch.sessionId, batch.batchId);
    if (seen !== undefined) return await duplicateOrConflict(seen, input);
    const state = await stateOf(batch.sessionId);
    const judged = input.judge?.(state.evidence, input.core);
    const answer = judged?.answer ?? input.core;
    const stored = now();
    const standing = judged ? nextStanding(state.standing, answer, stored) : state.standing;
    const ctx = batch.context;
    const eventArgs: InValue[] = [];
    batch.events.forEach((e, idx) => {
      eventArgs.push(batch.sessionId, batch.batchId, idx, e.type, e.t, e.keyClass ?? null, e.field ?? null, e.position ?? null, e.x ?? null, e.y ?? null,
        e.dx ?? null, e.dy ?? null, e.button ?? null, e.pressure ?? null, e.pointerType ?? null, e.state ?? null);
    });
    const assessments = [{ source: 'core' as const, a: answer }, ...(input.edge ? [{ source: 'edge' as const, a: input.edge }] : [])];
    const statements: InStatement[] = [
      {
        sql: SESSION_UPSERT,
        args: [batch.sessionId, ctx?.deviceId ?? null, ctx?.page ?? null, ctx?.language ?? null, ctx?.screen?.width ?? null, ctx?.screen?.height ?? null,
          input.receivedAtMs, input.receivedAtMs, batch.events.length, input.geo?.country ?? null, input.geo?.city ?? null,
          input.receivedAtMs, batch.events.length, ctx?.page ?? null, input.geo?.country ?? null, input.geo?.city ?? null],
      },
      ...(judged
        ? [{
            sql: EVIDENCE_UPDATE,
            args: [judged.evidence.llr, judged.evidence.windows, judged.evidence.flagged, JSON.stringify(judged.evidence.signals),
              judged.evidence.typing ? JSON.stringify(judged.evidence.typing) : null,
              judged.evidence.reaches ? JSON.stringify(judged.evidence.reaches) : null,
              judged.evidence.facts ? JSON.stringify(judged.evidence.facts) : null,
              judged.evidence.answered ? JSON.stringify(judged.evidence.answered) : null,
              standing.level, JSON.stringify(standing.reasons), standing.atMs, state.version, batch.sessionId],
          }]
        : []),
      { sql: BATCH_INSERT, args: [batch.batchId, batch.sessionId, batch.seq, batch.events.length, input.payloadSha256, input.receivedAtMs, stored] },
      ...(batch.events.length ? [{ sql: eventInsert(batch.events.length), args: eventArgs }] : []),
      ...assessments.map(({ source, a }) => ({
        sql: SCORE_INSERT,
        args: [batch.sessionId, batch.batchId, source, a.score, a.decision, a.judged ? 1 : 0, a.modelVersion, JSON.stringify(a.reasons), stored],
      })),
      ...(input.also?.(answer, standing) ?? []),
    ];
    try {
      // One atomic libSQL batch (a write transaction): all rows or none, in a single call. Plain SQL
      // with one prepared multi-row INSERT per batch size: building a 500-row insert through the
      // query builder cost several times the write itself.
      try {
        await db.$client.batch(statements, 'write');
      } catch (err) {
        // A write refused as busy poisons its connection (see db/client.ts): start afresh, and if
        // the refusal was only that stale state, write again at once.
        if (!String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY')) throw err;
        await db.$reopen();
        if (!/statements in progress/.test(String((err as Error).message))) throw err;
        await db.$client.batch(statements, 'write');
      }
    } catch (err) {
      // The standing moved under the judgement (see EVIDENCE_UPDATE): nothing was written; judge again.
      if (judged && attempt < 5 && STALE_STANDING.test(String((err as Error).message))) return await write(input, attempt + 1);
      // Another core instance stored the same batch between our check and our insert.
      const again = await existing(batch.sessionId, batch.batchId).catch(() => undefined);
      if (again !== undefined) return await duplicateOrConflict(again, input);
      throw err;
    }
    return { duplicate: false, answer, standing, judgedAtVersion: state.version };
  }

  return {
    store: (input: StoreInput) => serial(() => write(input)),

    /** The standing of each session, with when it (or its status, or its owner's lock) last changed. */
    async standings(ids: readonly string[]) {
      const rows = await db.$client.execute({
        sql: `select s.id, s.standing, s.status, s.standing_reasons, s.standing_at_ms, s.status_changed_at_ms, u.locked_at_ms from sessions s
          left join users u on u.id = s.user_id where s.id in (${ids.map(() => '?').join(', ')})`,
        args: [...ids],
      });
      return rows.rows.map((r) => ({
        sessionId: String(r.id),
        standing: String(r.standing) as StoredStanding,
        status: (r.status as string | null) ?? null,
        reasons: JSON.parse(String(r.standing_reasons ?? '[]')) as string[],
        standingAtMs: r.standing_at_ms === null ? null : Number(r.standing_at_ms),
        lockedAtMs: r.locked_at_ms === null ? null : Number(r.locked_at_ms),
        changedAtMs: Math.max(Number(r.standing_at_ms ?? 0), Number(r.status_changed_at_ms ?? 0), Number(r.locked_at_ms ?? 0)),
      }));
    },

    async sessionRisk(sessionId: string) {
      const session = await db.select().from(sessions).where(eq(sessions.id, sessionId)).get();
      if (!session) return undefined;
      const latest = (source: 'core' | 'edge') =>
        db
          .select()
          .from(scores)
          .where(and(eq(scores.sessionId, sessionId), eq(scores.source, source)))
          .orderBy(desc(scores.id))
          .limit(1)
          .get();
      const owner = session.userId ? db.select({ lockedAtMs: users.lockedAtMs }).from(users).where(eq(users.id, session.userId)).get() : undefined;
      const [core, edge, user] = await Promise.all([latest('core'), latest('edge'), owner]);
      return { session, core, edge, ownerLockedAtMs: user?.lockedAtMs ?? null };
    },
  };
}

export type IngestStore = ReturnType<typeof createIngestStore>;
