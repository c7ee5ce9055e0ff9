// The edge app without a server (app.request), against a real core on port 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { buildEdge } from '../../edge/build.ts';
import { parseEdgeConfig } from '../../edge/config.ts';
import { compileKernelModule } from '../../wasm/node.ts';
import { batch, botTyping } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { grpcClients } from '../helpers/grpc-client.ts';

let dir: string;
let database: TestDb;
let core: RunningCore;
let app: Awaited<ReturnType<typeof buildEdge>>['app'];
const node = { runtime: 'node', clientIp: () => '203.0.113.7' };
let client: ReturnType<typeof grpcClients>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-'));
  database = await testDb(dir);
  core = await serveCore(
    parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url }),
    createLogger('silent'),
  );
  ({ app } = await buildEdge(await compileKernelModule(), { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}` }, node));
  client = grpcClients(`127.0.0.1:${core.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request('/v1/events', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('edge app (direct delivery: the answer waits for the core)', () => {
  it('reports health, its model and the core', async () => {
    const res = await app.request('/healthz');
    expect(await res.json()).toMatchObject({ status: 'ok', runtime: 'node', modelVersion: 'population-keystroke-2+automation-1', core: 'reachable', userModels: { models: 0 } });
  });

  it('answers a decision, forwards the batch, and marks a resend as duplicate', async () => {
    const b = batch();
    const res = await post(b);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: true, duplicate: false, decision: 'allow', modelVersion: 'population-keystroke-2+automation-1' });
    expect(body.score).toBeGreaterThanOrEqual(0);
    expect(body.score).toBeLessThan(0.4);
    expect(await (await post(b)).json()).toMatchObject({ accepted: true, duplicate: true });
    const risk = await client.getSessionRisk({ sessionId: b.sessionId });
    expect(risk).toMatchObject({ batchCount: '1', eventCount: String(b.events.length) });
    expect(risk.latestEdge.score).toBeCloseTo(body.score, 6);
  });

  it('challenges or blocks a zero-variance bot', async () => {
    const body = await (await post(batch({ events: botTyping() }))).json();
    expect(['challenge', 'block']).toContain(body.decision);
    expect(body.reasons.length).toBeGreaterThan(0);
  });

  it('refuses every further batch of a session whose answer was block with 403 session_blocked', async () => {
    const sessionId = `blocked-${Date.now()}`;
    let decision = '';
    let seq = 0;
    // A bot's windows, one after another, until the session's evidence says block.
    for (; seq < 12 && decision !== 'block'; seq++) {
      const res = await post(batch({ sessionId, batchId: `b-${seq}`, seq, events: botTyping() }));
      expect(res.status).toBe(200);
      decision = (await res.json()).decision;
    }
    expect(decision).toBe('block');
    const after = await post(batch({ sessionId, batchId: `b-${seq}`, seq }));
    expect(after.status).toBe(403);
    expect((await after.json()).error).toMatchObject({ code: 'session_blocked', field: 'sessionId' });
    // Other sessions go on.
    expect((await post(batch())).status).toBe(200);
  });

  it('serves a favicon (no 404 on the demo pages)', async () => {
    const res = await app.request('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('takes input provenance events and refuses an unknown provenance', async () => {
    const ok = await post(batch({ events: [{ type: 'input', t: 5, field: 'password', state: 'programmatic' }, { type: 'input', t: 9, field: 'amount', state: 'paste' }] }));
    expect(ok.status).toBe(200);
    const bad = await post(batch({ events: [{ type: 'input', t: 5, field: 'password', state: 'hunter2' }] }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_batch', field: 'events.0.state' });
  });

  it.each([
    ['malformed JSON', '{"sessionId":', 400, 'malformed_json', '(body)'],
    ['a wrong type', { ...batch(), seq: 'one' }, 400, 'invalid_batch', 'seq'],
    ['a key value', { ...batch(), events: [{ type: 'keydown', t: 1, keyClass: 'letter', key: 'p' }] }, 400, 'invalid_batch', 'events.0.key'],
    ['NaN-like time', '{"sessionId":"s","batchId":"b-1","seq":0,"consent":true,"events":[{"type":"focus","t":1e999}]}', 400, 'invalid_batch', 'events.0.t'],
    ['no consent', { ...batch(), consent: undefined }, 403, 'consent_required', 'consent'],
    ['consent false', { ...batch(), consent: false }, 403, 'consent_required', 'consent'],
  ])('refuses %s with %i naming the field, and stores nothing', async (_name, body, statusCode, code, field) => {
    const res = await post(body);
    expect(res.status).toBe(statusCode);
    expect((await res.json()).error).toMatchObject({ code, field });
    if (typeof body === 'object') {
      const sessionId = (body as { sessionId: string }).sessionId;
      await expect(client.getSessionRisk({ sessionId })).rejects.toMatchObject({ code: 5 });
    }
  });

  it('refuses bodies over the limit with 413 and other media types with 415', async () => {
    const big = { ...batch(), context: { page: 'x'.repeat(70_000) } };
    expect((await post(big)).status).toBe(413);
    expect((await post(batch(), { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await post(batch(), { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(200); // sendBeacon
  });

  it('answers 404 as JSON for unknown routes', async () => {
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('does not acknowledge a batch the core could not store, and the retry lands once', async () => {
    const { app: down } = await buildEdge(await compileKernelModule(), { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: 'http://127.0.0.1:9', CADENCE_CORE_TIMEOUT_MS: '500' }, node);
    const b = batch();
    const res = await down.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ accepted: false, error: { code: 'unavailable' } });
    expect(await (await down.request('/healthz')).json()).toMatchObject({ core: 'unreachable' });
    expect(await (await post(b)).json()).toMatchObject({ accepted: true, duplicate: false });
  });
});

describe('edge limits and headers', () => {
  const edgeWith = async (env: Record<string, string>, ip = () => '198.51.100.1') =>
    (await buildEdge(await compileKernelModule(), { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`, ...env }, { runtime: 'node', clientIp: ip })).app;
  const send = (a: typeof app, body: unknown, headers: Record<string, string> = {}) =>
    a.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('limits batches per session, with Retry-After, and other sessions go on', async () => {
    const a = await edgeWith({ CADENCE_RATE_SESSION_PER_MIN: '60', CADENCE_RATE_SESSION_BURST: '3' });
    const sessionId = batch().sessionId;
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await send(a, batch({ sessionId, seq: i }))).status);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await send(a, batch({ sessionId, seq: 9 }));
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await limited.json()).error.code).toBe('rate_limited');
    expect((await send(a, batch())).status).toBe(200);
  });

  it('limits batches per client address', async () => {
    const a = await edgeWith({ CADENCE_RATE_IP_PER_MIN: '60', CADENCE_RATE_IP_BURST: '2' });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await send(a, batch())).status);
    expect(codes).toEqual([200, 200, 429]);
  });

  it('answers CORS only for configured origins, and sets security headers', async () => {
    const a = await edgeWith({ CADENCE_CORS_ORIGINS: 'https://bank.example' });
    const ok = await a.request('/v1/events', { method: 'OPTIONS', headers: { origin: 'https://bank.example', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://bank.example');
    const other = await send(a, batch(), { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('x-content-type-options')).toBe('nosniff');
    expect(() => parseEdgeConfig({ CADENCE_CORS_ORIGINS: 'not a url' })).toThrow(/CORS|corsOrigins/);
  });
});
