// Identity at the edge, against a real core: access tokens verified with the core's JWKS and bound
// to their session and device; anonymous session ids that only this edge can mint.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { buildEdge } from '../../edge/build.ts';
import { compileKernelModule } from '../../wasm/node.ts';
import { batch } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { IdentityService } from '../../client/index.ts';
import { grpcTransport, unary } from '../helpers/typed-core.ts';

let dir: string;
let database: TestDb;
let core: RunningCore;
let login: { sessionId: string; tokens: { accessToken: string } };
const DEVICE = 'device-auth-1';

const edge = async (env: Record<string, string> = {}, now?: () => number) => {
  const built = await buildEdge(
    await compileKernelModule(),
    { CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`, CADENCE_EDGE_AUTH: 'required', CADENCE_EDGE_SECRET: 'x'.repeat(40), ...env },
    { runtime: 'node', clientIp: () => '192.0.2.1', now },
  );
  return built.app;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-auth-'));
  database = await testDb(dir);
  core = await serveCore(
    parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url, CADENCE_SCRYPT_N: '1024' }),
    createLogger('silent'),
  );
  const grpc = grpcTransport(`127.0.0.1:${core.grpcPort}`);
  await unary(grpc.transport, IdentityService, 'register')({ email: 'ada@example.com', password: 'correct horse battery', mpin: '4821' });
  login = await unary(grpc.transport, IdentityService, 'login')({ email: 'ada@example.com', password: 'correct horse battery', deviceId: DEVICE });
  grpc.close();
});

afterAll(async () => {
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (app: Awaited<ReturnType<typeof edge>>, body: unknown, token?: string) =>
  app.request('/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('edge identity (CADENCE_EDGE_AUTH=required)', () => {
  it('refuses a session id nobody issued', async () => {
    const res = await post(await edge(), batch());
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'unauthenticated', field: 'sessionId' });
  });

  it('takes batches under an anonymous session id it issued, and refuses a forged one', async () => {
    const app = await edge();
    const issued = await app.request('/v1/session', { method: 'POST' });
    expect(issued.status).toBe(201);
    const { sessionId, expiresAtMs } = await issued.json();
    expect(sessionId).toMatch(/^anon_/);
    expect(expiresAtMs).toBeGreaterThan(Date.now());
    expect((await post(app, batch({ sessionId }))).status).toBe(200);
    const forged = sessionId.slice(0, -2) + (sessionId.endsWith('AA') ? 'AB' : 'AA');
    expect((await post(app, batch({ sessionId: forged }))).status).toBe(401);
    // Another edge with another secret does not accept it either.
    expect((await post(await edge({ CADENCE_EDGE_SECRET: 'y'.repeat(40) }), batch({ sessionId }))).status).toBe(401);
  });

  it('refuses an expired anonymous session id', async () => {
    const app = await edge({ CADENCE_ANON_SESSION_TTL_S: '60' });
    const { sessionId } = await (await app.request('/v1/session', { method: 'POST' })).json();
    const [, nonce, , tag] = sessionId.split('_');
    const past = (Math.floor(Date.now() / 1000) - 10).toString(36);
    expect((await post(app, batch({ sessionId: `anon_${nonce}_${past}_${tag}` }))).status).toBe(401);
  });

  it('takes batches with the core\'s access token for their own session and device', async () => {
    const app = await edge();
    const res = await post(app, batch({ sessionId: login.sessionId, context: { deviceId: DEVICE } }), login.tokens.accessToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: true });
  });

  it('refuses a token used for another session or from another device', async () => {
    const app = await edge();
    const other = await post(app, batch(), login.tokens.accessToken);
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe('session_mismatch');
    const device = await post(app, batch({ sessionId: login.sessionId, context: { deviceId: 'someone-else' } }), login.tokens.accessToken);
    expect(device.status).toBe(403);
    expect((await device.json()).error.code).toBe('device_mismatch');
  });

  it.each([
    ['tampered claims', (t: string) => { const [h, p, s] = t.split('.'); const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()); claims.sub = 'someone-else'; return `${h}.${b64url(JSON.stringify(claims))}.${s}`; }],
    ['alg none', (t: string) => { const [, p] = t.split('.'); return `${b64url(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${p}.`; }],
    ['HS256 keyed with the public key', (t: string) => {
      const [, p] = t.split('.');
      const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }));
      return `${head}.${p}.${createHmac('sha256', 'public-key-material').update(`${head}.${p}`).digest('base64url')}`;
    }],
    ['garbage', () => 'not.a.token'],
  ])('refuses a token with %s', async (_name, forge) => {
    const res = await post(await edge(), batch({ sessionId: login.sessionId }), forge(login.tokens.accessToken));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_token', field: 'authorization' });
  });

  it('says a genuine token has expired once its time is up', async () => {
    const later = await edge({}, () => Date.now() + 24 * 3600_000);
    const res = await post(later, batch({ sessionId: login.sessionId }), login.tokens.accessToken);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('token_expired');
  });

  it('takes the token from the body of a beacon, which cannot send headers, and stores no token', async () => {
    const app = await edge();
    const b = batch({ sessionId: login.sessionId, context: { deviceId: DEVICE } });
    const res = await app.request('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ token: login.tokens.accessToken, ...b }),
    });
    expect(res.status).toBe(200);
    const bad = await post(app, { ...batch({ sessionId: login.sessionId }), token: 42 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('token');
  });

  it('needs no token when auth is off', async () => {
    expect((await post(await edge({ CADENCE_EDGE_AUTH: 'off' }), batch())).status).toBe(200);
  });
});
