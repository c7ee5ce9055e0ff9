// The model registry in libSQL: versions per kind and scope, their binary and sha256, training
// metrics, and the one active version per kind and scope (activation and rollback are one batch).
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { models } from '../../db/schema.ts';

export type ModelRow = typeof models.$inferSelect;
export type ModelKind = ModelRow['kind'];
export const GLOBAL_SCOPE = 'global';
/** Major version: the feature schema and recipe; a change there makes older versions incomparable. */
const MAJOR = 1;

export interface NewModel {
  kind: ModelKind;
  scope: string;
  binary: Uint8Array;
  featureSchema: string[];
  metrics: Record<string, number | null>;
  state: Record<string, unknown>;
  trainRows?: Float64Array;
}

export function createModelRegistry(db: Db, now: () => number) {
  const byId = (id: string) => db.select().from(models).where(eq(models.id, id)).get();
  const active = (kind: ModelKind, scope: string) =>
    db.select().from(models).where(and(eq(models.kind, kind), eq(models.scope, scope), eq(models.active, true))).get();

  const activation = (row: ModelRow, t: number, pinned: boolean) =>
    [
      db.update(models).set({ active: false, pinned: false }).where(and(eq(models.kind, row.kind), eq(models.scope, row.scope), eq(models.active, true))),
      db.update(models).set({ active: true, activatedAtMs: t, pinned }).where(eq(models.id, row.id)),
    ] as const;

  /**
   * Makes `row` its scope's active version. `pinned` (an operator's choice: Activate, Rollback)
   * stops automatic retraining from replacing it until a Train or Retrain call.
   */
  async function activate(row: ModelRow, pinned = false): Promise<ModelRow> {
    const t = now();
    await db.batch(activation(row, t, pinned));
    return { ...row, active: true, activatedAtMs: t, pinned };
  }

  return {
    byId,
    active,

    /**
     * Stores a new version (minor = number of earlier trainings in the scope) and makes it active
     * (`inactive`: only stores it);
     * `automatic` (a retraining the rules started) does not replace a pinned version: it is kept
     * as an inactive candidate instead, whenever the pin came (even while it was training).
     * `inactive`: stored as a candidate only (e.g. it scored worse than the active version).
     */
    async add(m: NewModel, options: { automatic?: boolean; inactive?: boolean } = {}): Promise<ModelRow> {
      const count = await db.select({ n: sql<number>`count(*)` }).from(models).where(and(eq(models.kind, m.kind), eq(models.scope, m.scope))).get();
      const row: ModelRow = {
        id: randomUUID(),
        kind: m.kind,
        scope: m.scope,
        version: `${MAJOR}.${count?.n ?? 0}.0`,
        sha256: createHash('sha256').update(m.binary).digest('hex'),
        featureSchema: m.featureSchema,
        metrics: m.metrics,
        binary: Buffer.from(m.binary.buffer, m.binary.byteOffset, m.binary.byteLength),
        state: m.state,
        trainRows: m.trainRows ? Buffer.from(m.trainRows.buffer, m.trainRows.byteOffset, m.trainRows.byteLength) : null,
        trainedAtMs: now(),
        active: false,
        activatedAtMs: null,
        pinned: false,
      };
      // Kept for the record (a version the quality gate refused): stored, never made active.
      if (options.inactive) {
        await db.insert(models).values(row);
        return row;
      }
      // One batch: no reader ever sees the new version stored but not yet active.
      const t = now();
      if (!options.automatic) {
        await db.batch([db.insert(models).values(row), ...activation(row, t, false)]);
        return { ...row, active: true, activatedAtMs: t };
      }
      const scope = and(eq(models.kind, row.kind), eq(models.scope, row.scope));
      await db.batch([
        db.insert(models).values(row),
        db.update(models).set({ active: false }).where(and(scope, eq(models.active, true), eq(models.pinned, false))),
        db
          .update(models)
          .set({ active: true, activatedAtMs: t })
          .where(and(eq(models.id, row.id), sql`not exists (select 1 from ${models} where ${scope} and ${models.active} = 1)`)),
      ]);
      return (await byId(row.id))!;
    },

    activate,

    /** The version stored just before `current` in its scope (insertion order: rowid), or undefined. */
    previous: (current: ModelRow) =>
      db
        .select()
        .from(models)
        .where(and(eq(models.kind, current.kind), eq(models.scope, current.scope), sql`rowid < (select rowid from ${models} where ${models.id} = ${current.id})`))
        .orderBy(sql`rowid desc`)
        .limit(1)
        .get(),

    /** Newest first (insertion order); `after` is the rowid of the last row of the previous page. */
    list(filter: { scope?: string; kind?: ModelKind; activeOnly?: boolean; limit: number; after?: number }) {
      const where = and(
        filter.scope ? eq(models.scope, filter.scope) : undefined,
        filter.kind ? eq(models.kind, filter.kind) : undefined,
        filter.activeOnly ? eq(models.active, true) : undefined,
        filter.after !== undefined ? sql`rowid < ${filter.after}` : undefined,
      );
      return db.select({ row: models, rowid: sql<number>`rowid` }).from(models).where(where).orderBy(sql`rowid desc`).limit(filter.limit).all();
    },
  };
}

export type ModelRegistry = ReturnType<typeof createModelRegistry>;
