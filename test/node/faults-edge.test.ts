// Faults at the edge: the core unreachable for a while (CADENCE_FAULT_OUTAGE_S, default 15 s in
// `npm test`; `CADENCE_FAULT_OUTAGE_S=60 npx vitest run --project node test/node/faults-edge.test.ts`
// for the full minute) while batches keep arriving at a steady rate; and a WebSocket client that
// sends but never reads. Nothing acknowledged may be lost or duplicated; the edge's memory must stay
// bounded (RSS from /proc) and it must keep answering others.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCore, startEdge, type CoreProcess } from '../../cli/processes.ts';
import { createDb } from '../../db/client.ts';
import { batch, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { groupRssMb } from '../../bench/lib/proc.ts';

const OUTAGE_S = Number(process.env.CADENCE_FAULT_OUTAGE_S ?? 15);
let dir: string;
let database: TestDb;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-faults-edge-'));
  database = await testDb(dir);
});

afterAll(async () => {
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const rssMb = (pid: number) => groupRssMb(pid); // the edge leads its own process group

describe('the core unreachable', () => {
  it(`acknowledges every batch during a ${OUTAGE_S} s outage and delivers each exactly once afterwards`, async () => {
    const httpPort = await freePort();
    const env = { CADENCE_DB_URL: database.url, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: String(httpPort), CADENCE_LOG_LEVEL: 'warn' };
    let core: CoreProcess | undefined = await startCore(env);
    const edge = await startEdge('node', {
      coreUrl: core.httpUrl,
      vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool-outage.db')}`, CADENCE_CORE_TIMEOUT_MS: '1000', CADENCE_RETRY_CAP_MS: '5000', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0' },
    });
    const acked: { id: string; n: number }[] = [];
    const statuses: Record<number, number> = {};
    let i = 0;
    const sendFor = async (ms: number, perSecond: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const b = batch({ sessionId: `outage-${i % 40}`, batchId: `outage-${i}`, seq: i, events: typing({ keys: 6, seed: i }) });
        i++;
        const res = await fetch(`${edge.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 200) acked.push({ id: b.batchId, n: b.events.length });
        await res.body?.cancel();
        await new Promise((r) => setTimeout(r, 1000 / perSecond));
      }
    };
    try {
      await sendFor(2000, 20);
      await core.stop();
      core = undefined;
      const outageStart = Date.now();
      await sendFor(OUTAGE_S * 1000, 20);
      const outageMs = Date.now() - outageStart;
      core = await startCore(env);
      const back = Date.now();
      await sendFor(2000, 20);
      // Drained: every acknowledged batch is in the core.
      const db = await createDb(database.url, { migrate: false });
      let stored = new Set<string>();
      let rows = 0;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const r = await db.$client.execute("select batch_id from batches where batch_id like 'outage-%'");
        rows = r.rows.length;
        stored = new Set(r.rows.map((x) => String(x.batch_id)));
        if (acked.every((a) => stored.has(a.id))) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      const recoveredMs = Date.now() - back;
      const events = Number((await db.$client.execute("select count(*) as n from events where batch_id like 'outage-%'")).rows[0]!.n);
      db.$client.close();
      const lost = acked.filter((a) => !stored.has(a.id)).length;
      process.stdout.write(
        `faults-edge: core unreachable ${Math.round(outageMs / 1000)} s: ${i} batches sent, statuses ${JSON.stringify(statuses)}, ${acked.length} acknowledged, ${rows} stored, lost ${lost}, duplicates ${rows - stored.size}; all delivered ${recoveredMs} ms after the core returned\n`,
      );
      expect(Object.keys(statuses)).toEqual(['200']);
      expect(lost).toBe(0);
      expect(rows).toBe(stored.size);
      expect(rows).toBe(acked.length);
      expect(events).toBe(acked.reduce((s, a) => s + a.n, 0));
    } finally {
      await edge.stop();
      await core?.stop();
    }
  }, (OUTAGE_S + 120) * 1000);
});

describe('a WebSocket client that never reads', () => {
  it('does not grow the edge without bound, and the edge keeps answering others', async () => {
    const core = await startCore({ CADENCE_DB_URL: database.url, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
    const edge = await startEdge('node', {
      coreUrl: core.httpUrl,
      vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool-slow.db')}`, CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0' },
    });
    const clients: WebSocket[] = [];
    try {
      const pid = edge.child.pid!;
      const before = rssMb(pid);
      // Four clients send batches (the largest allowed, ~60 KB of events) and never read a byte.
      const big = typing({ keys: 240, seed: 3 }); // 480 events
      const sentPer = 400;
      for (let c = 0; c < 4; c++) {
        const ws = new WebSocket(`${edge.url.replace('http', 'ws')}/v1/stream`);
        await new Promise((r, j) => ws.once('open', r).once('error', j));
        (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never read
        clients.push(ws);
      }
      let peak = before;
      for (let k = 0; k < sentPer; k++) {
        for (const [c, ws] of clients.entries()) {
          ws.send(JSON.stringify({ type: 'batch', batch: batch({ sessionId: `slow-${c}`, batchId: `slow-${c}-${k}`, seq: k, events: big }) }));
        }
        if (k % 50 === 0) {
          await new Promise((r) => setTimeout(r, 50));
          peak = Math.max(peak, rssMb(pid));
        }
      }
      const t0 = Date.now();
      const health = await fetch(`${edge.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      const healthMs = Date.now() - t0;
      expect(health.status).toBe(200);
      await new Promise((r) => setTimeout(r, 3000));
      const after = rssMb(pid);
      peak = Math.max(peak, after);
      const inMb = (clients.length * sentPer * JSON.stringify(big).length) / 1024 / 1024;
      process.stdout.write(
        `faults-edge: ${clients.length} never-reading WebSocket clients sent ${clients.length * sentPer} batches (${Math.round(inMb)} MB): edge RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB (peak ${peak.toFixed(0)}); /healthz answered in ${healthMs} ms\n`,
      );
      // Bounded: far less than what was sent at it.
      expect(after - before).toBeLessThan(Math.max(150, inMb / 2));
    } finally {
      for (const ws of clients) ws.terminate();
      await edge.stop();
      await core.stop();
    }
  }, 120_000);
});
