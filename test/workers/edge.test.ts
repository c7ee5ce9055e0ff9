// The edge Worker inside workerd: its real entry, its .wasm import, forwarding to a real core.
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { toJson } from '@bufbuild/protobuf';
import { createConnectTransport } from '@connectrpc/connect-web';
import { describe, expect, inject, it } from 'vitest';
import { AdminService, createCadenceClients, RiskService, workersFetch } from '../../client/index.ts';
import { createCoreForwarder, encodeRequest } from '../../edge/forward.ts';
import { esIngestRequest } from '../../lib/wire-es.ts';
import { consumeQueue, type QueueProducer } from '../../edge/queue.ts';
import { ingestRequest } from '../../edge/delivery.ts';
import worker from '../../edge/worker.ts';
import kernelModule from '../../wasm/build/kernels.wasm';
import { instantiateKernels } from '../../wasm/kernels.ts';
import { scaledManhattan } from '../../wasm/reference.ts';
import { batch, botTyping, rng } from '../helpers/batches.ts';

const coreUrl = inject('coreUrl');
// The test's own calls to the core: client/'s typed client over connect-web, as a Worker makes them.
const core = createCadenceClients({ transport: createConnectTransport({ baseUrl: coreUrl, fetch: workersFetch }) });
const workerEnv = { ...(env as Record<string, unknown>), CADENCE_CORE_URL: coreUrl, CADENCE_EDGE_AUTH: 'off' };

async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://edge.test${path}`, init), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const post = (body: unknown) =>
  call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('edge in workerd', () => {
  it('gets the kernel as a compiled WebAssembly.Module and matches the TypeScript twin', async () => {
    expect(kernelModule).toBeInstanceOf(WebAssembly.Module);
    const kernels = await instantiateKernels(kernelModule);
    const rand = rng(9);
    const rows = Float64Array.from({ length: 6 * 100 }, () => rand() * 300);
    const mean = Float64Array.from({ length: 6 }, () => rand() * 200);
    const mad = Float64Array.from({ length: 6 }, () => 1 + rand() * 40);
    const a = kernels.scaledManhattan(rows, 6, mean, mad);
    const b = scaledManhattan(rows, 6, mean, mad);
    for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-9);
  });

  it('reports health with the runtime and the reachable core', async () => {
    expect(await (await call('/healthz')).json()).toMatchObject({ status: 'ok', runtime: 'workerd', core: 'reachable' });
  });

  // proto3 JSON of the answer (64-bit counts as strings), {} while the core does not know the session.
  const sessionRisk = (sessionId: string) =>
    core.risk.getSessionRisk({ sessionId }).then((r) => toJson(RiskService.method.getSessionRisk.output, r) as { batchCount?: string; eventCount?: string }, () => ({}));

  it('scores a batch at once, queues it, and the queue consumer stores it in the core', async () => {
    const b = batch();
    const first = await (await post(b)).json();
    expect(first).toMatchObject({ accepted: true, duplicate: false, decision: 'allow', judged: true });
    expect(await (await post(b)).json()).toMatchObject({ accepted: true, duplicate: true });
    let risk: { batchCount?: string; eventCount?: string } = {};
    for (let i = 0; i < 100 && risk.batchCount !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      risk = await sessionRisk(b.sessionId);
    }
    expect(risk).toMatchObject({ batchCount: '1', eventCount: String(b.events.length) });
  });

  it('acks what the core stored, dead-letters what it refuses for good', async () => {
    const good = batch();
    const conflicting = { ...good, seq: 5 }; // same id, other content: ALREADY_EXISTS once the first is stored
    const messages = createMessageBatch('cadence-events', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { batchId: good.batchId, request: ingestRequest(good, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(messages, workerEnv as never);
    expect((await getQueueResult(messages, ctx)).explicitAcks).toEqual(['m1']);
    const second = createMessageBatch('cadence-events', [
      { id: 'm2', timestamp: new Date(), attempts: 1, body: { batchId: good.batchId, request: ingestRequest(conflicting, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) } },
    ]);
    await worker.queue(second, workerEnv as never);
    const result = await getQueueResult(second, createExecutionContext());
    expect(result.explicitAcks).toEqual(['m2']);
    expect(result.retryMessages).toEqual([]);
    expect(await sessionRisk(good.sessionId)).toMatchObject({ batchCount: '1' });
  });

  it('refuses the same (session, id) with other content with 409; the same id in another session is another batch, and the core stores both', async () => {
    const owner = batch();
    const id = owner.batchId;
    // Another session posts under the owner's (predictable) id first.
    const decoy = batch({ batchId: id, events: botTyping() });
    expect(await (await post(decoy)).json()).toMatchObject({ accepted: true, duplicate: false });
    expect(await (await post(owner)).json()).toMatchObject({ accepted: true, duplicate: false });
    // A retry is a duplicate; other content under the owner's key is a 409 naming batchId.
    expect(await (await post(owner)).json()).toMatchObject({ accepted: true, duplicate: true });
    const reuse = await post({ ...owner, events: botTyping() });
    expect(reuse.status).toBe(409);
    expect(await reuse.json()).toEqual({ error: { code: 'already_exists', message: expect.stringContaining(id), field: 'batchId' } });
    // A bot sending every robotic batch under one id: refused after the first.
    const statuses: number[] = [];
    const bot = batch().sessionId;
    for (let i = 0; i < 5; i++) statuses.push((await post(batch({ sessionId: bot, batchId: 'bot-reused', seq: i, events: botTyping(20 + i) }))).status);
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    // The queue consumer delivers both sessions' batches: neither suppresses the other.
    const risks: { batchCount?: string; eventCount?: string }[] = [{}, {}];
    for (let i = 0; i < 100 && !risks.every((r) => r.batchCount === '1'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      risks[0] = await sessionRisk(owner.sessionId);
      risks[1] = await sessionRisk(decoy.sessionId);
    }
    expect(risks[0]).toMatchObject({ batchCount: '1', eventCount: String(owner.events.length) });
    expect(risks[1]).toMatchObject({ batchCount: '1', eventCount: String(decoy.events.length) });
  });

  it('dead-letters, with its reason and without a retry, what the core refuses as a reused id (what another isolate took first)', async () => {
    const first = batch();
    const other = { ...first, events: botTyping() };
    const elsewhere = batch({ batchId: first.batchId }); // the same id in another session
    const forwarder = createCoreForwarder({ coreUrls: [coreUrl], timeoutMs: 3000 });
    const dead: unknown[] = [];
    const deadLetters: QueueProducer = { send: async (body) => void dead.push(body) }; // stands in for the DEAD_LETTERS binding
    const message = (id: string, b: typeof first) => ({
      id, timestamp: new Date(), attempts: 1,
      body: { sessionId: b.sessionId, batchId: b.batchId, request: ingestRequest(b, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) },
    });
    const one = createMessageBatch('cadence-events', [message('d1', first)]);
    await consumeQueue(one.messages, forwarder, deadLetters, () => undefined);
    expect((await getQueueResult(one, createExecutionContext())).explicitAcks).toEqual(['d1']);
    const two = createMessageBatch('cadence-events', [message('d2', other), message('d3', elsewhere), message('d4', first)]);
    await consumeQueue(two.messages, forwarder, deadLetters, () => undefined);
    const result = await getQueueResult(two, createExecutionContext());
    expect([...result.explicitAcks].sort()).toEqual(['d2', 'd3', 'd4']);
    expect(result.retryMessages).toEqual([]);
    expect(dead).toEqual([expect.objectContaining({ sessionId: first.sessionId, batchId: first.batchId, reason: expect.stringMatching(/^already_exists: .*different content/) })]);
    expect(await sessionRisk(first.sessionId)).toMatchObject({ batchCount: '1', eventCount: String(first.events.length) });
    expect(await sessionRisk(elsewhere.sessionId)).toMatchObject({ batchCount: '1', eventCount: String(elsewhere.events.length) });
  });

  it('refuses a logged-in batch without context.deviceId with a 400 naming the field, and takes it from the session\'s device', async () => {
    const email = `workerd-${crypto.randomUUID()}@example.com`;
    await core.identity.register({ email, password: 'correct horse battery', mpin: '4821' });
    const login = await core.identity.login({ email, password: 'correct horse battery', deviceId: 'device-w' });
    const send = (b: unknown) =>
      call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.tokens!.accessToken}` }, body: JSON.stringify(b) });
    for (const context of [{ page: '/account' }, undefined]) {
      const res = await send({ ...batch({ sessionId: login.sessionId }), context });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_batch', message: expect.stringContaining('context.deviceId'), field: 'context.deviceId' } });
    }
    const ok = batch({ sessionId: login.sessionId, context: { deviceId: 'device-w' } });
    expect((await send(ok)).status).toBe(200);
    let risk: { batchCount?: string } = {};
    for (let i = 0; i < 100 && risk.batchCount !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      risk = await sessionRisk(login.sessionId);
    }
    expect(risk).toMatchObject({ batchCount: '1' });
  });

  it('delivers messages in either format (binary bytes, or the proto3 JSON queued before) and dead-letters one that reads as neither', async () => {
    const [binary, json] = [batch(), batch()];
    const assessment = { score: 0, decision: 'allow' as const, modelVersion: 't', reasons: [], judged: false };
    const forwarder = createCoreForwarder({ coreUrls: [coreUrl], timeoutMs: 3000 });
    const dead: unknown[] = [];
    const messages = createMessageBatch('cadence-events', [
      { id: 'f1', timestamp: new Date(), attempts: 1, body: { sessionId: binary.sessionId, batchId: binary.batchId, bytes: encodeRequest(esIngestRequest(binary, assessment, Date.now())) } },
      { id: 'f2', timestamp: new Date(), attempts: 1, body: { sessionId: json.sessionId, batchId: json.batchId, request: ingestRequest(json, assessment, Date.now()) } },
      { id: 'f3', timestamp: new Date(), attempts: 1, body: { sessionId: 's-broken', batchId: 'b-broken', request: { batch: { noSuchField: 1 } } } },
    ]);
    await consumeQueue(messages.messages, forwarder, { send: async (body) => void dead.push(body) }, () => undefined);
    const result = await getQueueResult(messages, createExecutionContext());
    expect([...result.explicitAcks].sort()).toEqual(['f1', 'f2', 'f3']);
    expect(dead).toEqual([expect.objectContaining({ batchId: 'b-broken', reason: expect.stringMatching(/^invalid_argument: the queued request is not an IngestBatchRequest/) })]);
    expect(await sessionRisk(binary.sessionId)).toMatchObject({ batchCount: '1', eventCount: String(binary.events.length) });
    expect(await sessionRisk(json.sessionId)).toMatchObject({ batchCount: '1', eventCount: String(json.events.length) });
  });

  it('retries with backoff while the core is unreachable', async () => {
    const b = batch();
    const messages = createMessageBatch('cadence-events', [
      { id: 'r1', timestamp: new Date(), attempts: 3, body: { batchId: b.batchId, request: ingestRequest(b, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) } },
    ]);
    const unreachable = createCoreForwarder({ coreUrls: ['http://127.0.0.1:9'], timeoutMs: 500 });
    await consumeQueue(messages.messages, unreachable, undefined, () => undefined);
    const result = await getQueueResult(messages, createExecutionContext());
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryMessages[0]!.msgId).toBe('r1'); // the delay comes from backoffMs, tested on its own
  });

  it('issues signed anonymous session ids, serves the collector, and needs an upgrade for the stream', async () => {
    const issued = await call('/v1/session', { method: 'POST' });
    expect(issued.status).toBe(201);
    const { sessionId } = await issued.json();
    expect(sessionId).toMatch(/^anon_/);
    expect((await post(batch({ sessionId }))).status).toBe(200);
    const sdk = await call('/v1/sdk.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toMatch(/javascript/);
    expect(await sdk.text()).toContain('Cadence');
    const stream = await call('/v1/stream');
    expect(stream.status).toBe(426);
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('flags a bot', async () => {
    const res = await (await post(batch({ events: botTyping() }))).json();
    expect(['challenge', 'block']).toContain(res.decision);
  });

  it('refuses a blocked session\'s next batch with 403 session_blocked, and serves the favicon', async () => {
    const sessionId = `blocked-${Date.now()}`;
    let decision = '';
    let seq = 0;
    for (; seq < 12 && decision !== 'block'; seq++) decision = (await (await post(batch({ sessionId, batchId: `b-${seq}`, seq, events: botTyping() }))).json()).decision;
    expect(decision).toBe('block');
    const after = await post(batch({ sessionId, batchId: `b-${seq}`, seq }));
    expect(after.status).toBe(403);
    expect((await after.json()).error.code).toBe('session_blocked');
    const icon = await call('/favicon.ico');
    expect(icon.status).toBe(200);
    await icon.arrayBuffer();
  });

  it.each([
    ['malformed', '{', 400, 'malformed_json'],
    ['no consent', { ...batch(), consent: false }, 403, 'consent_required'],
    ['bad field', { ...batch(), events: [{ type: 'wheel', t: -1 }] }, 400, 'invalid_batch'],
  ])('refuses %s', async (_n, body, status, code) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });
});

describe('batch digests in workerd', () => {
  it('hash the canonical batch to the same hex SHA-256 as on Node', async () => {
    const { canonicalBatch, sha256, sha256Hex, sha256Implementation } = await import('../../lib/batch-digest.ts');
    console.log('workerd sha256 implementation:', sha256Implementation);
    const b = batch({ sessionId: 's-fixed', batchId: 'b-fixed', events: [{ type: 'focus', t: 1 }], context: { page: '/' } });
    expect(canonicalBatch(b)).toBe('{"sessionId":"s-fixed","batchId":"b-fixed","seq":0,"consent":true,"events":[{"type":"focus","t":1}],"context":{"page":"/"}}');
    expect(await sha256(canonicalBatch(b))).toBe(await sha256Hex(canonicalBatch(b)));
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('the identity face in workerd (issue 21)', () => {
  const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('registers, logs in with the refresh token in an HttpOnly cookie, reads the session, refuses a foreign preflight', async () => {
    const email = `workerd-${crypto.randomUUID().slice(0, 8)}@example.com`;
    expect((await json('/v1/auth/register', { email, password: 'correct horse battery', mpin: '1234' })).status).toBe(201);
    const login = await json('/v1/auth/login', { email, password: 'correct horse battery', deviceId: 'dev-w' });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toMatch(/__Secure-cadence-refresh=.+HttpOnly.*Secure.*SameSite=Strict/i);
    const body = (await login.json()) as { accessToken: string; sessionId: string };
    const status = await call('/v1/auth/session', { headers: { authorization: `Bearer ${body.accessToken}`, 'x-device-id': 'dev-w' } });
    expect(await status.json()).toMatchObject({ sessionId: body.sessionId, status: 'active', requiredAction: 'none', standing: 'allow' });
    const foreign = await call('/v1/auth/login', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreign.status).toBe(403);
    const wrong = await json('/v1/auth/mpin', { mpin: '0000', deviceId: 'dev-w' }, { authorization: `Bearer ${body.accessToken}` });
    expect(wrong.status).toBe(401);
  });
});

describe('geolocation in workerd (issue 21)', () => {
  it('passes request.cf country and city with the batch; the core keeps them with the session', async () => {
    const b = batch();
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b), cf: { country: 'JP', city: 'Ōsaka' } };
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('http://edge.test/v1/events', init as RequestInit), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    let session: { batchCount?: string; country?: string; city?: string } = {};
    for (let i = 0; i < 100 && session.batchCount !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const detail = await core.admin.getSessionDetail({ sessionId: b.sessionId }, { headers: { 'x-api-key': 'workers-test-admin-key-0123456789' } }).catch(() => undefined);
      if (detail) session = (toJson(AdminService.method.getSessionDetail.output, detail) as { session: typeof session }).session;
    }
    expect(session).toMatchObject({ batchCount: '1', country: 'JP', city: 'Ōsaka' });
  });
});
