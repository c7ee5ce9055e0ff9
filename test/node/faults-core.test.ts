// Faults at the core: the core process killed with SIGKILL mid-ingest and restarted; the database
// locked by another connection while batches arrive; a corrupted model blob. Nothing acknowledged
// may be lost or stored twice, no answer may be a 5xx other than 503, and it recovers by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCore, type CoreProcess } from '../../cli/processes.ts';
import { createDb } from '../../db/client.ts';
import { serveEdge } from '../../edge/node.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { encodeModel, parseModel } from '../../wasm/model-format.ts';
import { trainIsolationForest } from '../../scoring/models/iforest.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { batch, typing } from '../helpers/batches.ts';
import { IngestService } from '../../client/index.ts';
import { connectTransport, status, unary, type CallError } from '../helpers/typed-core.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { testDb, SQLD_MODE, type TestDb } from '../helpers/db.ts';
import { startIdentityCore } from '../helpers/identity.ts';
import { enrolledUser } from '../helpers/enrolled.ts';

let dir: string;
let database: TestDb;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-faults-core-'));
  database = await testDb(dir);
});

afterAll(async () => {
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function storedCounts(prefix: string) {
  const db = await createDb(database.url, { migrate: false });
  try {
    const b = await db.$client.execute({ sql: 'select count(*) as n, count(distinct batch_id) as d from batches where batch_id like ?', args: [`${prefix}%`] });
    const e = await db.$client.execute({ sql: 'select count(*) as n from events where batch_id like ?', args: [`${prefix}%`] });
    const ids = await db.$client.execute({ sql: 'select batch_id from batches where batch_id like ?', args: [`${prefix}%`] });
    return { batches: Number(b.rows[0]!.n), distinct: Number(b.rows[0]!.d), events: Number(e.rows[0]!.n), ids: new Set(ids.rows.map((r) => String(r.batch_id))) };
  } finally {
    db.$client.close();
  }
}

describe('core killed with SIGKILL mid-ingest', () => {
  it('loses and duplicates nothing acknowledged: the edge spools, the restarted core stores each batch once', async () => {
    const httpPort = await freePort();
    const env = { CADENCE_DB_URL: database.url, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: String(httpPort), CADENCE_LOG_LEVEL: 'warn' };
    let core: CoreProcess | undefined = await startCore(env);
    const edge = await serveEdge(
      { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: core.httpUrl, CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool-kill.db')}`, CADENCE_CORE_TIMEOUT_MS: '1000', CADENCE_RETRY_CAP_MS: '1000', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0' },
      0,
    );
    const post = (b: unknown) => fetch(`http://127.0.0.1:${edge.port}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const acked: { id: string; n: number }[] = [];
    const statuses = new Map<number, number>();
    try {
      const all = Array.from({ length: 600 }, (_, i) => batch({ sessionId: `kill-${i % 30}`, batchId: `kill-${i}`, seq: i, events: typing({ keys: 6 + (i % 5), seed: i }) }));
      for (let i = 0; i < all.length; i += 20) {
        if (i === 200 && core) {
          // Mid-run, with deliveries in flight: no graceful stop.
          const victim = core;
          process.kill(-victim.child.pid!, 'SIGKILL');
          await new Promise((r) => victim.child.once('exit', r));
          core = undefined;
        }
        if (i === 400) core = await startCore(env);
        const answers = await Promise.all(all.slice(i, i + 20).map(async (b) => ({ b, res: await post(b) })));
        for (const { b, res } of answers) {
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200) acked.push({ id: b.batchId, n: b.events.length });
          await res.body?.cancel();
        }
      }
      expect([...statuses.keys()]).toEqual([200]);
      expect(await edge.spool.drained(60_000)).toBe(true);
      const stored = await storedCounts('kill-');
      const lost = acked.filter((a) => !stored.ids.has(a.id));
      expect(lost).toEqual([]);
      expect(stored.batches).toBe(stored.distinct); // no duplicates
      expect(stored.batches).toBe(acked.length);
      expect(stored.events).toBe(acked.reduce((s, a) => s + a.n, 0)); // every batch whole
      process.stdout.write(`faults-core: SIGKILL mid-ingest: ${acked.length} acknowledged, ${stored.batches} stored, lost ${lost.length}, duplicates ${stored.batches - stored.distinct}\n`);
    } finally {
      await edge.close();
      await core?.stop();
    }
  }, 120_000);
});

describe('database locked by another connection', () => {
  // Another connection holds the write lock longer than busy_timeout (5 s): refused writes answer
  // UNAVAILABLE (503, retried by edges), and the core's connection, poisoned by the refused
  // statement, is reopened (db/client.ts $reopen), so it recovers at once when the lock goes.
  it.skipIf(SQLD_MODE)('answers UNAVAILABLE or waits while a write lock is held, loses no acknowledged batch, and recovers', async () => {
    const core = await startCore({ CADENCE_DB_URL: database.url, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'error' });
    // Through the typed Connect client, as edges call it: the answer's code (OK = 0), or the refusal.
    const ingestBatch = unary(connectTransport(core.httpUrl, 30_000).transport, IngestService, 'ingestBatch');
    const ingest = (b: unknown) => ingestBatch({ batch: b }).then(() => ({ code: status.OK, body: '' }), (e: CallError) => ({ code: e.code, body: e.message }));
    const locker = createClient({ url: database.url });
    const outcomes: { id: string; n: number; code: number; body: string; ms: number }[] = [];
    try {
      await locker.execute('PRAGMA busy_timeout = 10000');
      const tx = await locker.transaction('write'); // BEGIN IMMEDIATE: the write lock, held
      await tx.execute("insert into security_events (kind, severity, created_at_ms) values ('monitor', 'none', 0)");
      const lockHeld = 7000; // longer than the core's busy_timeout (5 s)
      const release = new Promise<void>((resolve) => setTimeout(() => tx.rollback().then(() => resolve()), lockHeld));
      const sendAll = async (prefix: string, count: number, spacingMs: number) => {
        const jobs: Promise<void>[] = [];
        for (let i = 0; i < count; i++) {
          const b = toWireBatch(batch({ sessionId: `${prefix}-s`, batchId: `${prefix}-${i}`, seq: i, events: typing({ keys: 6, seed: i }) })) as { batchId: string; events: unknown[] };
          const t0 = Date.now();
          jobs.push(ingest(b).then((res) => void outcomes.push({ id: b.batchId, n: b.events.length, code: res.code, body: res.body, ms: Date.now() - t0 })));
          await new Promise((r) => setTimeout(r, spacingMs));
        }
        await Promise.all(jobs);
      };
      await sendAll('locked', 12, 400);
      await release;
      // After the lock is gone: retries of everything refused, and fresh batches, all succeed.
      const refused = outcomes.filter((o) => o.code !== status.OK);
      if (process.env.FAULTS_DEBUG) process.stderr.write(`${JSON.stringify(outcomes.map((o) => [o.id, o.code, o.ms, o.body.slice(0, 80)]))}\n`);
      for (const o of refused) {
        const res = await ingest(toWireBatch(batch({ sessionId: 'locked-s', batchId: o.id, seq: Number(o.id.split('-')[1]), events: typing({ keys: 6, seed: Number(o.id.split('-')[1]) }) })));
        expect(res.code, `${res.body} ${process.env.FAULTS_DEBUG ? core.output().slice(-3000) : ''}`).toBe(status.OK);
      }
      await sendAll('after', 5, 10);
      const statusCounts = Object.fromEntries([...new Set(outcomes.map((o) => o.code))].map((s) => [s, outcomes.filter((o) => o.code === s).length]));
      process.stdout.write(`faults-core: write lock held ${lockHeld} ms: answers by code ${JSON.stringify(statusCounts)}, slowest ${Math.max(...outcomes.map((o) => o.ms))} ms; ${refused.length} refused then retried\n`);
      for (const o of outcomes) expect([status.OK, status.UNAVAILABLE], `${o.id}: ${o.code} ${o.body}`).toContain(o.code);
      const stored = await storedCounts('locked-');
      expect(stored.batches).toBe(12);
      expect(stored.distinct).toBe(12);
      expect(stored.events).toBe(outcomes.filter((o) => o.id.startsWith('locked-')).reduce((s, o) => s + o.n, 0));
      expect((await storedCounts('after-')).batches).toBe(5);
    } finally {
      locker.close();
      await core.stop();
    }
  }, 60_000);
});

describe('a corrupted model', () => {
  it('the binary format refuses a model with a flipped byte, a cut, or another kind, naming the reason', async () => {
    const rng = new Rng(9);
    const model = trainIsolationForest(new Float64Array(200).map(() => rng.normal()), 2, { trees: 5, seed: 3 });
    const bytes = await encodeModel(model, ['a', 'b']);
    expect((await parseModel(bytes, { schema: ['a', 'b'] })).ok).toBe(true);
    const flip = bytes.slice();
    flip[flip.length - 5]! ^= 0xff;
    const r1 = await parseModel(flip, { schema: ['a', 'b'] });
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.reason).toBe('checksum');
    const cut = await parseModel(bytes.slice(0, bytes.length - 10), { schema: ['a', 'b'] });
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(['truncated', 'length', 'checksum']).toContain(cut.error.reason);
    const magic = bytes.slice();
    magic[0] = 0;
    const r3 = await parseModel(magic, { schema: ['a', 'b'] });
    expect(!r3.ok && r3.error.reason).toBe('magic');
    const schema = await parseModel(bytes, { schema: ['a', 'c'] });
    expect(!schema.ok && schema.error.reason).toBe('schema');
  });

  // A user's active model whose blob is corrupted in the registry: the core scores with the
  // newest earlier version that loads, else the population model, and logs why (never INTERNAL).
  it('a user whose active model blob is corrupted on disk is still scored (degraded), never an INTERNAL error', async () => {
    const ADMIN = 'admin-faults-0123456789';
    const h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_ENROL_MIN_WINDOWS: '5', CADENCE_ENROL_MAX_WINDOWS: '20', CADENCE_MODEL_QUALITY_GATE: 'off' });
    const c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
    try {
      const ana = await enrolledUser(h, 'ana-faults@example.com', 5);
      const [model] = await eventually(async () => {
        const m = (await c.listModels({ scope: ana.userId })).models as any[];
        return m.length ? m : undefined;
      });
      expect(model.active).toBe(true);
      // Corrupt the stored blob behind the core's back, then restart the core so it must read it again.
      const db = await createDb(h.dbUrl, { migrate: false });
      await db.$client.execute({ sql: 'update models set binary = ? where id = ?', args: [new Uint8Array([0x43, 0x44, 0x4e, 0x4d, 1, 2, 3]), model.id] });
      db.$client.close();
      const restarted = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_ENROL_MIN_WINDOWS: '5', CADENCE_ENROL_MAX_WINDOWS: '20', CADENCE_MODEL_QUALITY_GATE: 'off' }, { dbUrl: h.dbUrl });
      try {
        const login = await restarted.identity.login({ email: 'ana-faults@example.com', password: 'correct horse battery', deviceId: 'dev-1' });
        const res = await restarted.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, events: typing({ hold: 105, gap: 210, keys: 30, seed: 99 }), context: { deviceId: 'dev-1' } })) });
        expect(res.duplicate).toBe(false);
        expect(res.assessment.modelVersion).toMatch(/^population-keystroke-/); // degraded to the population model
      } finally {
        await restarted.stop();
      }
    } finally {
      c.close();
      await h.stop();
    }
  }, 60_000);
});
