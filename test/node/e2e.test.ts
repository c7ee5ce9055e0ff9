// End to end, each tier as its own process: the core (grpc-js + libSQL file), the edge on workerd
// (the deploy bundle run by Miniflare, and `wrangler dev` as `npm start` runs it) and on Node;
// batches posted over HTTP and the WebSocket, read back over native gRPC.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';
import WebSocket from 'ws';
import { createDb } from '../../db/client.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { SQLD_MODE, testDb, type TestDb } from '../helpers/db.ts';
import { ingestedOk } from '../helpers/metrics.ts';
import { grpcClients } from '../helpers/grpc-client.ts';

let dir: string;
let core: CoreProcess;
let coreEnv: Record<string, string>;
let database: TestDb;
// In the shared-server mode (CADENCE_TEST_DB=sqld) a second core runs on the same database and
// every edge spreads its deliveries over both, as a multi-instance deployment does.
let second: CoreProcess | undefined;
let secondEnv: Record<string, string> | undefined;
const edges: EdgeProcess[] = [];
let client: ReturnType<typeof grpcClients>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-e2e-'));
  // Fixed ports, so that a restarted core is found where the edges expect it.
  coreEnv = {
    CADENCE_DB_URL: (database = await testDb(dir)).url,
    CADENCE_GRPC_PORT: String(await freePort()),
    CADENCE_HTTP_PORT: String(await freePort()),
    CADENCE_LOG_LEVEL: 'warn',
  };
  core = await startCore(coreEnv);
  if (SQLD_MODE) {
    secondEnv = { ...coreEnv, CADENCE_GRPC_PORT: String(await freePort()), CADENCE_HTTP_PORT: String(await freePort()) };
    second = await startCore(secondEnv);
  }
  const coreUrl = [core.httpUrl, ...(second ? [second.httpUrl] : [])].join(',');
  const vars = { CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RETRY_CAP_MS: '2000', CADENCE_CORE_TIMEOUT_MS: '1000' };
  edges.push(
    ...(await Promise.all([
      // The bundle `wrangler deploy` would upload, on workerd; no file watcher reloads it mid-test.
      startEdge('workerd-direct', { coreUrl, vars }),
      startEdge('workerd', { coreUrl, vars }),
      startEdge('node', { coreUrl, vars: { ...vars, CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}` } }),
    ])),
  );
  client = grpcClients(`127.0.0.1:${core.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await Promise.all(edges.map((e) => e.stop()));
  await core?.stop();
  await second?.stop();
  await database?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Delivery to the core is asynchronous (spool, queue): wait until the session shows `batches`. */
async function storedRisk(sessionId: string, batches: number, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const risk = await client.getSessionRisk({ sessionId });
      if (Number(risk.batchCount) >= batches) return risk;
      last = risk;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`session ${sessionId} did not reach ${batches} batches: ${JSON.stringify(last)}`);
}

const postTo = (edge: EdgeProcess, body: unknown) =>
  fetch(`${edge.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('end to end through `wrangler dev`, as `npm start` runs the edge', () => {
  it('stores a batch once and reads it back over gRPC', async () => {
    const edge = edges.find((e) => e.runtime === 'workerd')!;
    expect(await (await fetch(`${edge.url}/healthz`)).json()).toMatchObject({ runtime: 'workerd', core: 'reachable' });
    const b = batch();
    expect(await (await postTo(edge, b)).json()).toMatchObject({ accepted: true, duplicate: false, decision: 'allow' });
    expect(await (await postTo(edge, b)).json()).toMatchObject({ accepted: true, duplicate: true });
    expect(await storedRisk(b.sessionId, 1)).toMatchObject({ batchCount: '1', eventCount: String(b.events.length) });
  });
});

describe.each(['workerd-direct', 'node'] as const)('end to end through the %s edge', (runtime) => {
  const edge = () => edges.find((e) => e.runtime === runtime)!;

  it('stores a batch once and reads it back over gRPC', async () => {
    expect(await (await fetch(`${edge().url}/healthz`)).json()).toMatchObject({ runtime: runtime === 'node' ? 'node' : 'workerd', core: 'reachable' });
    const b = batch();
    const first = await postTo(edge(), b);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: true, duplicate: false, decision: 'allow' });
    expect(await (await postTo(edge(), b)).json()).toMatchObject({ accepted: true, duplicate: true });
    const next = batch({ sessionId: b.sessionId, seq: 1 });
    await postTo(edge(), next);
    const risk = await storedRisk(b.sessionId, 2);
    expect(risk).toMatchObject({ sessionId: b.sessionId, batchCount: '2', eventCount: String(b.events.length + next.events.length) });
    expect(risk.latest.decision).toBe('DECISION_ALLOW');
  });

  it('challenges or blocks a bot and records the decision', async () => {
    const b = batch({ events: botTyping() });
    const res = await (await postTo(edge(), b)).json();
    expect(['challenge', 'block']).toContain(res.decision);
    const risk = await storedRisk(b.sessionId, 1);
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(risk.latest.decision);
  });

  it('refuses a malformed batch with a 400 naming the field, storing nothing', async () => {
    const b = batch();
    const res = await postTo(edge(), { ...b, events: [{ type: 'keydown', t: 5, keyClass: 'letter' }, { type: 'keyup', t: 'soon', keyClass: 'letter' }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_batch', message: expect.any(String), field: 'events.1.t' } });
    await expect(client.getSessionRisk({ sessionId: b.sessionId })).rejects.toMatchObject({ code: 5 });
  });

  it('streams decisions over the WebSocket, pushing mpin_required and session_blocked', async () => {
    const ws = new WebSocket(`${edge().url.replace('http', 'ws')}/v1/stream`);
    const inbox: any[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (data) => inbox.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const waitFor = async (pred: (m: any) => boolean) => {
      for (let i = 0; i < 100; i++) {
        const m = inbox.find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no such message in ${JSON.stringify(inbox)}`);
    };
    const human = batch();
    ws.send(JSON.stringify({ type: 'batch', batch: human }));
    expect(await waitFor((m) => m.type === 'ack' && m.batchId === human.batchId)).toMatchObject({ accepted: true, duplicate: false });
    expect(await waitFor((m) => m.type === 'decision' && m.batchId === human.batchId)).toMatchObject({ decision: 'allow', sessionId: human.sessionId });

    ws.send('{"type":');
    expect(await waitFor((m) => m.type === 'error' && m.error.code === 'malformed_json')).toBeTruthy();
    ws.send(JSON.stringify({ type: 'batch', batch: { ...batch(), consent: false } }));
    expect((await waitFor((m) => m.type === 'error' && m.error.code === 'consent_required')).error.field).toBe('batch.consent');
    ws.send(JSON.stringify({ type: 'batch', batch: { ...batch(), seq: -1 } }));
    expect((await waitFor((m) => m.type === 'error' && m.error.code === 'invalid_batch')).error.field).toBe('batch.seq');

    // Keys held 5-15 ms (no finger holds a key that briefly): one window is monitor, the same again
    // in the session's next window challenges...
    const quick = typing({ hold: 8, gap: 120, jitter: 0.4, seed: 5 });
    const steady = batch({ events: quick });
    ws.send(JSON.stringify({ type: 'batch', batch: steady }));
    const firstAnswer = await waitFor((m) => m.type === 'decision' && m.batchId === steady.batchId);
    expect(firstAnswer, JSON.stringify({ firstAnswer, quick: quick.slice(0, 6) })).toMatchObject({ decision: 'monitor', reasons: expect.arrayContaining(['implausible_holds']) });
    const again = batch({ sessionId: steady.sessionId, seq: 1, events: quick });
    ws.send(JSON.stringify({ type: 'batch', batch: again }));
    expect(await waitFor((m) => m.type === 'mpin_required' && m.sessionId === steady.sessionId)).toMatchObject({ score: expect.any(Number) });
    // ...and zero-interval typing in the same session (three facts at once) blocks it, which also closes the stream.
    const bot = batch({ sessionId: steady.sessionId, seq: 2, events: botTyping() });
    ws.send(JSON.stringify({ type: 'batch', batch: bot }));
    expect(await waitFor((m) => m.type === 'session_blocked' && m.sessionId === bot.sessionId)).toMatchObject({ reasons: expect.any(Array) });
    expect(await closed).toBe(1008);
  });

  it('bounds WebSocket messages and needs an upgrade', async () => {
    expect((await fetch(`${edge().url}/v1/stream`)).status).toBe(426);
    const ws = new WebSocket(`${edge().url.replace('http', 'ws')}/v1/stream`);
    const inbox: any[] = [];
    ws.on('message', (data) => inbox.push(JSON.parse(String(data))));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'batch', batch: { ...batch(), context: { page: 'x'.repeat(70_000) } } }));
    expect(await closed).toBe(1009);
    expect(inbox.some((m) => m.type === 'error' && m.error.code === 'message_too_large')).toBe(true);
  });

  it('acknowledges 1,000 batches while the core is down and stores each exactly once after it returns', async () => {
    await Promise.all([core.stop(), second?.stop()]);
    const tag = `outage-${runtime}`;
    const batches = Array.from({ length: 1000 }, (_, i) => batch({ sessionId: `${tag}-${i % 50}`, seq: i, events: typing({ keys: 8, seed: i }) }));
    for (let i = 0; i < batches.length; i += 50) {
      const answers = await Promise.all(batches.slice(i, i + 50).map((b) => postTo(edge(), b)));
      for (const res of answers) expect(await res.json()).toMatchObject({ accepted: true, duplicate: false });
    }
    expect(await (await postTo(edge(), batches[3])).json()).toMatchObject({ accepted: true, duplicate: true });
    core = await startCore(coreEnv);
    if (secondEnv) second = await startCore(secondEnv);
    const perSession = 1000 / 50;
    for (let s = 0; s < 50; s++) {
      const risk = await storedRisk(`${tag}-${s}`, perSession, 90_000);
      expect(risk.batchCount).toBe(String(perSession)); // exactly once: no batch stored twice
    }
    const db = await createDb(coreEnv.CADENCE_DB_URL!, { migrate: false });
    const rows = await db.$client.execute({ sql: 'select count(*) as n, count(distinct batch_id) as d from batches where session_id like ?', args: [`${tag}-%`] });
    db.$client.close();
    expect(Number(rows.rows[0]!.n)).toBe(1000);
    expect(Number(rows.rows[0]!.d)).toBe(1000);
    // Two cores on one database: both took part in storing the backlog.
    if (second) for (const c of [core, second]) expect(await ingestedOk(c)).toBeGreaterThan(0);
  }, 180_000);
});

// A client no one here wrote: Python's grpcio, with stubs generated from proto/ alone.
const python = '/usr/bin/python3';
const hasPythonGrpc =
  existsSync(python) && spawnSync(python, ['-c', 'import grpc, google.protobuf'], { stdio: 'ignore' }).status === 0 && spawnSync('protoc', ['--version']).status === 0;

describe.skipIf(!hasPythonGrpc)('a Python grpcio client built from proto/ only', () => {
  it('reads the stored counts with GetSessionRisk', async () => {
    const b = batch();
    await postTo(edges[0]!, b);
    await storedRisk(b.sessionId, 1);
    const script = fileURLToPath(new URL('../clients/get_session_risk.py', import.meta.url));
    const run = spawnSync(python, [script, `127.0.0.1:${core.grpcPort}`, b.sessionId], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const reply = JSON.parse(run.stdout);
    expect(reply).toMatchObject({ session_id: b.sessionId, batch_count: '1', event_count: String(b.events.length) });
    expect(reply.latest.decision).toBe('DECISION_ALLOW');
  });
});
