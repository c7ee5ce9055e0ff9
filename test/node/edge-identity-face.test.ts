// Issue 21 item 1: the browser-facing identity face on the Node edge (/v1/auth/*), over real sockets
// with a real core behind it, driven with HTTP only as a page or an outside client would: register,
// login (refresh token in an HttpOnly cookie), a bot's batches raise verify_mpin, three wrong MPINs
// lock, an unlock lets the login through, a right MPIN answers a challenge; refresh rotation, logout,
// CORS and CSRF, rate limits, attacks (0 successes), hostile input (0 5xx), and no secret in a log.
import { AdminService, IdentityService, IngestService } from '../../client/index.ts';
import { connectTransport, unary } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { serveEdge } from '../../edge/node.ts';
import WebSocket from 'ws';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';

const ADMIN = 'identity-face-admin-key-0123456789';
const BANK = 'https://bank.example';
const PASSWORD = 'correct horse battery';
// Eight digits (CADENCE_MPIN_LENGTH below): a four-digit MPIN turns up in logs by chance (a port, a duration).
const MPIN = '40719283';
let dir: string;
let database: TestDb;
let core: RunningCore;
let edge: Awaited<ReturnType<typeof serveEdge>>;
let url: string;
const logged: string[] = [];
const secrets: string[] = [PASSWORD, MPIN];
const counts = { requests: 0, fiveXX: 0 };
const realWrite = process.stderr.write.bind(process.stderr);

beforeAll(async () => {
  // Everything the edge and core print, to check that no secret is ever in it.
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (realWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-identity-face-'));
  database = await testDb(dir);
  core = await serveCore(
    parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url, CADENCE_SCRYPT_N: '1024', CADENCE_MPIN_LENGTH: '8', CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_LOG_LEVEL: 'info' }),
    createLogger('info', (line) => void logged.push(line)),
  );
  edge = await serveEdge(
    {
      CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`,
      CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`,
      CADENCE_CORS_ORIGINS: BANK,
      CADENCE_RATE_AUTH_PER_MIN: '100000',
      CADENCE_RATE_AUTH_BURST: '100000',
      CADENCE_RETRY_CAP_MS: '300',
    },
    0,
  );
  url = `http://127.0.0.1:${edge.port}`;
});

afterAll(async () => {
  process.stderr.write = realWrite;
  await edge?.close();
  await core?.stop();
  await database?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  counts.requests++;
  const res = await fetch(url + p, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  if (res.status >= 500) counts.fiveXX++;
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

let n = 0;
async function signUp(deviceId = 'dev-face') {
  const email = `face${++n}-${process.pid}@example.com`;
  expect((await call('POST', '/v1/auth/register', { email, password: PASSWORD, mpin: MPIN })).status).toBe(201);
  const login = await call('POST', '/v1/auth/login', { email, password: PASSWORD, deviceId });
  expect(login.status).toBe(200);
  secrets.push(login.json.accessToken);
  const cookie = login.headers.get('set-cookie')!;
  const refresh = /__Secure-cadence-refresh=([^;]+)/.exec(cookie)![1]!;
  secrets.push(refresh);
  let seq = 0;
  const auth = { authorization: `Bearer ${login.json.accessToken}` };
  return {
    email, deviceId, cookie, refresh, login: login.json, auth,
    status: () => call('GET', '/v1/auth/session', undefined, { ...auth, 'x-device-id': deviceId }),
    mpin: (mpin: string) => call('POST', '/v1/auth/mpin', { mpin, deviceId }, auth),
    send: (events = typing()) => call('POST', '/v1/events', batch({ sessionId: login.json.sessionId, seq: seq++, events, context: { deviceId } }), auth),
  };
}

/** Delivery to the core is asynchronous: wait until the session's status says `action`. */
async function until(s: Awaited<ReturnType<typeof signUp>>, action: string) {
  let last: any;
  for (let i = 0; i < 100; i++) {
    last = (await s.status()).json;
    if (last?.requiredAction === action) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`requiredAction never became ${action}: ${JSON.stringify(last)}`);
}

describe('the identity face, from outside with HTTP only', () => {
  it('logs in with the refresh token in an HttpOnly Secure SameSite cookie, never in the body', async () => {
    const s = await signUp();
    expect(s.cookie).toMatch(/HttpOnly/i);
    expect(s.cookie).toMatch(/Secure/i);
    expect(s.cookie).toMatch(/SameSite=Strict/i);
    expect(s.cookie).toMatch(/Path=\/v1\/auth/);
    expect(s.login).toMatchObject({ sessionId: expect.any(String), userId: expect.any(String), tokenType: 'Bearer' });
    expect(JSON.stringify(s.login)).not.toContain(s.refresh);
    expect((await s.status()).json).toMatchObject({ status: 'active', requiredAction: 'none', severity: 'none', mpinAttemptsLeft: 3, standing: 'allow' });
  });

  it("a bot's batches raise verify_mpin; three wrong MPINs lock; an unlock lets the login through", async () => {
    const s = await signUp();
    const answer = await s.send(botTyping());
    expect(answer.json).toMatchObject({ accepted: true, standing: 'challenge', requiredAction: 'verify_mpin' });
    expect(await until(s, 'verify_mpin')).toMatchObject({ status: 'challenged', standing: 'challenge', severity: 'medium' });
    const w1 = await s.mpin('00000000');
    expect([w1.status, w1.json.error.code]).toEqual([401, 'wrong_mpin']);
    expect(w1.json.error.message).toMatch(/2 attempts left/);
    expect((await s.mpin('11111111')).status).toBe(401);
    const w3 = await s.mpin('99999999');
    expect([w3.status, w3.json.error.code]).toEqual([403, 'locked']);
    expect((await s.status()).json).toMatchObject({ status: 'locked', requiredAction: 'contact_support', standing: 'locked' });
    const refused = await call('POST', '/v1/auth/login', { email: s.email, password: PASSWORD, deviceId: s.deviceId });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const unlockAccount = unary(connectTransport(`http://127.0.0.1:${core.httpPort}`).transport, AdminService, 'unlockAccount');
    expect(await unlockAccount({ userId: s.login.userId, reason: 'test' }, { headers: { 'x-api-key': ADMIN } })).toMatchObject({ unlocked: true });
    expect((await call('POST', '/v1/auth/login', { email: s.email, password: PASSWORD, deviceId: s.deviceId })).status).toBe(200);
  });

  it('a right MPIN answers the challenge, at the core and at the edge', async () => {
    const s = await signUp();
    expect((await s.send(botTyping())).json.standing).toBe('challenge');
    await until(s, 'verify_mpin');
    const ok = await s.mpin(MPIN);
    expect([ok.status, ok.json]).toEqual([200, { status: 'active', requiredAction: 'none' }]);
    expect((await s.status()).json).toMatchObject({ status: 'active', requiredAction: 'none', standing: 'allow' });
    expect((await s.send()).json).toMatchObject({ standing: 'allow', requiredAction: 'none' });
  });

  it('rotates the refresh cookie; a reused one is refused and dropped; logout clears it', async () => {
    const s = await signUp();
    const cookie = `__Secure-cadence-refresh=${s.refresh}`;
    const r1 = await call('POST', '/v1/auth/refresh', { deviceId: s.deviceId }, { cookie });
    expect(r1.status).toBe(200);
    expect(r1.json.accessToken).toEqual(expect.any(String));
    const rotated = /__Secure-cadence-refresh=([^;]+)/.exec(r1.headers.get('set-cookie')!)![1]!;
    secrets.push(rotated, r1.json.accessToken);
    expect(rotated).not.toBe(s.refresh);
    const reuse = await call('POST', '/v1/auth/refresh', { deviceId: s.deviceId }, { cookie });
    expect(reuse.status).toBe(401);
    expect(reuse.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call('POST', '/v1/auth/refresh', { deviceId: s.deviceId })).status).toBe(401);
    const out = await call('POST', '/v1/auth/logout', { deviceId: s.deviceId }, { authorization: `Bearer ${r1.json.accessToken}` });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});

describe("the stream follows the core's standing (item 2)", () => {
  // The answer, or the refusal (a wrong MPIN), through client/'s typed Connect client.
  const coreCall = (service: 'IngestService' | 'IdentityService', method: string, body: unknown): Promise<any> =>
    unary(connectTransport(`http://127.0.0.1:${core.httpPort}`).transport, { IngestService, IdentityService }[service], method)(body).catch((e: unknown) => e);

  it('pushes a challenge the core raised, its MPIN answer and a lock, each within about a second', async () => {
    const s = await signUp('dev-stream');
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`);
    const inbox: any[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d) => inbox.push(JSON.parse(String(d))));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    // Generous: the push is polled every 250 ms, and a shared machine can stall it (the time is reported, not asserted).
    const waitFor = async (pred: (m: any) => boolean, ms = 5000) => {
      const start = Date.now();
      while (Date.now() - start < ms) {
        const m = inbox.find(pred);
        if (m) return { m, after: Date.now() - start };
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`nothing matched within ${ms} ms: ${JSON.stringify(inbox.slice(-5))}`);
    };
    const b = batch({ sessionId: s.login.sessionId, seq: 0, events: typing(), context: { deviceId: s.deviceId } });
    ws.send(JSON.stringify({ type: 'batch', token: s.login.accessToken, batch: b }));
    expect((await waitFor((m) => m.type === 'decision')).m).toMatchObject({ source: 'edge', standing: 'allow' });
    await waitFor((m) => m.type === 'standing' && m.standing === 'allow' && m.source === 'core', 3000);

    // A bot's batch reaches the core another way (another edge): this edge never saw it.
    const bot = batch({ sessionId: s.login.sessionId, seq: 1, events: botTyping(), context: { deviceId: s.deviceId } });
    const t0 = Date.now();
    expect((await coreCall('IngestService', 'IngestBatch', { batch: toWireBatch(bot) })).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    const pushed = await waitFor((m) => m.type === 'mpin_required' && m.source === 'core');
    process.stderr.write(`core challenge pushed to the page in ${Date.now() - t0} ms\n`);
    expect(pushed.m).toMatchObject({ standing: 'challenge', requiredAction: 'verify_mpin' });
    // The edge's own answers now carry the core's standing too.
    expect((await s.send()).json).toMatchObject({ source: 'edge', standing: 'challenge', requiredAction: 'verify_mpin' });

    // The MPIN verified at the core directly: the page hears the challenge is answered.
    await coreCall('IdentityService', 'VerifyMpin', { accessToken: s.login.accessToken, deviceId: s.deviceId, mpin: MPIN });
    expect((await waitFor((m) => m.type === 'standing' && m.source === 'core' && m.standing === 'allow' && m.reasons.includes('mpin_verified'))).m.requiredAction).toBe('none');
    expect((await s.send()).json).toMatchObject({ standing: 'allow' });

    // The bot again, at the core: after a verified MPIN its evidence restarted at half the challenge
    // bound, so this window blocks; the page is told and the stream ends.
    await coreCall('IngestService', 'IngestBatch', { batch: toWireBatch(batch({ sessionId: s.login.sessionId, seq: 9, events: botTyping(), context: { deviceId: s.deviceId } })) });
    expect((await waitFor((m) => m.type === 'session_blocked')).m.source).toBe('core');
    expect(await closed).toBe(1008);
    expect((await s.send()).json.error.code).toBe('session_blocked');
  });

  it('pushes an account lock decided at the core, and ends the stream', async () => {
    const s = await signUp('dev-lock');
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`);
    const inbox: any[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d) => inbox.push(JSON.parse(String(d))));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.send(JSON.stringify({ type: 'batch', token: s.login.accessToken, batch: batch({ sessionId: s.login.sessionId, seq: 0, events: typing(), context: { deviceId: s.deviceId } }) }));
    for (let i = 0; i < 100 && !inbox.some((m) => m.type === 'standing'); i++) await new Promise((r) => setTimeout(r, 30));
    for (const wrong of ['00000000', '11111111', '99999999']) await coreCall('IdentityService', 'VerifyMpin', { accessToken: s.login.accessToken, deviceId: s.deviceId, mpin: wrong });
    expect(await closed).toBe(1008);
    expect(inbox.find((m) => m.type === 'account_locked')).toMatchObject({ source: 'core' });
    expect(inbox.find((m) => m.type === 'standing' && m.standing === 'locked')).toMatchObject({ requiredAction: 'contact_support' });
  });
});

describe('CORS and CSRF', () => {
  it('a preflight from an allowed origin succeeds with credentials; from any other origin it is refused', async () => {
    const ok = await call('OPTIONS', '/v1/auth/login', undefined, { origin: BANK, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(BANK);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await call('OPTIONS', '/v1/auth/login', undefined, { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a cross-site POST and a form post (no preflight) before anything reaches the core', async () => {
    const s = await signUp();
    const cookie = `__Secure-cadence-refresh=${s.refresh}`;
    const evil = await call('POST', '/v1/auth/refresh', { deviceId: s.deviceId }, { cookie, origin: 'https://evil.example' });
    expect([evil.status, evil.json.error.code]).toEqual([403, 'origin_not_allowed']);
    const form = await call('POST', '/v1/auth/refresh', `deviceId=${s.deviceId}`, { cookie, 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    // The cookie was not spent by either.
    expect((await call('POST', '/v1/auth/refresh', { deviceId: s.deviceId }, { cookie, origin: BANK })).status).toBe(200);
  });

  it('rate-limits the identity routes per address', async () => {
    const small = await serveEdge({ CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`, CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool2.db')}`, CADENCE_RATE_AUTH_PER_MIN: '1', CADENCE_RATE_AUTH_BURST: '2' }, 0);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`http://127.0.0.1:${small.port}/v1/auth/session`)).status);
      expect(statuses.slice(0, 2)).toEqual([401, 401]);
      expect(statuses.slice(2)).toEqual([429, 429]);
    } finally {
      await small.close();
    }
  });
});

describe('attacks through the identity face (0 successes) and hostile input (0 5xx)', () => {
  it('refuses forged, other-device, missing and malformed credentials', async () => {
    const a = await signUp('dev-a');
    const b = await signUp('dev-b');
    const [h, p, sig] = a.login.accessToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sid: b.login.sessionId })).toString('base64url')}.${sig}`;
    const attacks = [
      call('GET', '/v1/auth/session', undefined, { authorization: `Bearer ${forged}`, 'x-device-id': 'dev-a' }),
      call('GET', '/v1/auth/session', undefined, { ...a.auth, 'x-device-id': 'dev-b' }),
      call('GET', '/v1/auth/session', undefined, { 'x-device-id': 'dev-a' }),
      call('GET', '/v1/auth/session', undefined, { authorization: 'Bearer not.a.jwt', 'x-device-id': 'dev-a' }),
      call('POST', '/v1/auth/mpin', { mpin: MPIN, deviceId: 'dev-a' }, { authorization: `Bearer ${forged}` }),
      call('POST', '/v1/auth/mpin', { mpin: MPIN, deviceId: 'dev-b' }, a.auth),
      call('POST', '/v1/auth/logout', { deviceId: 'dev-b' }, a.auth),
      call('POST', '/v1/auth/refresh', { deviceId: 'dev-b' }, { cookie: `__Secure-cadence-refresh=${a.refresh}` }),
      call('POST', '/v1/auth/refresh', { deviceId: 'dev-a' }, { cookie: '__Secure-cadence-refresh=guessed-token-0123456789' }),
      call('POST', '/v1/auth/login', { email: a.email, password: 'wrong password here', deviceId: 'dev-a' }),
      call('POST', '/v1/auth/register', { email: a.email, password: PASSWORD, mpin: MPIN }),
    ];
    for (const r of await Promise.all(attacks)) {
      expect(r.status, r.text).toBeGreaterThanOrEqual(400);
      expect(r.status, r.text).toBeLessThan(500);
      expect(r.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    // Both sessions are untouched.
    expect((await a.status()).json.status).toBe('active');
    expect((await b.status()).json.status).toBe('active');
  });

  it('answers hostile bodies, headers and methods on every identity route below 500', async () => {
    const routes = ['register', 'login', 'refresh', 'logout', 'mpin', 'session'].map((r) => `/v1/auth/${r}`);
    const bodies = ['', '{', 'null', '[]', '"x"', '1', '{"email":{}}', '{"email":"a@b","password":"x".repeat(9)}', JSON.stringify({ email: 'x'.repeat(5000), password: 'p', mpin: '1', deviceId: 'd' }),
      JSON.stringify({ email: 'a@b.c', password: '\ud800', mpin: '12345678901234567890', deviceId: '../etc' }), JSON.stringify({ deviceId: 'd', extra: 1 }), 'x'.repeat(20_000), `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`];
    for (const r of routes) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']) {
        for (const body of method === 'GET' || method === 'HEAD' ? [undefined] : bodies) {
          const odd: Record<string, string>[] = [{}, { authorization: `Bearer ${'x'.repeat(5000)}` }, { 'x-device-id': '%00' }, { origin: 'null' }, { cookie: `__Secure-cadence-refresh=${'a'.repeat(3000)}` }];
          for (const headers of odd) {
            const a = await call(method, r, body, { 'content-type': 'application/json', ...headers });
            expect(a.status, `${method} ${r} ${String(body).slice(0, 30)}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
          }
        }
      }
    }
    expect(counts.fiveXX).toBe(0);
    process.stdout.write(`edge-identity-face: ${counts.requests} requests, 5xx ${counts.fiveXX}\n`);
  }, 120_000);

  it('never writes a password, MPIN, access or refresh token to a log', () => {
    const all = logged.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const s of secrets) expect(all.includes(s), `a secret (${s.slice(0, 6)}...) is in the logs`).toBe(false);
  });
});
