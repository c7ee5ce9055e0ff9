// Issue 21 items 0 and 4 over real gRPC and the dashboard's HTTP face: a session locked by three
// wrong MPINs reports `locked`, the login is refused; UnlockAccount (admin key, audited) lets the
// user in again; ClearSessionStanding lowers a block (audited); the dashboard's buttons do the
// same and refuse a cross-site form.
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'support-test-admin-key-0123456789';
const PASSWORD = 'correct horse battery';
const MPIN = '2468';
let h: Harness;
let c: ReturnType<typeof coreClients>;
let n = 0;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
});
afterAll(async () => {
  c?.close();
  await h?.stop();
});

async function user() {
  const email = `support${++n}-${process.pid}@example.com`;
  const { userId } = await h.identity.register({ email, password: PASSWORD, mpin: MPIN });
  const login = await h.identity.login({ email, password: PASSWORD, deviceId: 'dev-1' });
  let seq = 0;
  return {
    email, userId: userId as string, sessionId: login.sessionId as string,
    auth: { accessToken: login.tokens.accessToken as string, deviceId: 'dev-1' },
    send: (events = typing()) => h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq: seq++, events, context: { deviceId: 'dev-1' } })) }),
  };
}

async function securityEvents(kind: string) {
  const db = await createDb(h.dbUrl, { migrate: false });
  const rows = await db.$client.execute({ sql: 'select user_id, session_id, severity, reasons from security_events where kind = ? order by id', args: [kind] });
  db.$client.close();
  return rows.rows.map((r) => ({ ...(r as unknown as Record<string, unknown>), reasons: JSON.parse(String(r.reasons)) }) as Record<string, any>);
}

async function lockedUser() {
  const u = await user();
  expect((await u.send(botTyping())).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
  for (const wrong of ['0000', '1111', '9999']) await rejection(h.identity.verifyMpin({ ...u.auth, mpin: wrong }));
  return u;
}

describe('UnlockAccount', () => {
  it('reports locked, refuses the login, and unlocks with the admin key, audited; a second unlock changes nothing', async () => {
    const u = await lockedUser();
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).standing).toMatchObject({ level: 'STANDING_LEVEL_LOCKED', requiredAction: 'contact_support', severity: 'high' });
    const flagged = await c.listSessions({ minLevel: 'DECISION_BLOCK', userId: u.userId });
    expect(flagged.sessions.map((s: any) => s.standing.level)).toEqual(['STANDING_LEVEL_LOCKED']);
    expect((await rejection(h.identity.login({ email: u.email, password: PASSWORD, deviceId: 'dev-1' }))).code).toBe(status.FAILED_PRECONDITION);

    expect((await rejection(c.unlockAccount({ userId: u.userId }, null))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(c.unlockAccount({ userId: u.userId }, 'not-the-admin-key-0123456789'))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(c.unlockAccount({ userId: 'no-such-user' }))).code).toBe(status.NOT_FOUND);
    expect((await rejection(c.unlockAccount({ userId: u.userId, reason: 'x'.repeat(201) }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await rejection(c.unlockAccount({ userId: u.userId, reason: 'line\nbreak' }))).code).toBe(status.INVALID_ARGUMENT);

    const r = await c.unlockAccount({ userId: u.userId, reason: 'called support, identity checked' });
    expect(r.unlocked).toBe(true);
    expect(Number(r.lockedAtMs)).toBeGreaterThan(0);
    expect(await c.unlockAccount({ userId: u.userId })).toMatchObject({ unlocked: false, lockedAtMs: '0' });
    const events = (await securityEvents('account_unlocked')).filter((e) => e.user_id === u.userId);
    expect(events).toEqual([{ user_id: u.userId, session_id: null, severity: 'medium', reasons: ['by:ops', 'why:called support, identity checked'] }]);
    // The old session is no longer reported locked; the MPIN counter starts again; the login works.
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    const again = await h.identity.login({ email: u.email, password: PASSWORD, deviceId: 'dev-1' });
    expect((await h.identity.getSessionStatus({ accessToken: again.tokens.accessToken, deviceId: 'dev-1' })).mpinAttemptsLeft).toBe(3);
  });
});

describe('ClearSessionStanding', () => {
  it("lowers an identity session's block to allow and makes it active again, audited with the key's name", async () => {
    const u = await user();
    await u.send(botTyping());
    expect((await u.send(botTyping())).standing.level).toBe('STANDING_LEVEL_BLOCK');
    h.clock.advance(3000);
    expect((await rejection(c.clearSessionStanding({ sessionId: u.sessionId }, null))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(c.clearSessionStanding({ sessionId: 'nope' }))).code).toBe(status.NOT_FOUND);
    const r = await c.clearSessionStanding({ sessionId: u.sessionId, reason: 'a tester' });
    expect(r.before.level).toBe('STANDING_LEVEL_BLOCK');
    expect(r.standing).toMatchObject({ level: 'STANDING_LEVEL_ALLOW', reasons: ['analyst_cleared'], requiredAction: 'none' });
    expect((await h.identity.getSessionStatus(u.auth)).status).toBe('SESSION_STATUS_ACTIVE');
    // The evidence restarted at 0, its signals and fact counts with it.
    const db = await createDb(h.dbUrl, { migrate: false });
    const row = (await db.$client.execute({ sql: 'select evidence_llr, evidence_signals, evidence_facts, evidence_answered from sessions where id = ?', args: [u.sessionId] })).rows[0]!;
    db.$client.close();
    expect({ llr: row.evidence_llr, signals: row.evidence_signals, facts: row.evidence_facts }).toEqual({ llr: 0, signals: '[]', facts: null });
    // What the analyst cleared is answered for the session: the signals before the clear (facts among them are read as never answered).
    expect(JSON.parse(String(row.evidence_answered)).length).toBeGreaterThan(0);
    // A clean batch stays allow, and the next bot window is challenged again.
    h.clock.advance(3000);
    expect((await u.send()).standing.level).toBe('STANDING_LEVEL_ALLOW');
    h.clock.advance(3000);
    expect((await u.send(botTyping())).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    // ScoreSession folds the four windows with the clear between them, as ingest did (before session
    // 18's review it read the clear from the standing's last change, gone by now, and said block).
    expect((await c.scoreSession({ sessionId: u.sessionId })).assessment.decision).toBe('DECISION_CHALLENGE');
    const events = (await securityEvents('standing_cleared')).filter((e) => e.session_id === u.sessionId);
    expect(events).toEqual([{ user_id: u.userId, session_id: u.sessionId, severity: 'medium', reasons: ['by:ops', 'why:a tester', 'was:block'] }]);
  });
});

describe('the dashboard buttons', () => {
  const base = () => `http://127.0.0.1:${h.core.httpPort}`;
  async function signIn(): Promise<string> {
    const res = await fetch(`${base()}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ key: ADMIN }), redirect: 'manual' });
    expect(res.status).toBe(303);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }

  it('unlocks from the session page; a cross-site form is refused and changes nothing', async () => {
    const u = await lockedUser();
    const cookie = await signIn();
    const detail = await (await fetch(`${base()}/dashboard/sessions/${u.sessionId}`, { headers: { cookie } })).text();
    expect(detail).toContain('id="unlock-account"');
    expect(detail).toContain('data-standing="locked"');
    const url = `${base()}/dashboard/users/${u.userId}/unlock?session=${u.sessionId}`;
    const form = new URLSearchParams({ reason: 'from the dashboard' });
    const cross = await fetch(url, { method: 'POST', headers: { cookie, origin: 'https://evil.example' }, body: form, redirect: 'manual' });
    expect(cross.status).toBe(403);
    const crossSite = await fetch(url, { method: 'POST', headers: { cookie, 'sec-fetch-site': 'cross-site' }, body: form, redirect: 'manual' });
    expect(crossSite.status).toBe(403);
    // A browser's form post from a no-referrer page says Origin: null; only Sec-Fetch-Site can vouch for it.
    const unvouched = await fetch(url, { method: 'POST', headers: { cookie, origin: 'null' }, body: form, redirect: 'manual' });
    expect(unvouched.status).toBe(403);
    const noCookie = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
    expect(noCookie.headers.get('location')).toBe('/dashboard/login');
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).standing.level).toBe('STANDING_LEVEL_LOCKED');

    const ok = await fetch(url, { method: 'POST', headers: { cookie, origin: 'null', 'sec-fetch-site': 'same-origin' }, body: form, redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/dashboard/sessions/${u.sessionId}`);
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    expect((await securityEvents('account_unlocked')).find((e) => e.user_id === u.userId)?.reasons).toEqual(['by:ops', 'why:from the dashboard']);
    const after = await (await fetch(`${base()}/dashboard/sessions/${u.sessionId}`, { headers: { cookie } })).text();
    expect(after).toContain('id="clear-standing"');
    const cleared = await fetch(`${base()}/dashboard/sessions/${u.sessionId}/clear-standing`, { method: 'POST', headers: { cookie, origin: base() }, body: form, redirect: 'manual' });
    expect(cleared.status).toBe(303);
    expect((await c.getSessionRisk({ sessionId: u.sessionId })).standing.level).toBe('STANDING_LEVEL_ALLOW');
  });
});
