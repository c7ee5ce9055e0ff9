// AdminService.LabelSession / GetSessionLabels: analysts label stored sessions genuine, account
// takeover, bot or unsure. Labels are append-only (db/schema.ts sessionLabels): relabelling adds a
// row, so who said what and when stays on record. Behind the admin key like the rest of AdminService.
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sessionLabels, sessions } from '../../db/schema.ts';
import type { LabelRecordInit } from '../../gen/proto/cadence/v1/LabelRecord.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { ServiceHandlers } from '../transport/rpc.ts';

type Label = (typeof sessionLabels.$inferSelect)['label'];
const WIRE: Record<string, Label> = {
  SESSION_LABEL_GENUINE: 'genuine',
  SESSION_LABEL_ACCOUNT_TAKEOVER: 'account_takeover',
  SESSION_LABEL_BOT: 'bot',
  SESSION_LABEL_UNSURE: 'unsure',
};
const TO_WIRE = Object.fromEntries(Object.entries(WIRE).map(([w, l]) => [l, w])) as Record<Label, string>;
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

function record(row: typeof sessionLabels.$inferSelect): LabelRecordInit {
  return { sessionId: row.sessionId, label: TO_WIRE[row.label] as LabelRecordInit['label'], analyst: row.analyst, note: row.note, labelledAtMs: row.createdAtMs };
}

function sessionIdOf(v: string): string {
  if (!v) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId is required', 'sessionId');
  if (!ID.test(v)) throw new CadenceError(Code.INVALID_ARGUMENT, 'sessionId must be 1-128 characters of [A-Za-z0-9._:-]', 'sessionId');
  return v;
}

/** `onLabelled`: after each stored label (automatic retraining checks whether one is due). */
export function labelHandlers(deps: { db: Db; now: () => number; onLabelled?: () => void }): ServiceHandlers {
  const { db } = deps;
  const history = (sessionId: string) => db.select().from(sessionLabels).where(eq(sessionLabels.sessionId, sessionId)).orderBy(desc(sessionLabels.id)).all();
  return {
    async LabelSession(req: { sessionId: string; label: string; analyst: string; note: string }) {
      const sessionId = sessionIdOf(req.sessionId);
      const label = WIRE[String(req.label)];
      if (!label) throw new CadenceError(Code.INVALID_ARGUMENT, 'label must be genuine, account takeover, bot or unsure', 'label');
      const analyst = (req.analyst ?? '').trim();
      if (!analyst || analyst.length > 128) throw new CadenceError(Code.INVALID_ARGUMENT, 'analyst must be 1-128 characters', 'analyst');
      if ((req.note ?? '').length > 1000) throw new CadenceError(Code.INVALID_ARGUMENT, 'note must be at most 1,000 characters', 'note');
      if (!(await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId)).get())) {
        throw new CadenceError(Code.NOT_FOUND, `no session ${sessionId} has been stored`, 'sessionId');
      }
      const previous = await db.select().from(sessionLabels).where(eq(sessionLabels.sessionId, sessionId)).orderBy(desc(sessionLabels.id)).limit(1).get();
      const row = await db.insert(sessionLabels).values({ sessionId, label, analyst, note: req.note ?? '', createdAtMs: deps.now() }).returning().get();
      deps.onLabelled?.();
      return { label: record(row), previous: previous ? record(previous) : null };
    },
    async GetSessionLabels(req: { sessionId: string }) {
      const rows = await history(sessionIdOf(req.sessionId));
      return { current: rows[0] ? record(rows[0]) : null, history: rows.map(record) };
    },
  };
}
