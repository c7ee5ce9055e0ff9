// Durable, idempotent storage of one batch: the batch row, its events, the session counters and
// both assessments are written in one transaction, or not at all.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { batches, events, scores, sessions } from '../../db/schema.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { EventBatch } from '../../scoring/batch.ts';
import type { Assessment } from '../../scoring/prescore.ts';

export interface StoreInput {
  batch: EventBatch;
  payloadSha256: string;
  receivedAtMs: number;
  edge?: Assessment;
  core: Assessment;
}

// One INSERT holds every event: 500 events x 16 columns stays below SQLite's 32,766 bound variables.

export function createIngestStore(db: Db, now: () => number = Date.now) {
  // One writer at a time in this process; across processes the batch id's primary key decides.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  async function existing(batchId: string): Promise<string | undefined> {
    const row = await db.select({ sha: batches.payloadSha256 }).from(batches).where(eq(batches.batchId, batchId)).get();
    return row?.sha;
  }

  function duplicateOrConflict(sha: string, input: StoreInput): { duplicate: true } {
    if (sha !== input.payloadSha256) {
      throw new CadenceError(Code.ALREADY_EXISTS, `batch id ${input.batch.batchId} was already stored with different content`, 'batch.batchId');
    }
    return { duplicate: true };
  }

  async function write(input: StoreInput): Promise<{ duplicate: boolean }> {
    const { batch } = input;
    const seen = await existing(batch.batchId);
    if (seen !== undefined) return duplicateOrConflict(seen, input);
    const stored = now();
    const ctx = batch.context;
    const eventRows = batch.events.map((e, idx) => ({
      sessionId: batch.sessionId,
      batchId: batch.batchId,
      idx,
      type: e.type,
      t: e.t,
      keyClass: e.keyClass,
      field: e.field,
      position: e.position,
      x: e.x,
      y: e.y,
      dx: e.dx,
      dy: e.dy,
      button: e.button,
      pressure: e.pressure,
      pointerType: e.pointerType,
      state: e.state,
    }));
    const assessments = [{ source: 'core' as const, a: input.core }, ...(input.edge ? [{ source: 'edge' as const, a: input.edge }] : [])];
    try {
      // One atomic libSQL batch (an implicit transaction): all rows or none, in a single call.
      await db.batch([
        db
          .insert(sessions)
          .values({
            id: batch.sessionId,
            deviceId: ctx?.deviceId,
            page: ctx?.page,
            language: ctx?.language,
            screenWidth: ctx?.screen?.width,
            screenHeight: ctx?.screen?.height,
            firstSeenMs: input.receivedAtMs,
            lastSeenMs: input.receivedAtMs,
            batchCount: 1,
            eventCount: batch.events.length,
          })
          .onConflictDoUpdate({
            target: sessions.id,
            set: {
              lastSeenMs: sql`max(${sessions.lastSeenMs}, ${input.receivedAtMs})`,
              batchCount: sql`${sessions.batchCount} + 1`,
              eventCount: sql`${sessions.eventCount} + ${batch.events.length}`,
              page: ctx?.page ?? sql`${sessions.page}`,
            },
          }),
        db.insert(batches).values({
          batchId: batch.batchId,
          sessionId: batch.sessionId,
          seq: batch.seq,
          eventCount: batch.events.length,
          payloadSha256: input.payloadSha256,
          receivedAtMs: input.receivedAtMs,
          storedAtMs: stored,
        }),
        db.insert(events).values(eventRows),
        db.insert(scores).values(
          assessments.map(({ source, a }) => ({
            sessionId: batch.sessionId,
            batchId: batch.batchId,
            source,
            score: a.score,
            decision: a.decision,
            judged: a.judged,
            modelVersion: a.modelVersion,
            reasons: a.reasons,
            createdAtMs: stored,
          })),
        ),
      ]);
    } catch (err) {
      // Another core instance stored the same batch between our check and our insert.
      const again = await existing(batch.batchId).catch(() => undefined);
      if (again !== undefined) return duplicateOrConflict(again, input);
      throw err;
    }
    return { duplicate: false };
  }

  return {
    store: (input: StoreInput) => serial(() => write(input)),

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
      const [core, edge] = await Promise.all([latest('core'), latest('edge')]);
      return { session, core, edge };
    },
  };
}

export type IngestStore = ReturnType<typeof createIngestStore>;
