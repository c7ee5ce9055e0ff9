// Identity attacks across the core's RPCs, over real gRPC: one user reading or ending another's
// session with their own token (GetSessionStatus, VerifyMpin, Logout, Refresh, Revoke), reading
// another's risk (GetSessionRisk, ScoreSession) and data (AdminService without or with a wrong admin
// key), expired, HS256-with-the-public-key and unknown tokens, MPIN brute force, password guessing.
// None may succeed; each must leave its security event (`security_events`, with its kind) and count
// in `cadence_security_events_total{kind}`; no stored event may contain a token, password or key.
// Unrecorded attacks would be listed in the output (and fail the sweep) rather than hidden.
import { createSecretKey } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
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

type EventRow = { kind: string; user_id: string | null; session_id: string | null; severity: string; reasons: string };
async function securityEvents(where = '1=1', args: string[] = []): Promise<EventRow[]> {
  const db = await createDb(h.dbUrl, { migrate: false });
  try {
    return (await db.$client.execute({ sql: `select kind, user_id, session_id, severity, reasons from security_events where ${where} order by id`, args })).rows as any;
  } finally {
    db.$client.close();
  }
}

async function metric(kind: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${h.core.httpPort}/metrics`)).text();
  const m = new RegExp(`cadence_security_events_total\\{kind="${kind}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

/** Runs one attack that must fail and must leave one security event of `kind` (row and metric); returns the gRPC error and the row. */
async function attack(name: string, run: () => Promise<unknown>, expectCodes: number[], kind: string): Promise<{ code: number; details: string; event: EventRow }> {
  tally.attacks++;
  const before = (await securityEvents()).length;
  const counted = await metric(kind);
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
  const added = (await securityEvents()).slice(before);
  if (added.length > 0) tally.recorded++;
  else tally.unrecorded.push(name);
  expect(added.map((e) => e.kind), name).toEqual([kind]);
  expect(await metric(kind), `${name}: metric`).toBe(counted + 1);
  // What is kept about the caller: the RPC and its address, never what it sent.
  expect(added[0]!.reasons, name).toMatch(/"peer:127\.0\.0\.1"/);
  return { ...err, event: added[0]! };
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
    for (const [rpc, call] of [
      ['GetSessionStatus', () => h.identity.getSessionStatus({ accessToken: eveToken, deviceId: 'dev-ana' })],
      ['VerifyMpin', () => h.identity.verifyMpin({ accessToken: eveToken, deviceId: 'dev-ana', mpin: '1357' })],
      ['Logout', () => h.identity.logout({ accessToken: eveToken, deviceId: 'dev-ana' })],
    ] as const) {
      const { event } = await attack(`${rpc} with own token from another device`, call, [status.PERMISSION_DENIED], 'device_mismatch');
      // The token verified, so whose session it was is known and kept.
      expect([event.user_id, event.session_id, event.severity]).toEqual([eve.userId, eve.login.sessionId, 'high']);
      expect(event.reasons).toContain(`rpc:IdentityService/${rpc}`);
    }
    // Eve's token with claims edited to Ana's session (signature no longer valid).
    const [hd, body, sig] = eveToken.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const forged = `${hd}.${Buffer.from(JSON.stringify({ ...claims, sid: ana.login.sessionId, sub: ana.userId })).toString('base64url')}.${sig}`;
    for (const [rpc, call] of [
      ['GetSessionStatus', () => h.identity.getSessionStatus({ accessToken: forged, deviceId: 'dev-1' })],
      ['VerifyMpin', () => h.identity.verifyMpin({ accessToken: forged, deviceId: 'dev-1', mpin: '1357' })],
      ['Logout', () => h.identity.logout({ accessToken: forged, deviceId: 'dev-1' })],
    ] as const) {
      const { event } = await attack(`${rpc} with a token forged for another user's session`, call, [status.UNAUTHENTICATED], 'token_invalid');
      // An unverified token's claims are not trusted: no user or session is named.
      expect([event.user_id, event.session_id]).toEqual([null, null]);
      expect(event.reasons).toContain('bad_signature');
    }
    // alg none with Ana's claims.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, sid: ana.login.sessionId, sub: ana.userId })).toString('base64url')}.`;
    expect((await attack('GetSessionStatus with alg none', () => h.identity.getSessionStatus({ accessToken: none, deviceId: 'dev-1' }), [status.UNAUTHENTICATED], 'token_invalid')).event.reasons).toContain('alg_not_allowed');
    // HS256 signed with the core's public key (the classic algorithm confusion).
    const jwk = JSON.parse((await h.identity.getJwks({})).jwksJson).keys[0];
    const hs = await new SignJWT({ ...claims, sid: ana.login.sessionId, sub: ana.userId })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwk.kid })
      .sign(createSecretKey(Buffer.from(jwk.x, 'base64url')));
    await attack('VerifyMpin with HS256 signed with the public key', () => h.identity.verifyMpin({ accessToken: hs, deviceId: 'dev-1', mpin: '1357' }), [status.UNAUTHENTICATED], 'token_invalid');
    // A made-up refresh token.
    await attack('Refresh with a made-up refresh token', () => h.identity.refresh({ refreshToken: `rt_${'A'.repeat(43)}`, deviceId: 'dev-1' }), [status.UNAUTHENTICATED], 'refresh_invalid');
    // Ana's refresh token used from Eve's device.
    const other = await attack('Refresh with another user\'s refresh token from another device', () => h.identity.refresh({ refreshToken: ana.login.tokens.refreshToken, deviceId: 'dev-eve' }), [status.PERMISSION_DENIED], 'refresh_other_device');
    expect([other.event.user_id, other.event.session_id, other.event.severity]).toEqual([ana.userId, ana.login.sessionId, 'high']);
    // Ana is still fine.
    expect((await h.identity.getSessionStatus({ accessToken: ana.login.tokens.accessToken, deviceId: 'dev-1' })).status).toBe('SESSION_STATUS_ACTIVE');

    // Admin data (another user's export, deletion, session detail) without or with a wrong key.
    for (const [name, call] of [
      ['ExportUserData', (k: string | null) => c.exportUserData({ userId: ana.userId }, k)],
      ['DeleteUserData', (k: string | null) => c.deleteUserData({ userId: ana.userId, deleteAccount: true }, k)],
      ['GetSessionDetail', (k: string | null) => c.getSessionDetail({ sessionId: ana.login.sessionId }, k)],
      ['ListSessions', (k: string | null) => c.listSessions({ userId: ana.userId }, k)],
    ] as const) {
      const none = await attack(`AdminService/${name} without an admin key`, () => call(null), [status.UNAUTHENTICATED], 'admin_denied');
      expect(none.event.reasons).toContain('no_key');
      expect(none.event.reasons).toContain(`rpc:AdminService/${name}`);
      expect((await attack(`AdminService/${name} with a user's access token as the key`, () => call(eveToken), [status.PERMISSION_DENIED], 'admin_denied')).event.reasons).toContain('wrong_key');
    }
    for (const [name, call] of [
      ['Train', (k: string | null) => c.train({ scope: ana.userId }, k)],
      ['Activate', (k: string | null) => c.activate({ id: 'm-1' }, k)],
    ] as const) {
      await attack(`ModelService/${name} without an admin key`, () => call(null), [status.UNAUTHENTICATED], 'admin_denied');
      await attack(`ModelService/${name} with a wrong key`, () => call('not-the-admin-key-0123456789'), [status.PERMISSION_DENIED], 'admin_denied');
    }
    // Ana's data is untouched.
    expect((await h.identity.getSessionStatus({ accessToken: ana.login.tokens.accessToken, deviceId: 'dev-1' })).status).toBe('SESSION_STATUS_ACTIVE');
    const exported = await c.exportUserData({ userId: ana.userId }, ADMIN);
    expect(JSON.stringify(exported)).toContain(ana.userId);
  });

  it('an expired access token is refused and recorded (low severity: clients that forget to refresh look the same)', async () => {
    const ana = await user('ana-expired@example.com');
    h.clock.advance(301_000); // past CADENCE_ACCESS_TOKEN_TTL_S (300), within the 60-minute idle limit
    const { event } = await attack('GetSessionStatus with an expired token', () => h.identity.getSessionStatus({ accessToken: ana.login.tokens.accessToken, deviceId: 'dev-1' }), [status.UNAUTHENTICATED], 'token_expired');
    expect(event.severity).toBe('low');
    expect(event.reasons).toContain('expired');
  });

  it('without CADENCE_SERVICE_API_KEYS (this core) GetSessionRisk is open to whoever reaches the port; keyed mode: service-auth.test.ts', async () => {
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
    const throttledBefore = await metric('login_throttled');
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
    const events = await securityEvents('user_id = ?', [ana.userId]);
    expect(events.filter((e) => e.kind === 'login_failed').length).toBe(5);
    expect(await metric('login_failed')).toBe(before + 5);
    // The 6 attempts refused by the throttle (5 guesses, then the right password) are all counted, but
    // only 3 rows per account, address and minute are stored: an attacker cannot fill the table.
    const throttled = events.filter((e) => e.kind === 'login_throttled');
    expect(throttled.length).toBe(3);
    expect(await metric('login_throttled')).toBe(throttledBefore + 6);
    expect(throttled.every((e) => e.severity === 'medium' && e.reasons.includes('rpc:IdentityService/Login'))).toBe(true);
    tally.recorded += 5 + 5;
    // The next minute: one row says how many were only counted, then recording starts again.
    // (The 30 s lock has run out by then: one more guess is checked and fails, and locks again.)
    h.clock.advance(61_000);
    tally.attacks += 2;
    expect((await rejection(h.identity.login({ email: ana.email, password: 'guess-number-10', deviceId: 'dev-attacker' }))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(h.identity.login({ email: ana.email, password: 'guess-number-11', deviceId: 'dev-attacker' }))).code).toBe(status.RESOURCE_EXHAUSTED);
    const later = (await securityEvents("user_id = ? and kind = 'login_throttled'", [ana.userId])).slice(3);
    expect(later.map((e) => JSON.parse(e.reasons).filter((r: string) => r.startsWith('repeated:')))).toEqual([['repeated:3'], []]);
    expect(await metric('login_throttled')).toBe(throttledBefore + 7);
    expect(await metric('login_failed')).toBe(before + 6);
    tally.recorded += 2;
  });

  it('refresh-token reuse revokes the family, blocks the session and is recorded', async () => {
    const ana = await user('ana-reuse@example.com');
    const first = ana.login.tokens.refreshToken;
    await h.identity.refresh({ refreshToken: first, deviceId: 'dev-1' });
    const before = (await securityEvents("kind = 'refresh_reuse'")).length;
    await attack('refresh token replayed', () => h.identity.refresh({ refreshToken: first, deviceId: 'dev-1' }), [status.UNAUTHENTICATED], 'refresh_reuse');
    expect((await securityEvents("kind = 'refresh_reuse'")).length).toBe(before + 1);
  });
});

describe('the record itself', () => {
  it('no attack went unrecorded or succeeded, and no stored event holds a token, password or key', async () => {
    expect(tally.succeeded).toBe(0);
    expect(tally.unrecorded).toEqual([]);
    const dump = JSON.stringify(await securityEvents());
    for (const secret of [ADMIN, 'correct horse battery', 'guess-number-', 'eyJ', 'rt_', 'not-the-admin-key']) expect(dump).not.toContain(secret);
  });
});
