// Idempotency by (session id, batch id) with a digest of the batch, through the Node edge over HTTP
// (spool included) to a real core, read back from the core's database: a retry is a duplicate stored
// once, other content under the same key a 409, the same id in another session another batch (an id
// posted first by someone else suppresses nothing), and a logged-in batch without its device id is
// refused at the edge instead of being acknowledged and then dead-lettered by the core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { createDb, type Db } from '../../db/client.ts';
import { buildEdge } from '../../edge/build.ts';
import { serveEdge } from '../../edge/node.ts';
import { compileKernelModule } from '../../wasm/node.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { IdentityService } from '../../client/index.ts';
import { grpcTransport, unary } from '../helpers/typed-core.ts';

type Edge = Awaited<ReturnType<typeof serveEdge>>;
const DEVICE = 'device-owner-1';
let dir: string;
let database: TestDb;
let core: RunningCore;
let db: Db;
let edge: Edge;
let login: { sessionId: string; tokens: { accessToken: string } };

const edgeEnv = (spool: string) => ({
  CADENCE_EDGE_AUTH: 'required',
  CADENCE_EDGE_SECRET: 'x'.repeat(40),
  CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`,
  CADENCE_SPOOL_URL: `file:${path.join(dir, spool)}`,
  CADENCE_RATE_IP_PER_MIN: '0',
  CADENCE_RATE_SESSION_PER_MIN: '0',
  CADENCE_RETRY_CAP_MS: '1000',
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-dedup-'));
  database = await testDb(dir);
  core = await serveCore(
    parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url, CADENCE_SCRYPT_N: '1024' }),
    createLogger('silent'),
  );
  db = await createDb(database.url, { migrate: false });
  const grpc = grpcTransport(`127.0.0.1:${core.grpcPort}`);
  await unary(grpc.transport, IdentityService, 'register')({ email: 'owner@example.com', password: 'correct horse battery', mpin: '4821' });
  login = await unary(grpc.transport, IdentityService, 'login')({ email: 'owner@example.com', password: 'correct horse battery', deviceId: DEVICE });
  grpc.close();
  edge = await serveEdge(edgeEnv('spool.db'), 0);
});

afterAll(async () => {
  await edge?.close();
  db?.$client.close();
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (to: Edge, body: unknown, token?: string) =>
  fetch(`http://127.0.0.1:${to.port}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const anonymous = async (to: Edge = edge): Promise<string> =>
  (await (await fetch(`http://127.0.0.1:${to.port}/v1/session`, { method: 'POST' })).json()).sessionId;
/** The core's rows for a batch id: one per session that stored it. */
const stored = async (batchId: string) =>
  (await db.$client.execute({ sql: 'select session_id, event_count, seq from batches where batch_id = ? order by session_id', args: [batchId] })).rows.map((r) => ({
    sessionId: String(r.session_id),
    events: Number(r.event_count),
    seq: Number(r.seq),
  }));
const storedEvents = async (sessionId: string, batchId: string) =>
  Number((await db.$client.execute({ sql: 'select count(*) as n from events where session_id = ? and batch_id = ?', args: [sessionId, batchId] })).rows[0]!.n);

describe('edge idempotency by (session id, batch id) and content digest, Node edge over HTTP', () => {
  it('answers a retry of the same batch (even with its keys in another order) as duplicate, and the core stores it once', async () => {
    const sessionId = await anonymous();
    const b = batch({ sessionId });
    const first = await post(edge, b);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: true, duplicate: false });
    expect(await (await post(edge, b)).json()).toMatchObject({ accepted: true, duplicate: true });
    // The same batch as another client library would serialise it: keys reversed at every level.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    expect(JSON.stringify(reversed(b))).not.toBe(JSON.stringify(b));
    expect(await (await post(edge, JSON.stringify(reversed(b)))).json()).toMatchObject({ accepted: true, duplicate: true });
    expect(await edge.spool.drained(10_000)).toBe(true);
    expect(await stored(b.batchId)).toEqual([{ sessionId, events: b.events.length, seq: 0 }]);
    expect(await storedEvents(sessionId, b.batchId)).toBe(b.events.length);
  });

  it('refuses the same id with other content with 409 already_exists naming batchId; the first content stays the record', async () => {
    const sessionId = await anonymous();
    const b = batch({ sessionId });
    expect((await post(edge, b)).status).toBe(200);
    for (const other of [{ ...b, events: botTyping() }, { ...b, seq: 1 }, { ...b, context: { ...b.context, page: '/elsewhere' } }]) {
      const res = await post(edge, other);
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({ error: { code: 'already_exists', message: expect.stringContaining(b.batchId), field: 'batchId' } });
    }
    expect(await edge.spool.drained(10_000)).toBe(true);
    expect(await stored(b.batchId)).toEqual([{ sessionId, events: b.events.length, seq: 0 }]);
  });

  it('does not let a bot send every robotic batch under one reused id: each after the first is refused', async () => {
    const sessionId = await anonymous();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(edge, batch({ sessionId, batchId: 'reused-by-a-bot', seq: i, events: botTyping(20 + i) }))).status);
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
  });

  it('an id posted first by another session does not suppress the owner\'s batch: both are stored', async () => {
    // The owner's next batch id is predictable; an anonymous client posts under it first.
    const predictable = `owner-batch-${Date.now()}`;
    const attacker = await anonymous();
    const decoy = batch({ sessionId: attacker, batchId: predictable, events: botTyping() });
    expect(await (await post(edge, decoy)).json()).toMatchObject({ accepted: true, duplicate: false });
    const mine = batch({ sessionId: login.sessionId, batchId: predictable, context: { deviceId: DEVICE, page: '/account' }, events: typing({ seed: 7 }) });
    const res = await post(edge, mine, login.tokens.accessToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: true, duplicate: false });
    // And the other way round: the attacker reusing an id the owner already sent is no collision either.
    const late = batch({ sessionId: await anonymous(), batchId: predictable, events: botTyping(12) });
    expect(await (await post(edge, late)).json()).toMatchObject({ accepted: true, duplicate: false });
    expect(await edge.spool.drained(10_000)).toBe(true);
    expect(await edge.spool.stats()).toMatchObject({ dead: 0 });
    const rows = await stored(predictable);
    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({ sessionId: login.sessionId, events: mine.events.length, seq: 0 });
    expect(rows).toContainEqual({ sessionId: attacker, events: decoy.events.length, seq: 0 });
    expect(await storedEvents(login.sessionId, predictable)).toBe(mine.events.length);
    const session = await db.$client.execute({ sql: 'select batch_count, event_count from sessions where id = ?', args: [login.sessionId] });
    expect(Number(session.rows[0]!.batch_count)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a logged-in batch without context.deviceId at the edge (400 naming the field): nothing is spooled or stored', async () => {
    const before = await edge.spool.stats();
    const noDevice = batch({ sessionId: login.sessionId, context: { page: '/account' } });
    const noContext = { ...batch({ sessionId: login.sessionId }), context: undefined };
    for (const b of [noDevice, noContext]) {
      const res = await post(edge, b, login.tokens.accessToken);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'invalid_batch', message: expect.stringContaining('context.deviceId'), field: 'context.deviceId' } });
    }
    // From its own device it is taken, and stored.
    const ok = batch({ sessionId: login.sessionId, context: { deviceId: DEVICE } });
    expect((await post(edge, ok, login.tokens.accessToken)).status).toBe(200);
    expect(await edge.spool.drained(10_000)).toBe(true);
    const after = await edge.spool.stats();
    expect(after.dead).toBe(before.dead);
    expect(after.delivered).toBe(before.delivered + 1);
    expect(await stored(noDevice.batchId)).toEqual([]);
    expect(await stored(noContext.batchId)).toEqual([]);
    expect(await stored(ok.batchId)).toEqual([{ sessionId: login.sessionId, events: ok.events.length, seq: 0 }]);
  });

  it('across two edge instances (two spools) the core decides: other content under a stored key is refused there and kept as a dead letter with its reason', async () => {
    const second = await serveEdge(edgeEnv('spool-second.db'), 0);
    try {
      const sessionId = await anonymous();
      const b = batch({ sessionId });
      expect((await post(edge, b)).status).toBe(200);
      expect(await edge.spool.drained(10_000)).toBe(true);
      // The second instance never saw the key: it accepts, delivers, and the core refuses for good.
      expect(await (await post(second, b)).json()).toMatchObject({ accepted: true, duplicate: false });
      expect((await post(second, { ...b, events: botTyping() })).status).toBe(409); // its own memory now holds the key
      const reused = batch({ sessionId, batchId: `${b.batchId}-r` });
      expect((await post(edge, reused)).status).toBe(200);
      expect(await edge.spool.drained(10_000)).toBe(true);
      expect((await post(second, { ...reused, events: botTyping() })).status).toBe(200);
      expect(await second.spool.drained(10_000)).toBe(true);
      expect(await second.spool.stats()).toEqual({ pending: 0, delivered: 1, dead: 1 });
      const file = createClient({ url: `file:${path.join(dir, 'spool-second.db')}` });
      const dead = await file.execute({ sql: 'select dead_reason from spool where batch_key = ?', args: [`${sessionId} ${reused.batchId}`] });
      file.close();
      expect(String(dead.rows[0]!.dead_reason)).toMatch(/^already_exists: batch id .* different content/);
      expect(await stored(reused.batchId)).toEqual([{ sessionId, events: reused.events.length, seq: 0 }]);
    } finally {
      await second.close();
    }
  });

  it('without a spool (direct delivery, as workerd without a queue) the core answers: retry duplicate, reuse 409, another session stored', async () => {
    const { app } = await buildEdge(await compileKernelModule(), { ...edgeEnv('unused.db'), CADENCE_EDGE_AUTH: 'off' }, { runtime: 'node', clientIp: () => '203.0.113.9' });
    const send = (b: unknown) => app.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const b = batch();
    expect(await (await send(b)).json()).toMatchObject({ accepted: true, duplicate: false });
    expect(await (await send(b)).json()).toMatchObject({ accepted: true, duplicate: true });
    const reuse = await send({ ...b, events: botTyping() });
    expect(reuse.status).toBe(409);
    expect((await reuse.json()).error).toMatchObject({ code: 'already_exists', field: 'batchId' });
    const elsewhere = batch({ batchId: b.batchId });
    expect(await (await send(elsewhere)).json()).toMatchObject({ accepted: true, duplicate: false });
    expect(await stored(b.batchId)).toEqual(
      [{ sessionId: b.sessionId, events: b.events.length, seq: 0 }, { sessionId: elsewhere.sessionId, events: elsewhere.events.length, seq: 0 }].sort((x, y) => x.sessionId.localeCompare(y.sessionId)),
    );
  });
});
