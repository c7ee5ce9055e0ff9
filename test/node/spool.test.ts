// Lossless forwarding on Node: the core is stopped while 1,000 batches are posted to the edge; all
// are acknowledged from the spool, and after the core comes back each is stored exactly once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromBinary, fromJson, type JsonValue } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestBatchRequestSchema } from '../../client/gen/cadence/v1/ingest_pb.ts';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { createDb } from '../../db/client.ts';
import { serveEdge } from '../../edge/node.ts';
import { backoffMs, ingestRequest, isPermanent, RecentIds } from '../../edge/delivery.ts';
import { createCoreForwarder, type Forwarder, type StoredRequest } from '../../edge/forward.ts';
import { createNodeBytesPost } from '../../edge/node-post.ts';
import { Spool } from '../../edge/spool.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { batch, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';

/** A request written as proto3 JSON (as lib/wire.ts shapes it), as the protobuf-es message the spool takes. */
const es = (json: object) => fromJson(IngestBatchRequestSchema, json as JsonValue);
/** The batch id of a stored request (its binary encoding). */
const idOf = (r: StoredRequest) => fromBinary(IngestBatchRequestSchema, r.bytes).batch!.batchId;

let dir: string;
let database: TestDb;
let core: RunningCore | undefined;
let coreConfig: ReturnType<typeof parseCoreConfig>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-spool-'));
  database = await testDb(dir);
  coreConfig = parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url });
  core = await serveCore(coreConfig, createLogger('silent'));
  coreConfig = { ...coreConfig, httpPort: core.httpPort }; // the restart binds the same port
});

afterAll(async () => {
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('spool delivery', () => {
  it('acknowledges every batch while the core is down and stores each exactly once after it returns', async () => {
    const edge = await serveEdge(
      {
        CADENCE_EDGE_AUTH: 'off',
        CADENCE_CORE_URL: `http://127.0.0.1:${coreConfig.httpPort}`,
        CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`,
        CADENCE_CORE_TIMEOUT_MS: '500',
        CADENCE_RATE_IP_PER_MIN: '0',
      },
      0,
    );
    const url = `http://127.0.0.1:${edge.port}/v1/events`;
    const post = (b: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    try {
      await core!.stop();
      core = undefined;
      const batches = Array.from({ length: 1000 }, (_, i) => batch({ sessionId: `outage-${i % 50}`, seq: i, events: typing({ keys: 8, seed: i }) }));
      const acked: string[] = [];
      for (let i = 0; i < batches.length; i += 50) {
        const answers = await Promise.all(batches.slice(i, i + 50).map(async (b) => ({ b, res: await post(b) })));
        for (const { b, res } of answers) {
          expect(res.status).toBe(200);
          const body = await res.json();
          expect(body).toMatchObject({ accepted: true, duplicate: false });
          acked.push(b.batchId);
        }
      }
      // Retries from the browser while the core is still down are recognised as duplicates.
      const again = await (await post(batches[7])).json();
      expect(again).toMatchObject({ accepted: true, duplicate: true });
      expect((await edge.spool.stats()).pending).toBe(1000);

      core = await serveCore(coreConfig, createLogger('silent'));
      expect(await edge.spool.drained(60_000)).toBe(true);

      const db = await createDb(coreConfig.dbUrl, { migrate: false });
      const stored = await db.$client.execute("select count(*) as n, count(distinct batch_id) as d from batches where session_id like 'outage-%'");
      expect(Number(stored.rows[0]!.n)).toBe(acked.length);
      expect(Number(stored.rows[0]!.d)).toBe(acked.length);
      const events = await db.$client.execute("select count(*) as n from events where session_id like 'outage-%'");
      expect(Number(events.rows[0]!.n)).toBe(batches.reduce((s, b) => s + b.events.length, 0));
      db.$client.close();
      expect(await edge.spool.stats()).toMatchObject({ pending: 0, dead: 0, delivered: 1000 });
    } finally {
      await edge.close();
    }
  }, 120_000);

  it('keeps a batch the core refuses for good as a dead letter instead of retrying forever', async () => {
    const edge = await serveEdge(
      { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: `http://127.0.0.1:${coreConfig.httpPort}`, CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool-dead.db')}` },
      0,
    );
    try {
      const b = batch();
      // Same id, other content: the core answers ALREADY_EXISTS for the second one.
      await edge.spool.accept({ sessionId: b.sessionId, batchId: b.batchId, digest: 'first' }, es({ batch: { sessionId: b.sessionId, batchId: b.batchId, seq: 0, consent: true, events: [{ type: 'EVENT_TYPE_FOCUS', t: 1 }] } }));
      await edge.spool.drained(10_000);
      const other = await edge.spool.accept({ sessionId: b.sessionId, batchId: `${b.batchId}-x`, digest: 'other' }, es({ batch: { sessionId: b.sessionId, batchId: b.batchId, seq: 1, consent: true, events: [{ type: 'EVENT_TYPE_FOCUS', t: 2 }] } }));
      expect(other.duplicate).toBe(false);
      await edge.spool.drained(10_000);
      expect(await edge.spool.stats()).toMatchObject({ pending: 0, delivered: 1, dead: 1 });
    } finally {
      await edge.close();
    }
  });
});

describe('spool file', () => {
  /** A core stand-in that records what it is sent (the spool's far side, not Cadence's core). */
  const recorder = () => {
    const sent: string[] = [];
    const forwarder: Forwarder = {
      send: async (r) => (sent.push(r.batch?.batchId ?? ''), { duplicate: false }),
      sendStored: async (r) => (sent.push(idOf(r)), { duplicate: false }),
      reachable: async () => true,
    };
    return { sent, forwarder };
  };
  const key = (id: string) => ({ sessionId: 's-1', batchId: id, digest: `digest-${id}` });
  const request = (id: string) => es({ batch: { sessionId: 's-1', batchId: id, seq: 0, consent: true, events: [{ type: 'EVENT_TYPE_FOCUS', t: 1 }] } });

  it('sends what it accepts from memory, marks deliveries in the file, and after a crash before the marks sends those again', async () => {
    const url = `file:${path.join(dir, 'spool-crash.db')}`;
    const first = recorder();
    // Marks held back a minute: the crash below comes before them.
    const spool = await Spool.open({ url, forwarder: first.forwarder, markDelayMs: 60_000 });
    // The first round also reads the file for batches left from before; from then on, memory only.
    await spool.accept(key('b-first'), request('b-first'));
    expect(await spool.drained(10_000)).toBe(true);
    first.sent.length = 0;
    for (let i = 0; i < 20; i++) expect(await spool.accept(key(`b-${i}`), request(`b-${i}`))).toEqual({ duplicate: false });
    expect(await spool.accept(key('b-3'), request('b-3'))).toEqual({ duplicate: true });
    await vi.waitFor(() => expect(first.sent).toHaveLength(20));
    expect(new Set(first.sent).size).toBe(20);
    // A crash now: sent, not yet marked. A new process resends them all...
    const second = recorder();
    const reopened = await Spool.open({ url, forwarder: second.forwarder });
    expect(await reopened.drained(10_000)).toBe(true);
    expect(new Set(second.sent)).toEqual(new Set(first.sent));
    await spool.close(); // ...and the first one's marks, written late, change nothing
    expect(await reopened.stats()).toEqual({ pending: 0, delivered: 21, dead: 0 });
    // Marked: nothing is sent a third time.
    const third = recorder();
    await reopened.close();
    const again = await Spool.open({ url, forwarder: third.forwarder });
    expect(await again.drained(10_000)).toBe(true);
    expect(third.sent).toEqual([]);
    await again.close();
  });

  it('while the core is away, tries what it accepts together about once a second instead of once per batch, and delivers it all on its return', async () => {
    let away = true;
    const calls: number[] = [];
    // Each call takes 30 ms, so batches also arrive while a probe is out.
    const answer = async (n: number) => {
      calls.push(n);
      await new Promise((r) => setTimeout(r, 30));
      if (away) throw new CadenceError(Code.UNAVAILABLE, 'core unreachable');
    };
    const forwarder: Forwarder = {
      send: async () => (await answer(1), { duplicate: false }),
      sendStored: async () => (await answer(1), { duplicate: false }),
      sendManyStored: async (requests) => (await answer(requests.length), requests.map(() => ({ duplicate: false }))),
      reachable: async () => !away,
    };
    const spool = await Spool.open({ url: `file:${path.join(dir, 'spool-away.db')}`, forwarder, retryCapMs: 60_000 });
    await spool.accept(key('b-first'), request('b-first'));
    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0)); // the attempt that finds the core away
    const before = calls.length;
    // 50 batches a second for 3 s, as pages keep sending during an outage.
    const started = Date.now();
    for (let i = 0; i < 150; i++) {
      await spool.accept(key(`b-away-${i}`), request(`b-away-${i}`));
      await new Promise((r) => setTimeout(r, 20));
    }
    // One failing call per batch would be 150; a probe a second is one call per second elapsed
    // (two a second when batches accepted during a probe were not held for the next one).
    expect(calls.length - before).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    away = false;
    expect(await spool.drained(15_000)).toBe(true);
    expect(await spool.stats()).toEqual({ pending: 0, delivered: 151, dead: 0 });
    await spool.close();
  });

  it('sends what waits together in one call when the core takes several, and settles each answer on its own', async () => {
    const calls: string[][] = [];
    const forwarder: Forwarder = {
      send: async () => ({ duplicate: false }),
      // A round of one goes alone.
      sendStored: async (r) => (calls.push([idOf(r)]), { duplicate: false }),
      reachable: async () => true,
      // b-bad is refused for good (a dead letter), b-busy once (retried), everything else stored.
      sendManyStored: async (requests) => {
        const ids = requests.map(idOf);
        calls.push(ids);
        const busyBefore = calls.flat().filter((id) => id === 'b-busy').length > 1;
        return ids.map((id) =>
          id === 'b-bad' ? new CadenceError(Code.INVALID_ARGUMENT, 'no', 'batch.seq') : id === 'b-busy' && !busyBefore ? new CadenceError(Code.UNAVAILABLE, 'busy') : { duplicate: false },
        );
      },
    };
    const spool = await Spool.open({ url: `file:${path.join(dir, 'spool-many.db')}`, forwarder, retryCapMs: 50 });
    await spool.accept(key('b-first'), request('b-first'));
    expect(await spool.drained(10_000)).toBe(true);
    const ids = ['b-0', 'b-bad', 'b-1', 'b-busy', ...Array.from({ length: 30 }, (_, i) => `b-x${i}`)];
    await Promise.all(ids.map((id) => spool.accept(key(id), request(id))));
    expect(await spool.drained(10_000)).toBe(true);
    expect(calls.some((c) => c.length > 1)).toBe(true); // accepted together, sent together
    expect(calls.every((c) => c.length <= 64)).toBe(true);
    expect(calls.flat().filter((id) => id === 'b-busy')).toHaveLength(2); // retried once, then stored
    expect(await spool.stats()).toEqual({ pending: 0, delivered: ids.length, dead: 1 });
    await spool.close();
  });
});

describe('spool checkpoints', () => {
  /** mxFrame (frames in the log) and nBackfill (frames copied into the database) from the WAL index. */
  const walIndex = (file: string) => {
    const shm = readFileSync(`${file}-shm`);
    return { frames: shm.readUInt32LE(16), copied: shm.readUInt32LE(96) };
  };

  it('are made by a worker thread, not by the connection that serves requests', async () => {
    const file = path.join(dir, 'spool-checkpoint.db');
    const spool = await Spool.open({ url: `file:${file}`, forwarder: { send: async () => ({ duplicate: false }), sendStored: async () => ({ duplicate: false }), reachable: async () => true } });
    try {
      const events = Array.from({ length: 50 }, (_, i) => ({ type: 'EVENT_TYPE_KEYDOWN', t: i, keyClass: 'KEY_CLASS_LETTER', field: 'username' }));
      for (let i = 0; i < 40; i++) await spool.accept({ sessionId: 's-1', batchId: `cp-${i}`, digest: `cp-${i}` }, es({ batch: { sessionId: 's-1', batchId: `cp-${i}`, seq: i, consent: true, events } }));
      expect(walIndex(file).frames).toBeGreaterThan(40);
      // Far below SQLite's own threshold (1,000 pages), and the serving connection has it off:
      // only the worker copies the log into the database, within a few of its rounds.
      await vi.waitFor(() => {
        const { frames, copied } = walIndex(file);
        expect(frames).toBeGreaterThan(0);
        expect(copied).toBe(frames);
      }, { timeout: 5000, interval: 50 });
    } finally {
      await spool.close();
    }
  });
});

describe('delivery helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, 30_000, () => 0)).toBe(250);
    expect(backoffMs(1, 30_000, () => 1)).toBe(500);
    expect(backoffMs(4, 30_000, () => 1)).toBe(4000);
    expect(backoffMs(40, 30_000, () => 1)).toBe(30_000);
  });

  it('retries a refused service key (configuration) but dead-letters what the core refuses for the batch itself', () => {
    expect(isPermanent(new CadenceError(Code.PERMISSION_DENIED, 'this API key is not a service key of this core', 'x-api-key'))).toBe(false);
    expect(isPermanent(new CadenceError(Code.UNAUTHENTICATED, 'this call needs a service API key', 'x-api-key'))).toBe(false);
    expect(isPermanent(new CadenceError(Code.PERMISSION_DENIED, 'the session is bound to another device', 'batch.context.deviceId'))).toBe(true);
    expect(isPermanent(new CadenceError(Code.INVALID_ARGUMENT, 'bad', 'batch.seq'))).toBe(true);
    expect(isPermanent(new CadenceError(Code.UNAVAILABLE, 'core unreachable'))).toBe(false);
  });

  it('remembers recent keys with their digests within a bound', () => {
    const r = new RecentIds(2);
    expect(r.seen('s1 a', 'd1')).toBe('new');
    expect(r.seen('s1 a', 'd1')).toBe('same');
    expect(r.seen('s1 a', 'd2')).toBe('other');
    expect(r.seen('s1 a', 'd1')).toBe('same'); // the first content stays the record
    expect(r.seen('s2 a', 'd2')).toBe('new'); // the same id in another session
    r.seen('s3 c', 'd3'); // evicts s1 a
    expect(r.seen('s1 a', 'd2')).toBe('new');
  });
});

describe('spool keys: (session id, batch id) with the digest of the batch', () => {
  const quiet: Forwarder = { send: async () => ({ duplicate: false }), sendStored: async () => ({ duplicate: false }), reachable: async () => true };
  const json = (sessionId: string, batchId: string, t = 1) => ({ batch: { sessionId, batchId, seq: 0, consent: true, events: [{ type: 'EVENT_TYPE_FOCUS', t }] } });
  const request = (sessionId: string, batchId: string, t = 1) => es(json(sessionId, batchId, t));

  it('answers a retry as duplicate, other content under the key as ALREADY_EXISTS, another session as new; and still after delivery and a restart', async () => {
    const url = `file:${path.join(dir, 'spool-keys.db')}`;
    const spool = await Spool.open({ url, forwarder: quiet, markDelayMs: 1 });
    expect(await spool.accept({ sessionId: 's-a', batchId: 'b-1', digest: 'd-1' }, request('s-a', 'b-1'))).toEqual({ duplicate: false });
    expect(await spool.accept({ sessionId: 's-a', batchId: 'b-1', digest: 'd-1' }, request('s-a', 'b-1'))).toEqual({ duplicate: true });
    await expect(spool.accept({ sessionId: 's-a', batchId: 'b-1', digest: 'd-2' }, request('s-a', 'b-1', 2))).rejects.toMatchObject({ code: Code.ALREADY_EXISTS, field: 'batchId' });
    expect(await spool.accept({ sessionId: 's-b', batchId: 'b-1', digest: 'd-2' }, request('s-b', 'b-1', 2))).toEqual({ duplicate: false });
    expect(await spool.drained(10_000)).toBe(true);
    await spool.close();
    const reopened = await Spool.open({ url, forwarder: quiet });
    try {
      // Delivered rows keep their digest (for the retention): the answers do not change.
      await expect(reopened.accept({ sessionId: 's-a', batchId: 'b-1', digest: 'd-2' }, request('s-a', 'b-1', 2))).rejects.toMatchObject({ code: Code.ALREADY_EXISTS });
      expect(await reopened.accept({ sessionId: 's-b', batchId: 'b-1', digest: 'd-2' }, request('s-b', 'b-1', 2))).toEqual({ duplicate: true });
      expect(await reopened.stats()).toEqual({ pending: 0, delivered: 2, dead: 0 });
    } finally {
      await reopened.close();
    }
  });

  it('delivers to the core the JSON rows of a file written before requests were stored binary, and keeps a row that no longer reads as a dead letter', async () => {
    const file = path.join(dir, 'spool-json-rows.db');
    // The file as the edge left it: its current layout, two batches waiting as JSON text.
    await (await Spool.open({ url: `file:${file}`, forwarder: quiet })).close();
    const { createClient } = await import('@libsql/client');
    const old = createClient({ url: `file:${file}` });
    const b = batch({ sessionId: 'json-row-1', events: typing({ keys: 6, seed: 3 }) });
    const insert = 'INSERT INTO spool (batch_key, digest, request, accepted_at_ms, next_attempt_ms) VALUES (?, ?, ?, 1, 1)';
    await old.execute({ sql: insert, args: [`${b.sessionId} ${b.batchId}`, 'd-json', JSON.stringify(ingestRequest(b, { score: 0.1, decision: 'allow', modelVersion: 'old', reasons: [], judged: true }, Date.now()))] });
    await old.execute({ sql: insert, args: ['json-row-2 broken', 'd-broken', '{"batch":{"sessionId":"json-row-2","noSuchField":1}}'] });
    old.close();
    const forwarder = createCoreForwarder({ coreUrls: [`http://127.0.0.1:${coreConfig.httpPort}`], timeoutMs: 5000, post: createNodeBytesPost() });
    const spool = await Spool.open({ url: `file:${file}`, forwarder, retryCapMs: 100 });
    try {
      expect(await spool.drained(20_000)).toBe(true);
      expect(await spool.stats()).toEqual({ pending: 0, delivered: 1, dead: 1 });
      const db = await createDb(coreConfig.dbUrl, { migrate: false });
      const stored = await db.$client.execute({ sql: 'select count(*) as n from events where session_id = ?', args: [b.sessionId] });
      db.$client.close();
      expect(Number(stored.rows[0]!.n)).toBe(b.events.length);
    } finally {
      await spool.close();
    }
  });

  it('carries over a file of the batch-id-only layout: its pending batches are delivered, keyed by their session', async () => {
    const file = path.join(dir, 'spool-legacy.db');
    const { createClient } = await import('@libsql/client');
    const old = createClient({ url: `file:${file}` });
    await old.execute(`CREATE TABLE spool (batch_id TEXT PRIMARY KEY, request TEXT NOT NULL, accepted_at_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL, delivered_at_ms INTEGER, dead_reason TEXT)`);
    await old.execute('CREATE INDEX spool_due ON spool (delivered_at_ms, dead_reason, next_attempt_ms)');
    await old.execute({ sql: 'INSERT INTO spool (batch_id, request, accepted_at_ms, next_attempt_ms) VALUES (?, ?, 1, 1)', args: ['old-1', JSON.stringify(json('s-old', 'old-1'))] });
    await old.execute({ sql: "INSERT INTO spool (batch_id, request, accepted_at_ms, next_attempt_ms, delivered_at_ms) VALUES ('old-2', '', 1, 1, ?)", args: [Date.now()] });
    old.close();
    const sent: StoredRequest[] = [];
    const spool = await Spool.open({ url: `file:${file}`, forwarder: { ...quiet, sendStored: async (r) => (sent.push(r), { duplicate: false }) } });
    try {
      expect(await spool.drained(10_000)).toBe(true);
      expect(sent.map(idOf)).toEqual(['old-1']);
      expect(sent[0]!.sessionId).toBe('s-old');
      expect(await spool.stats()).toEqual({ pending: 0, delivered: 2, dead: 0 });
      // A carried-over row has no digest: a resend of its key is taken as the retry it was then.
      expect(await spool.accept({ sessionId: 's-old', batchId: 'old-1', digest: 'any' }, request('s-old', 'old-1'))).toEqual({ duplicate: true });
      expect(await spool.accept({ sessionId: 's-new', batchId: 'old-2', digest: 'any' }, request('s-new', 'old-2'))).toEqual({ duplicate: false });
    } finally {
      await spool.close();
    }
  });
});
