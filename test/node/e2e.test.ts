// End to end, each tier as its own process: the core (grpc-js + libSQL file), the edge in workerd
// (wrangler dev) and on Node; batches posted over HTTP, read back over native gRPC.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';
import { batch, botTyping } from '../helpers/batches.ts';
import { grpcClients } from '../helpers/grpc-client.ts';

let dir: string;
let core: CoreProcess;
const edges: EdgeProcess[] = [];
let client: ReturnType<typeof grpcClients>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-e2e-'));
  core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`,
    CADENCE_GRPC_PORT: '0',
    CADENCE_HTTP_PORT: '0',
    CADENCE_LOG_LEVEL: 'warn',
  });
  edges.push(...(await Promise.all([startEdge('workerd', { coreUrl: core.httpUrl }), startEdge('node', { coreUrl: core.httpUrl })])));
  client = grpcClients(`127.0.0.1:${core.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await Promise.all(edges.map((e) => e.stop()));
  await core?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const postTo = (edge: EdgeProcess, body: unknown) =>
  fetch(`${edge.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(['workerd', 'node'] as const)('end to end through the %s edge', (runtime) => {
  const edge = () => edges.find((e) => e.runtime === runtime)!;

  it('stores a batch once and reads it back over gRPC', async () => {
    expect(await (await fetch(`${edge().url}/healthz`)).json()).toMatchObject({ runtime, core: 'reachable' });
    const b = batch();
    const first = await postTo(edge(), b);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: true, duplicate: false, decision: 'allow' });
    expect(await (await postTo(edge(), b)).json()).toMatchObject({ accepted: true, duplicate: true });
    const next = batch({ sessionId: b.sessionId, seq: 1 });
    await postTo(edge(), next);
    const risk = await client.getSessionRisk({ sessionId: b.sessionId });
    expect(risk).toMatchObject({ sessionId: b.sessionId, batchCount: '2', eventCount: String(b.events.length + next.events.length) });
    expect(risk.latest.decision).toBe('DECISION_ALLOW');
  });

  it('challenges or blocks a bot and records the decision', async () => {
    const b = batch({ events: botTyping() });
    const res = await (await postTo(edge(), b)).json();
    expect(['challenge', 'block']).toContain(res.decision);
    const risk = await client.getSessionRisk({ sessionId: b.sessionId });
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(risk.latest.decision);
  });

  it('refuses a malformed batch with a 400 naming the field, storing nothing', async () => {
    const b = batch();
    const res = await postTo(edge(), { ...b, events: [{ type: 'keydown', t: 5, keyClass: 'letter' }, { type: 'keyup', t: 'soon', keyClass: 'letter' }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_batch', message: expect.any(String), field: 'events.1.t' } });
    await expect(client.getSessionRisk({ sessionId: b.sessionId })).rejects.toMatchObject({ code: 5 });
  });
});

// A client no one here wrote: Python's grpcio, with stubs generated from proto/ alone.
const python = '/usr/bin/python3';
const hasPythonGrpc =
  existsSync(python) && spawnSync(python, ['-c', 'import grpc, google.protobuf'], { stdio: 'ignore' }).status === 0 && spawnSync('protoc', ['--version']).status === 0;

describe.skipIf(!hasPythonGrpc)('a Python grpcio client built from proto/ only', () => {
  it('reads the stored counts with GetSessionRisk', async () => {
    const b = batch();
    await postTo(edges[0]!, b);
    const script = fileURLToPath(new URL('../clients/get_session_risk.py', import.meta.url));
    const run = spawnSync(python, [script, `127.0.0.1:${core.grpcPort}`, b.sessionId], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const reply = JSON.parse(run.stdout);
    expect(reply).toMatchObject({ session_id: b.sessionId, batch_count: '1', event_count: String(b.events.length) });
    expect(reply.latest.decision).toBe('DECISION_ALLOW');
  });
});
