// Identity over real gRPC: register, login, EdDSA access tokens checked against the JWKS, refresh
// rotation and reuse detection, revoke, validation and login throttling.
import { status } from '../helpers/typed-core.ts';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch } from '../helpers/batches.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

let h: Harness;
let n = 0;
const email = () => `user${++n}-${process.pid}@example.com`;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_LOGIN_MAX_FAILURES: '3', CADENCE_LOGIN_LOCK_SECONDS: '30' });
});
afterAll(async () => {
  await h?.stop();
});

async function registered(mail = email()) {
  const { userId } = await h.identity.register({ email: mail, password: PASSWORD, mpin: '2468' });
  return { mail, userId: userId as string };
}

describe('Register and Login', () => {
  it('registers, logs in and returns an EdDSA access token that verifies against the served JWKS', async () => {
    const { mail, userId } = await registered();
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    const login = await h.identity.login({ email: mail.toUpperCase(), password: PASSWORD, deviceId: 'dev-a' });
    expect(login.userId).toBe(userId);
    expect(login.idleTimeoutS).toBe(3600);
    const { accessToken, refreshToken, tokenType } = login.tokens;
    expect(tokenType).toBe('Bearer');
    expect(refreshToken).toMatch(/^rt_/);
    expect(decodeProtectedHeader(accessToken)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });

    // Over HTTP, as an edge fetches it, and over gRPC: the same public keys, no private parts.
    const res = await fetch(`http://127.0.0.1:${h.core.httpPort}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(JSON.parse((await h.identity.getJwks({})).jwksJson)).toEqual(jwks);

    const remote = createRemoteJWKSet(new URL(`http://127.0.0.1:${h.core.httpPort}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(accessToken, remote, { issuer: 'cadence-core', audience: 'cadence', currentDate: new Date(h.clock.t) });
    expect(payload).toMatchObject({ sub: userId, sid: login.sessionId, did: 'dev-a' });
    expect(payload.exp! - payload.iat!).toBe(300);
    // A token from someone else's key does not pass: the JWKS, not the token, decides.
    await expect(jwtVerify(accessToken, createLocalJWKSet({ keys: [] }), { currentDate: new Date(h.clock.t) })).rejects.toThrow();
  });

  it('stores only scrypt hashes, never the password, MPIN or refresh token', async () => {
    const { mail } = await registered();
    const login = await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-h' });
    const db = await createDb(h.dbUrl, { migrate: false });
    const user = (await db.$client.execute({ sql: 'select * from users where email = ?', args: [mail] })).rows[0]!;
    expect(String(user.password_hash)).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(String(user.mpin_hash)).toMatch(/^scrypt\$/);
    expect(String(user.password_hash)).not.toContain(PASSWORD);
    const other = await registered();
    const otherRow = (await db.$client.execute({ sql: 'select password_hash from users where id = ?', args: [other.userId] })).rows[0]!;
    // Same password, different salt, different hash.
    expect(otherRow.password_hash).not.toBe(user.password_hash);
    const tokens = await db.$client.execute({ sql: 'select token_sha256 from refresh_tokens where session_id = ?', args: [login.sessionId] });
    expect(tokens.rows).toHaveLength(1);
    expect(String(tokens.rows[0]!.token_sha256)).not.toContain(login.tokens.refreshToken);
    const keys = await db.$client.execute('select private_key from signing_keys');
    expect(String(keys.rows[0]!.private_key)).toMatch(/^(plain:|aes-256-gcm:)/);
    db.$client.close();
  });

  it('refuses a taken email with ALREADY_EXISTS and bad input with INVALID_ARGUMENT naming the field', async () => {
    const { mail } = await registered();
    expect((await rejection(h.identity.register({ email: mail, password: PASSWORD, mpin: '1111' }))).code).toBe(status.ALREADY_EXISTS);
    const cases: [unknown, RegExp][] = [
      [{ password: PASSWORD, mpin: '1234' }, /^email: email is required/],
      [{ email: 'not-an-email', password: PASSWORD, mpin: '1234' }, /^email: email is not a valid address/],
      [{ email: email(), password: 'short', mpin: '1234' }, /^password: password must be at least 10/],
      [{ email: email(), password: PASSWORD, mpin: '12a4' }, /^mpin: mpin must be exactly 4 digits/],
      [{ email: email(), password: PASSWORD, mpin: '12345' }, /^mpin: mpin must be exactly 4 digits/],
    ];
    for (const [req, message] of cases) {
      const err = await rejection(h.identity.register(req));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.details).toMatch(message);
    }
    const noDevice = await rejection(h.identity.login({ email: mail, password: PASSWORD }));
    expect([noDevice.code, noDevice.details]).toEqual([status.INVALID_ARGUMENT, 'deviceId: deviceId is required']);
  });

  it('answers a wrong password or unknown email with UNAUTHENTICATED, then throttles (account, device) with a retry hint', async () => {
    const { mail } = await registered();
    const wrong = await rejection(h.identity.login({ email: mail, password: 'wrong password!', deviceId: 'dev-t' }));
    expect([wrong.code, wrong.details]).toEqual([status.UNAUTHENTICATED, 'wrong email or password']);
    const unknown = await rejection(h.identity.login({ email: email(), password: PASSWORD, deviceId: 'dev-u' }));
    expect([unknown.code, unknown.details]).toEqual([status.UNAUTHENTICATED, 'wrong email or password']);
    await rejection(h.identity.login({ email: mail, password: 'wrong password!', deviceId: 'dev-t' }));
    await rejection(h.identity.login({ email: mail, password: 'wrong password!', deviceId: 'dev-t' }));
    // Three failures for this account from this device: now even the right password waits there...
    const locked = await rejection(h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-t' }));
    expect(locked.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(locked.details).toMatch(/too many failed logins for this account from this device: retry in 30 s/);
    // ...but not from another device: the account's own ceiling (4x the per-device limit) is far off.
    expect((await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-t2' })).userId).toBeTruthy();
    h.clock.advance(31_000);
    // The next failure doubles the lock.
    await rejection(h.identity.login({ email: mail, password: 'wrong password!', deviceId: 'dev-t' }));
    expect((await rejection(h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-t' }))).details).toMatch(/retry in 60 s/);
    h.clock.advance(61_000);
    expect((await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-t' })).userId).toBeTruthy();
  });

  it('throttles per device too: one device guessing many accounts', async () => {
    for (let i = 0; i < 3; i++) await rejection(h.identity.login({ email: email(), password: PASSWORD, deviceId: 'dev-guesser' }));
    const { mail } = await registered();
    const err = await rejection(h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-guesser' }));
    expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(err.details).toMatch(/for this device/);
    expect((await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-honest' })).sessionId).toBeTruthy();
    h.clock.advance(31_000);
  });
});

describe('Refresh, rotation and reuse', () => {
  it('rotates: each refresh token works once and returns a new pair for the same session', async () => {
    const { mail } = await registered();
    const login = await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-r' });
    h.clock.advance(60_000);
    const first = await h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'dev-r' });
    expect(first.sessionId).toBe(login.sessionId);
    expect(first.tokens.refreshToken).not.toBe(login.tokens.refreshToken);
    expect(first.tokens.accessToken).not.toBe(login.tokens.accessToken);
    const second = await h.identity.refresh({ refreshToken: first.tokens.refreshToken, deviceId: 'dev-r' });
    expect(second.sessionId).toBe(login.sessionId);
    const status_ = await h.identity.getSessionStatus({ accessToken: second.tokens.accessToken, deviceId: 'dev-r' });
    expect(status_.status).toBe('SESSION_STATUS_ACTIVE');
  });

  it('revokes the whole family when a rotated token is reused', async () => {
    const { mail } = await registered();
    const login = await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-r2' });
    const rotated = await h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'dev-r2' });
    // The thief replays the old token.
    const reuse = await rejection(h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'dev-r2' }));
    expect(reuse.code).toBe(status.UNAUTHENTICATED);
    expect(reuse.details).toMatch(/already used: every token of this login is now revoked/);
    // The legitimate holder's newer token is dead too, and the session is blocked.
    const after = await rejection(h.identity.refresh({ refreshToken: rotated.tokens.refreshToken, deviceId: 'dev-r2' }));
    expect([after.code, after.details]).toEqual([status.UNAUTHENTICATED, 'refreshToken: this refresh token was revoked: log in again']);
    const s = await h.identity.getSessionStatus({ accessToken: rotated.tokens.accessToken, deviceId: 'dev-r2' });
    expect(s).toMatchObject({ status: 'SESSION_STATUS_BLOCKED', requiredAction: 'REQUIRED_ACTION_LOGIN' });
    // The standing says why (before: the reasons of the level before it, none here, an MPIN's elsewhere).
    const db = await createDb(h.dbUrl, { migrate: false });
    const row = (await db.$client.execute({ sql: 'select standing, standing_reasons from sessions where id = ?', args: [login.sessionId] })).rows[0]!;
    db.$client.close();
    expect({ standing: row.standing, reasons: JSON.parse(String(row.standing_reasons)) }).toEqual({ standing: 'block', reasons: ['refresh_token_reuse'] });
  });

  it('Revoke ends the family; unknown tokens are NOT_FOUND or UNAUTHENTICATED', async () => {
    const { mail } = await registered();
    const login = await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-v' });
    await h.identity.revoke({ refreshToken: login.tokens.refreshToken });
    expect((await rejection(h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'dev-v' }))).code).toBe(status.UNAUTHENTICATED);
    expect((await h.identity.getSessionStatus({ accessToken: login.tokens.accessToken, deviceId: 'dev-v' })).status).toBe('SESSION_STATUS_ENDED');
    expect((await rejection(h.identity.revoke({ refreshToken: 'rt_nope' }))).code).toBe(status.NOT_FOUND);
    expect((await rejection(h.identity.refresh({ refreshToken: 'rt_nope', deviceId: 'dev-v' }))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(h.identity.revoke({}))).details).toBe('refreshToken: refreshToken is required');
  });

  it('refuses refresh tokens past their lifetime and access tokens past theirs', async () => {
    const { mail } = await registered();
    const login = await h.identity.login({ email: mail, password: PASSWORD, deviceId: 'dev-x' });
    h.clock.advance(301_000);
    const expired = await rejection(h.identity.getSessionStatus({ accessToken: login.tokens.accessToken, deviceId: 'dev-x' }));
    expect([expired.code, expired.details]).toEqual([status.UNAUTHENTICATED, 'accessToken: the access token has expired: get a new one with Refresh']);
    const bogus = await rejection(h.identity.getSessionStatus({ accessToken: 'a.b.c', deviceId: 'dev-x' }));
    expect(bogus.code).toBe(status.UNAUTHENTICATED);
    // Rotation keeps an active session going: each refresh issues a fresh 12-hour token.
    const rotated = await h.identity.refresh({ refreshToken: login.tokens.refreshToken, deviceId: 'dev-x' });
    // Behaviour batches keep the session active while the held refresh token ages past 12 hours.
    for (let i = 0; i < 14; i++) {
      h.clock.advance(55 * 60_000);
      await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq: i, context: { deviceId: 'dev-x' } })) });
    }
    const old = await rejection(h.identity.refresh({ refreshToken: rotated.tokens.refreshToken, deviceId: 'dev-x' }));
    expect([old.code, old.details]).toEqual([status.UNAUTHENTICATED, 'refreshToken: this refresh token has expired: log in again']);
  });
});
