// Service-to-service API keys (CADENCE_SERVICE_API_KEYS): IngestService, RiskService, ModelService's
// reads and GET /v1/models on a core that requires them, over native gRPC and Connect JSON: no key
// (UNAUTHENTICATED / 401), a key this core does not know (UNAUTHENTICATED / 401), an admin key (PERMISSION_DENIED / 403), the right key as x-api-key or
// `authorization: Bearer`; each refusal a `service_denied` security event. An edge configured with
// CADENCE_CORE_API_KEY delivers its batches; one without it does not. Without keys: a warning at start.
// Calls go through client/'s typed clients; raw on purpose: the HTTP rows on status codes, /v1/models and the malformed bodies (the key is checked before a body is read).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { buildEdge } from '../../edge/build.ts';
import { ModelCache } from '../../edge/models.ts';
import { compileKernelModule, loadKernels } from '../../wasm/node.ts';
import { batch } from '../helpers/batches.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { IngestService, RiskService } from '../../client/index.ts';
import { connectTransport, drain, grpcTransport, status, unary, type CallError } from '../helpers/typed-core.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const KEY = 'edge-service-key-0123456789';
const WRONG = 'wrong-service-key-0123456789';
const ADMIN = 'admin-service-auth-0123456789';
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_SERVICE_API_KEYS: `edge:${KEY},bank:another-service-key-0123`, CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` });
  base = `http://127.0.0.1:${h.core.httpPort}`;
});

afterAll(async () => {
  await h?.stop();
});

async function denied(): Promise<{ reasons: string }[]> {
  const db = await createDb(h.dbUrl, { migrate: false });
  try {
    return (await db.$client.execute("select reasons from security_events where kind = 'service_denied' order by id")).rows as any;
  } finally {
    db.$client.close();
  }
}

async function metric(kind: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`cadence_security_events_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

/** IngestService on the native port, sending any headers. */
function ingestClient() {
  const { transport, close } = grpcTransport(`127.0.0.1:${h.core.grpcPort}`);
  const ingestBatch = unary(transport, IngestService, 'ingestBatch');
  return { ingest: (req: unknown, headers: Record<string, string>) => ingestBatch(req, { headers }), close };
}

const wireBatch = () => {
  const b = batch();
  return { batch: { ...b, events: b.events.map((e) => ({ ...e, type: `EVENT_TYPE_${e.type.toUpperCase()}`, keyClass: e.keyClass ? `KEY_CLASS_${e.keyClass.toUpperCase()}` : undefined })) } };
};

describe('native gRPC', () => {
  it('IngestService and RiskService refuse no key and a wrong key, and answer the right one (x-api-key or Bearer)', async () => {
    const ingest = ingestClient();
    const noKey = coreClients(`127.0.0.1:${h.core.grpcPort}`);
    try {
      const before = (await denied()).length;
      const counted = await metric('service_denied');
      const req = wireBatch();
      expect((await rejection(ingest.ingest(req, {}))).code).toBe(status.UNAUTHENTICATED);
      expect((await rejection(ingest.ingest(req, { 'x-api-key': WRONG }))).code).toBe(status.UNAUTHENTICATED); // a key no one has: not identified
      expect((await rejection(ingest.ingest(req, { authorization: 'Bearer' }))).code).toBe(status.UNAUTHENTICATED);
      const ok = await ingest.ingest(req, { 'x-api-key': KEY });
      expect(ok.duplicate).toBe(false);
      expect((await ingest.ingest(req, { authorization: `Bearer ${KEY}` })).duplicate).toBe(true);

      const sessionId = req.batch.sessionId;
      expect((await rejection(noKey.getSessionRisk({ sessionId }, null))).code).toBe(status.UNAUTHENTICATED);
      expect((await rejection(noKey.scoreSession({ sessionId }, WRONG))).code).toBe(status.UNAUTHENTICATED);
      expect((await rejection(noKey.getModel({ id: 'nope' }, null))).code).toBe(status.UNAUTHENTICATED);
      // An admin key is not a service key: its holder is identified, and may not.
      expect((await rejection(noKey.getSessionRisk({ sessionId }, ADMIN))).code).toBe(status.PERMISSION_DENIED);
      expect((await noKey.getSessionRisk({ sessionId }, KEY)).sessionId).toBe(sessionId);
      expect((await noKey.scoreSession({ sessionId }, KEY)).sessionId).toBe(sessionId);

      // Server streaming: refused before the first message.
      const stream = drain(noKey.streamDecisions({ sessionId }));
      const ended = await stream.ended;
      expect([stream.items.length, ended === 'end' ? 'end' : ended.code]).toEqual([0, status.UNAUTHENTICATED]);

      // Each refusal (3 ingest, 4 risk/model, 1 stream) recorded, with the method and the caller's address.
      const added = (await denied()).slice(before);
      expect(added.length).toBe(8);
      expect(await metric('service_denied')).toBe(counted + 8);
      const reasons = added.map((r) => JSON.parse(r.reasons) as string[]);
      expect(reasons[0]).toEqual(['no_key', 'rpc:IngestService/IngestBatch', 'peer:127.0.0.1']);
      expect(reasons[1]).toEqual(['wrong_key', 'rpc:IngestService/IngestBatch', 'peer:127.0.0.1']);
      expect(reasons.flat()).toContain('rpc:RiskService/StreamDecisions');
      expect(JSON.stringify(added)).not.toContain(WRONG);
    } finally {
      ingest.close();
      noKey.close();
    }
  });

  it('Identity and admin calls are not affected: they have their own credentials', async () => {
    const { userId } = await h.identity.register({ email: 'svc-auth@example.com', password: 'correct horse battery', mpin: '1357' });
    expect(userId).toBeTruthy();
    const c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
    try {
      expect((await c.getStats({})).toString()).toBeTruthy();
    } finally {
      c.close();
    }
  });
});

describe('Connect JSON and /v1/models', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses no key and an unknown key (401), another kind of key (403), answers the right one', async () => {
    const before = (await denied()).length;
    const counted = await metric('service_denied');
    const req = wireBatch();
    const none = await post('cadence.v1.IngestService/IngestBatch', req);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'unauthenticated', field: 'x-api-key' });
    // The same through the typed Connect client (401 reads as unauthenticated, 403 as permission denied).
    const { transport } = connectTransport(base);
    const codeOf = (p: Promise<unknown>) => p.then(() => status.OK, (e: CallError) => e.code);
    const ingest = unary(transport, IngestService, 'ingestBatch');
    const risk = unary(transport, RiskService, 'getSessionRisk');
    expect(await codeOf(ingest(req, { headers: { 'x-api-key': WRONG } }))).toBe(status.UNAUTHENTICATED);
    expect(await codeOf(ingest(req, { headers: { 'x-api-key': ADMIN } }))).toBe(status.PERMISSION_DENIED);
    expect(await codeOf(ingest(req, { headers: { authorization: `Bearer ${KEY}` } }))).toBe(status.OK);
    expect(await codeOf(risk({ sessionId: req.batch.sessionId }))).toBe(status.UNAUTHENTICATED);
    expect(await codeOf(risk({ sessionId: req.batch.sessionId }, { headers: { 'x-api-key': KEY } }))).toBe(status.OK);

    const model = (headers: Record<string, string> = {}) => fetch(`${base}/v1/models/active/nobody?kind=user-keystroke`, { headers }).then(async (r) => (await r.body?.cancel(), r.status));
    expect(await model()).toBe(401);
    expect(await model({ 'x-api-key': WRONG })).toBe(401);
    expect(await model({ 'x-api-key': ADMIN })).toBe(403);
    expect(await model({ 'x-api-key': KEY })).toBe(404); // past the guard: there is no such model
    // The key is checked before the body is read: without it, a malformed request is not described.
    const garbage = await fetch(`${base}/cadence.v1.IngestService/IngestBatch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"batch": {"seq": "x"' });
    expect(garbage.status).toBe(401);
    expect(JSON.stringify(await garbage.json())).not.toMatch(/seq|JSON|Content-Type/i);
    expect((await post('cadence.v1.RiskService/ScoreSession', { maxWindows: 'many' }, { 'x-api-key': WRONG })).status).toBe(401);
    expect((await post('cadence.v1.RiskService/ScoreSession', { maxWindows: 'many' }, { 'x-api-key': KEY })).status).toBe(400);
    // The public routes stay public: health and the JWKS.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/.well-known/jwks.json`)).status).toBe(200);

    // 9 refusals, all counted; the 4 IngestBatch ones are not stored: this address already has 3
    // stored rows for IngestBatch this minute (the gRPC test above), the per-key bound.
    expect(await metric('service_denied')).toBe(counted + 9);
    const added = (await denied()).slice(before).map((r) => JSON.parse(r.reasons) as string[]);
    expect(added.map((r) => r[1])).toEqual(['rpc:RiskService/GetSessionRisk', 'rpc:GET /v1/models', 'rpc:GET /v1/models', 'rpc:GET /v1/models', 'rpc:RiskService/ScoreSession']);
    expect(added.every((r) => r.some((x) => x.startsWith('peer:')))).toBe(true);
    expect(added.flat()).toContain('rpc:GET /v1/models');
  });
});

describe('the edge', () => {
  it('with CADENCE_CORE_API_KEY delivers batches and fetches models; without it the core refuses them', async () => {
    const module = await compileKernelModule();
    const env = { CADENCE_CORE_URL: base, CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_MODEL_CACHE_BYTES: '0' };
    const keyed = await buildEdge(module, { ...env, CADENCE_CORE_API_KEY: KEY }, { runtime: 'node', clientIp: () => '192.0.2.1' });
    const bare = await buildEdge(module, env, { runtime: 'node', clientIp: () => '192.0.2.2' });
    const send = (app: typeof keyed.app, b: ReturnType<typeof batch>) =>
      app.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const c = coreClients(`127.0.0.1:${h.core.grpcPort}`, KEY);
    try {
      const sent = [batch(), batch(), batch()];
      for (const b of sent) expect((await send(keyed.app, b)).status).toBe(200);
      for (const b of sent) expect((await c.getSessionRisk({ sessionId: b.sessionId })).batchCount).toBe('1');

      // Without the key the core refuses the hand-off: the edge does not claim the batch accepted, and nothing is stored.
      const refused = batch();
      expect((await send(bare.app, refused)).status).not.toBe(200);
      expect((await rejection(c.getSessionRisk({ sessionId: refused.sessionId }))).code).toBe(status.NOT_FOUND);
    } finally {
      c.close();
    }

    // The edge's model downloads carry the key: past the guard (404: no such user's model) rather than 401.
    const statuses: number[] = [];
    const spy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    };
    const kernels = await loadKernels();
    await new ModelCache({ coreUrls: [base], kernels, apiKey: KEY, fetch: spy, firstLoadBudgetMs: 5000 }).get('nobody');
    await new ModelCache({ coreUrls: [base], kernels, fetch: spy, firstLoadBudgetMs: 5000 }).get('nobody');
    expect(statuses).toEqual([404, 401]);
  });
});

describe('without CADENCE_SERVICE_API_KEYS', () => {
  it('the services stay open and the core warns once at start', async () => {
    const lines: string[] = [];
    const open = await startIdentityCore({}, { logLines: lines });
    try {
      const warnings = lines.filter((l) => l.includes('CADENCE_SERVICE_API_KEYS'));
      expect(warnings.length).toBe(1);
      expect(JSON.parse(warnings[0]!).level).toBe('warn');
      const risk = unary(connectTransport(`http://127.0.0.1:${open.core.httpPort}`).transport, RiskService, 'getSessionRisk');
      expect(await risk({ sessionId: 'nobody' }).then(() => status.OK, (e: CallError) => e.code)).toBe(status.NOT_FOUND);
    } finally {
      await open.stop();
    }
  });
});
