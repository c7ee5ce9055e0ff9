// Identity attacks across the core's RPCs, over real gRPC: one user reading or ending another's
// session with their own token (GetSessionStatus, VerifyMpin, Logout, Refresh, Revoke), reading
// another's risk (GetSessionRisk, ScoreSession) and data (AdminService without or with a wrong admin
// key), MPIN brute force, password guessing. None may succeed; what the core records as a security
// event (`security_events`, `cadence_security_events_total`) is checked and counted. Unrecorded
// attacks are listed in the output (and in the README's Reliability section) rather than hidden.
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'admin-attacks-0123456789';
let h: Harness;
let c: ReturnType<typeof coreClients>;
const tally = { attacks: 0, succeeded: 0, recorded: 0, unrecorded: [] as string[] };

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_LOGIN_MAX_FAILURES: '5', CADENCE_MPIN_MAX_FAILURES: '3' });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`);
});

afterAll(async () => {
  process.stdout.write(`attacks-identity: ${tally.attacks} attacks, ${tally.succeeded} succeeded, ${tally.recorded} recorded as security events; not recorded: ${tally.unrecorded.join('; ') || 'none'}\n`);
  c?.close();
  await h?.stop();
});

async function securityEvents(where = '1=1', args: string[] = []): Promise<{ kind: string; user_id: string | null; session_id: string | null }[]> {
  const db = await createDb(h.dbUrl, { migrate: false });
  try {
    return (await db.$client.execute({ sql: `select kind, user_id, session_id from security_events where ${where} order by id`, args })).rows as any;
  } finally {
    db.$client.close();
  }
}

async function metric(kind: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${h.core.httpPort}/metrics`)).text();
  const m = new RegExp(`cadence_security_events_total\\{kind="${kind}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

/** Runs one attack that must fail; returns the gRPC error; notes whether a security event followed. */
async function attack(name: string, run: () => Promise<unknown>, expectCodes: number[]): Promise<{ code: number; details: string }> {
  tally.attacks++;
  const before = (await securityEvents()).length;
  let err: { code: number; details: string };
  try {
    await run();
    tally.succeeded++;
    throw new Error(`attack succeeded: ${name}`);
  } catch (e) {
    err = e as { code: number; details: string };
    if ((e as Error).message?.startsWith('attack succeeded')) throw e;
  }
  expect(expectCodes, `${name}: ${err.code} ${err.details}`).toContain(err.code);
  const after = (await securityEvents()).length;
  if (after > before) tally.recorded++;
  else tally.unrecorded.push(name);
  return err;
}

async function user(email: string) {
  const { userId } = await h.identity.register({ email, password: 'correct horse battery', mpin: '1357' });
  const login = await h.identity.login({ email, password: 'correct horse battery', deviceId: 'dev-1' });
  return { userId, email, login };
}

describe('one user against another', () => {
  it('cannot read, verify, end or refresh another user\'s session, nor read their data', async () => {
    const ana = await user('ana-attacks@example.com');
    const eve = await user('eve-attacks@example.com');
    const eveToken = eve.login.tokens.accessToken;
    // Eve's own valid token presented from Ana's device id: the token is bound to Eve's session and device.
    await attack('GetSessionStatus with own token from another device', () => h.identity.getSessionStatus({ accessToken: eveToken, deviceId: 'dev-ana' }), [status.PERMISSION_DENIED, status.UNAUTHENTICATED]);
    // Eve's token with claims edited to Ana's session (signature no longer valid).
    const [hd, body, sig] = eveToken.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const forged = `${hd}.${Buffer.from(JSON.stringify({ ...claims, sid: ana.login.sessionId, sub: ana.userId })).toString('base64url')}.${sig}`;
    for (const [rpc, call] of [
      ['GetSessionStatus', () => h.identity.getSessionStatus({ accessToken: forged, deviceId: 'dev-1' })],
      ['VerifyMpin', () => h.identity.verifyMpin({ accessToken: forged, deviceId: 'dev-1', mpin: '1357' })],
      ['Logout', () => h.identity.logout({ accessToken: forged, deviceId: 'dev-1' })],
    ] as const) {
      await attack(`${rpc} with a token forged for another user's session`, call, [status.UNAUTHENTICATED]);
    }
    // alg none with Ana's claims.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sid: ana.login.sessionId, sub: ana.userId })).toString('base64url')}.`;
    await attack('GetSessionStatus with alg none', () => h.identity.getSessionStatus({ accessToken: none, deviceId: 'dev-1' }), [status.UNAUTHENTICATED]);
    // Ana's refresh token used from Eve's device.
    await attack('Refresh with another user\'s refresh token from another device', () => h.identity.refresh({ refreshToken: ana.login.tokens.refreshToken, deviceId: 'dev-eve' }), [status.PERMISSION_DENIED]);
    // Ana is still fine.
    expect((await h.identity.getSessionStatus({ accessToken: ana.login.tokens.accessToken, deviceId: 'dev-1' })).status).toBe('SESSION_STATUS_ACTIVE');

    // Admin data (another user's export, deletion, session detail) without or with a wrong key.
    for (const [name, call] of [
      ['ExportUserData', (k: string | null) => c.exportUserData({ userId: ana.userId }, k)],
      ['DeleteUserData', (k: string | null) => c.deleteUserData({ userId: ana.userId, deleteAccount: true }, k)],
      ['GetSessionDetail', (k: string | null) => c.getSessionDetail({ sessionId: ana.login.sessionId }, k)],
      ['ListSessions', (k: string | null) => c.listSessions({ userId: ana.userId }, k)],
    ] as const) {
      await attack(`AdminService/${name} without an admin key`, () => call(null), [status.UNAUTHENTICATED]);
      await attack(`AdminService/${name} with a user's access token as the key`, () => call(eveToken), [status.PERMISSION_DENIED]);
    }
    // Ana's data is untouched.
    expect((await h.identity.getSessionStatus({ accessToken: ana.login.tokens.accessToken, deviceId: 'dev-1' })).status).toBe('SESSION_STATUS_ACTIVE');
    const exported = await c.exportUserData({ userId: ana.userId }, ADMIN);
    expect(JSON.stringify(exported)).toContain(ana.userId);
  });

  it('GetSessionRisk and ScoreSession take no credential at all (documented internal RPCs): noted, not an attack surface test', async () => {
    // These are internal RPCs (native gRPC for internal callers); they answer for any session id.
    // Recorded here so the gap is visible: a caller that reaches the core's gRPC port can read any
    // session's risk. The README says the core is for internal callers; the edge does not expose them.
    const ana = await user('ana-risk@example.com');
    await h.ingestBatch({ batch: { sessionId: ana.login.sessionId, batchId: `risk-${Date.now()}`, seq: 0, consent: true, context: { deviceId: 'dev-1' }, events: [{ type: 'EVENT_TYPE_FOCUS', t: 1 }] } });
    const risk = await c.getSessionRisk({ sessionId: ana.login.sessionId });
    expect(risk.sessionId).toBe(ana.login.sessionId);
  });
});

describe('guessing', () => {
  it('MPIN brute force locks the account after 3 wrong MPINs; each failure and the lock are recorded', async () => {
    const ana = await user('ana-mpin@example.com');
    const token = ana.login.tokens.accessToken;
    const failedBefore = await metric('mpin_failed');
    const lockedBefore = await metric('account_locked');
    const codes: number[] = [];
    for (const pin of ['0000', '1111', '2222', '1357', '3333']) {
      tally.attacks++;
      try {
        await h.identity.verifyMpin({ accessToken: token, deviceId: 'dev-1', mpin: pin });
        if (pin !== '1357') tally.succeeded++;
        codes.push(0);
      } catch (e) {
        codes.push((e as { code: number }).code);
      }
    }
    // Three wrong, then even the right MPIN cannot get in: the account is locked.
    expect(codes.slice(0, 2)).toEqual([status.UNAUTHENTICATED, status.UNAUTHENTICATED]);
    expect(codes[2]).toBe(status.PERMISSION_DENIED);
    expect(codes[3]).not.toBe(0);
    expect(codes[4]).not.toBe(0);
    const events = await securityEvents('user_id = ?', [ana.userId]);
    expect(events.filter((e) => e.kind === 'mpin_failed').length).toBe(3);
    expect(events.filter((e) => e.kind === 'account_locked').length).toBe(1);
    expect(await metric('mpin_failed')).toBe(failedBefore + 3);
    expect(await metric('account_locked')).toBe(lockedBefore + 1);
    tally.recorded += 3;
    // Locked: login with the right password is refused too.
    const err = await rejection(h.identity.login({ email: ana.email, password: 'correct horse battery', deviceId: 'dev-1' }));
    expect(err.code).toBe(status.FAILED_PRECONDITION);
  });

  it('password guessing is throttled after 5 failures; failures are recorded, later guesses get RESOURCE_EXHAUSTED', async () => {
    const ana = await user('ana-guess@example.com');
    const before = await metric('login_failed');
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      tally.attacks++;
      try {
        await h.identity.login({ email: ana.email, password: `guess-number-${i}`, deviceId: 'dev-attacker' });
        tally.succeeded++;
      } catch (e) {
        codes.push((e as { code: number }).code);
      }
    }
    expect(codes.length).toBe(10);
    expect(codes.slice(0, 5).every((x) => x === status.UNAUTHENTICATED)).toBe(true);
    expect(codes.slice(5).every((x) => x === status.RESOURCE_EXHAUSTED)).toBe(true);
    // Even the right password is refused while the lock lasts.
    const right = await rejection(h.identity.login({ email: ana.email, password: 'correct horse battery', deviceId: 'dev-attacker' }));
    expect(right.code).toBe(status.RESOURCE_EXHAUSTED);
    const failed = (await securityEvents('user_id = ?', [ana.userId])).filter((e) => e.kind === 'login_failed').length;
    expect(failed).toBeGreaterThanOrEqual(5);
    expect(await metric('login_failed')).toBeGreaterThanOrEqual(before + 5);
    tally.recorded += failed;
    // Guesses refused by the throttle (RESOURCE_EXHAUSTED) leave no security event of their own.
    if (failed < 10) tally.unrecorded.push(`${10 - failed} password guesses refused by the throttle (RESOURCE_EXHAUSTED)`);
  });

  it('refresh-token reuse revokes the family, blocks the session and is recorded', async () => {
    const ana = await user('ana-reuse@example.com');
    const first = ana.login.tokens.refreshToken;
    await h.identity.refresh({ refreshToken: first, deviceId: 'dev-1' });
    const before = (await securityEvents("kind = 'refresh_reuse'")).length;
    await attack('refresh token replayed', () => h.identity.refresh({ refreshToken: first, deviceId: 'dev-1' }), [status.UNAUTHENTICATED]);
    expect((await securityEvents("kind = 'refresh_reuse'")).length).toBe(before + 1);
    expect(tally.succeeded).toBe(0);
  });
});
