// One session's export (AdminService.ExportSession, the dashboard's "Export JSON" / "Export CSV"):
// everything stored about the session, read in one transaction so the document is consistent.
// Events are exported as stored: timings, key classes and field names, never key values (the
// collector never sends them).
import type { Db } from '../../db/client.ts';

type Row = Record<string, unknown>;

export interface SessionExport {
  session: Row;
  batches: Row[];
  events: Row[];
  scores: Row[];
  securityEvents: Row[];
  labels: Row[];
}

/** Reads the session's rows; undefined when no such session is stored. */
export async function readSessionExport(db: Db, sessionId: string): Promise<SessionExport | undefined> {
  const tx = await db.$client.transaction('read');
  try {
    const q = async (statement: string) => (await tx.execute({ sql: statement, args: [sessionId] })).rows.map((r) => ({ ...r }) as Row);
    const session = await q('select * from sessions where id = ?');
    if (session.length === 0) return undefined;
    return {
      session: session[0]!,
      batches: await q('select batch_id, seq, event_count, payload_sha256, received_at_ms, stored_at_ms from batches where session_id = ? order by seq, received_at_ms'),
      events: await q('select batch_id, idx, type, t, key_class, field, position, x, y, dx, dy, button, pressure, pointer_type, state from events where session_id = ? order by id'),
      scores: await q('select id, batch_id, source, score, decision, judged, model_version, reasons, created_at_ms from scores where session_id = ? order by id'),
      securityEvents: await q('select id, user_id, kind, severity, score, model_version, reasons, batch_id, created_at_ms from security_events where session_id = ? order by id'),
      labels: await q('select label, analyst, note, created_at_ms from session_labels where session_id = ? order by id'),
    };
  } finally {
    tx.close();
  }
}

export const CSV_COLUMNS = ['batch_id', 'seq', 'type', 't', 'key_class', 'field', 'x', 'y', 'decision'] as const;

/**
 * RFC 4180 quoting: a value with a comma, quote, CR or LF is quoted and its quotes doubled. Text
 * that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe:
 * field names and batch ids come from the browser (CSV injection).
 */
export function csvCell(v: unknown, text: boolean): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per event: its batch (id, seq), type, time, key class, field, x, y and the batch's core decision. */
export function sessionCsv(doc: SessionExport): string {
  const seq = new Map(doc.batches.map((b) => [String(b.batch_id), b.seq]));
  // A batch's decision is its newest core score (a retried batch keeps the one it was answered with).
  const decision = new Map<string, unknown>();
  for (const s of doc.scores) if (s.source === 'core' && s.batch_id !== null) decision.set(String(s.batch_id), s.decision);
  const text = new Set(['batch_id', 'type', 'key_class', 'field', 'decision']);
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of doc.events) {
    const id = String(e.batch_id);
    const row: Row = { ...e, seq: seq.get(id), decision: decision.get(id) };
    lines.push(CSV_COLUMNS.map((c) => csvCell(row[c], text.has(c))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
