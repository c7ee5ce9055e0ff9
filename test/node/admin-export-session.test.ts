// Issue 21 item 6: one session's export over real gRPC (AdminService.ExportSession) and as the
// dashboard's JSON and CSV downloads; the CSV is parsed back (RFC 4180) to check its quoting.
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'export-test-admin-key-0123456789';
const PASSWORD = 'correct horse battery';
let h: Harness;
let c: ReturnType<typeof coreClients>;
const base = () => `http://127.0.0.1:${h.core.httpPort}`;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
});
afterAll(async () => {
  c?.close();
  await h?.stop();
});

// A field name a page could send: a comma, quotes, a line break, and a spreadsheet formula.
const NASTY = '=HYPERLINK("x"),a\nb';

/** A signed-in user's session of two batches (typing, then a bot's typing and a pointer press on NASTY), labelled bot. */
async function exportedSession() {
  const email = `export-${process.pid}-${Date.now()}@example.com`;
  const { userId } = await h.identity.register({ email, password: PASSWORD, mpin: '2468' });
  const login = await h.identity.login({ email, password: PASSWORD, deviceId: 'dev-1' });
  const sessionId = login.sessionId as string;
  const send = (seq: number, events: BatchEvent[]) =>
    h.ingestBatch({ batch: toWireBatch(batch({ sessionId, batchId: `b-${seq}`, seq, events, context: { deviceId: 'dev-1' } })) });
  await send(0, typing({ keys: 20 }));
  await send(1, [...botTyping(), { type: 'pointerdown', t: 5000, x: 12.5, y: -3, button: 0, pointerType: 'mouse', field: NASTY }]);
  await c.labelSession({ sessionId, label: 'SESSION_LABEL_BOT', analyst: 'ana', note: 'scripted' });
  return { userId: userId as string, sessionId };
}

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  expect(cell).toBe(''); // the file ends with a line break
  return rows;
}

describe('AdminService.ExportSession', () => {
  it('exports the session row with its standing, batches, events as stored, scores and labels', async () => {
    const s = await exportedSession();
    const r = await c.exportSession({ sessionId: s.sessionId });
    expect(r).toMatchObject({ sessionId: s.sessionId, batches: '2', events: String(40 + 60 + 1) });
    const doc = JSON.parse(r.document);
    expect(doc.exportedFor).toBe(s.sessionId);
    expect(doc.session).toMatchObject({ id: s.sessionId, user_id: s.userId, batch_count: 2, event_count: 101 });
    expect(doc.session.standing).not.toBe('allow'); // the bot's batch raised it, and it sticks
    expect(doc.reportedStanding).toBe(doc.session.standing === 'block' ? 'block' : 'challenge');
    expect(typeof doc.session.evidence_llr).toBe('number');
    expect(doc.batches.map((b: any) => [b.batch_id, b.seq])).toEqual([['b-0', 0], ['b-1', 1]]);
    expect(doc.events).toHaveLength(101);
    expect(doc.events.at(-1)).toMatchObject({ batch_id: 'b-1', type: 'pointerdown', t: 5000, x: 12.5, y: -3, field: NASTY });
    expect(Object.keys(doc.events[0]).sort()).toEqual(['batch_id', 'button', 'dx', 'dy', 'field', 'idx', 'key_class', 'pointer_type', 'position', 'pressure', 'state', 't', 'type', 'x', 'y']);
    const core = doc.scores.filter((x: any) => x.source === 'core');
    expect(core.map((x: any) => x.batch_id)).toEqual(['b-0', 'b-1']);
    expect(Number(r.scores)).toBe(doc.scores.length);
    expect(doc.labels).toEqual([expect.objectContaining({ label: 'bot', analyst: 'ana', note: 'scripted' })]);
  });

  it('names the field of a bad or unknown session id, and needs the admin key', async () => {
    for (const sessionId of ['', 'has space', 'x'.repeat(129)]) {
      const e = await rejection(c.exportSession({ sessionId }));
      expect(e.code).toBe(status.INVALID_ARGUMENT);
      expect(e.details).toContain('sessionId');
    }
    const missing = await rejection(c.exportSession({ sessionId: 'no-such-session' }));
    expect(missing.code).toBe(status.NOT_FOUND);
    expect(missing.details).toContain('no-such-session');
    expect((await rejection(c.exportSession({ sessionId: 'no-such-session' }, null))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(c.exportSession({ sessionId: 'no-such-session' }, 'not-the-admin-key-0123456789'))).code).toBe(status.UNAUTHENTICATED);
  });
});

describe("the dashboard's Export JSON and Export CSV", () => {
  async function signIn(): Promise<string> {
    const res = await fetch(`${base()}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ key: ADMIN }), redirect: 'manual' });
    expect(res.status).toBe(303);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }

  it('offers both on the session page and downloads them; CSV quoting survives commas, quotes, line breaks and formulas', async () => {
    const s = await exportedSession();
    const cookie = await signIn();
    const page = await (await fetch(`${base()}/dashboard/sessions/${s.sessionId}`, { headers: { cookie } })).text();
    expect(page).toContain(`href="/dashboard/sessions/${s.sessionId}/export.json"`);
    expect(page).toContain(`href="/dashboard/sessions/${s.sessionId}/export.csv"`);

    const json = await fetch(`${base()}/dashboard/sessions/${s.sessionId}/export.json`, { headers: { cookie } });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="session-${s.sessionId}.json"`);
    expect((await json.json()).events).toHaveLength(101);

    const csv = await fetch(`${base()}/dashboard/sessions/${s.sessionId}/export.csv`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(await csv.text());
    expect(rows[0]).toEqual(['batch_id', 'seq', 'type', 't', 'key_class', 'field', 'x', 'y', 'decision']);
    expect(rows).toHaveLength(1 + 101);
    const detail = await c.getSessionDetail({ sessionId: s.sessionId });
    const decisionOf = (batchId: string) => detail.scores.find((x: any) => x.source === 'core' && x.batchId === batchId).assessment.decision.replace('DECISION_', '').toLowerCase();
    expect(rows[1]).toEqual(['b-0', '0', 'keydown', expect.any(String), 'letter', 'username', '', '', decisionOf('b-0')]);
    // The formula is defused with an apostrophe; the rest of the value comes back intact.
    expect(rows.at(-1)).toEqual(['b-1', '1', 'pointerdown', '5000', '', `'${NASTY}`, '12.5', '-3', decisionOf('b-1')]);
    expect(new Set(rows.slice(1).map((r) => r.length))).toEqual(new Set([9]));
  });

  it('needs the sign-in, and names an unknown session', async () => {
    const noCookie = await fetch(`${base()}/dashboard/sessions/anything/export.csv`, { redirect: 'manual' });
    expect(noCookie.status).toBe(303);
    expect(noCookie.headers.get('location')).toBe('/dashboard/login');
    const cookie = await signIn();
    const missing = await fetch(`${base()}/dashboard/sessions/no-such-session/export.json`, { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('no session no-such-session');
    const bad = await fetch(`${base()}/dashboard/sessions/${encodeURIComponent('a b')}/export.csv`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });
});
