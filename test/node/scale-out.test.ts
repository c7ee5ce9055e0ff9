// Scale-out: two core instances share one libSQL server (sqld); the edge spreads its deliveries
// over both. One core is killed mid-run: every acknowledged batch is still stored exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore, startEdge, startSqld, type CoreProcess, type EdgeProcess, type SqldProcess } from '../../cli/processes.ts';
import { createDb } from '../../db/client.ts';
import { batch, typing } from '../helpers/batches.ts';
import { ingestedOk } from '../helpers/metrics.ts';

let dir: string;
let sqld: SqldProcess;
const cores: CoreProcess[] = [];
let edge: EdgeProcess;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-scale-'));
  sqld = await startSqld(path.join(dir, 'sqld'));
  const env = { CADENCE_DB_URL: sqld.url, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' };
  // One after the other: the first applies the migrations, the second finds them applied.
  cores.push(await startCore(env));
  cores.push(await startCore(env));
  edge = await startEdge('node', {
    coreUrl: cores.map((c) => c.httpUrl).join(','),
    vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`, CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RETRY_CAP_MS: '1000' },
  });
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  await Promise.all(cores.map((c) => c.stop()));
  await sqld?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});


describe('two cores on one libSQL server', () => {
  it('spreads batches over both, survives losing one, and stores each batch exactly once', async () => {
    const batches = Array.from({ length: 300 }, (_, i) => batch({ sessionId: `scale-${i % 30}`, seq: i, events: typing({ keys: 8, seed: i }) }));
    const post = (b: unknown) => fetch(`${edge.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    for (let i = 0; i < 150; i += 25) await Promise.all(batches.slice(i, i + 25).map(async (b) => expect((await post(b)).status).toBe(200)));
    const db = await createDb(sqld.url, { migrate: false });
    const count = async () => Number((await db.$client.execute("select count(*) as n, count(distinct batch_id) as d from batches where session_id like 'scale-%'")).rows[0]!.n);
    for (let i = 0; i < 200 && (await count()) < 150; i++) await new Promise((r) => setTimeout(r, 100));
    const [first, second] = [await ingestedOk(cores[0]!), await ingestedOk(cores[1]!)];
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);

    await cores[0]!.stop(); // killed mid-run: the edge fails over to the other instance
    for (let i = 150; i < 300; i += 25) await Promise.all(batches.slice(i, i + 25).map(async (b) => expect((await post(b)).status).toBe(200)));
    for (let i = 0; i < 300 && (await count()) < 300; i++) await new Promise((r) => setTimeout(r, 100));
    const rows = (await db.$client.execute("select count(*) as n, count(distinct batch_id) as d, sum(event_count) as e from batches where session_id like 'scale-%'")).rows[0]!;
    db.$client.close();
    expect(Number(rows.n)).toBe(300);
    expect(Number(rows.d)).toBe(300);
    expect(Number(rows.e)).toBe(batches.reduce((s, b) => s + b.events.length, 0));
  }, 180_000);
});
