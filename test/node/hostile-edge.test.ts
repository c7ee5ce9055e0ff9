// Hostile input against every route of the Node edge (POST /v1/events, POST /v1/session, GET /v1/stream
// messages, /healthz, /v1/sdk.js and the rest), with a real core behind it. Nothing may get a 5xx;
// refusals name the problem; a refused batch is neither spooled nor stored (no partial write). The
// number of hostile inputs sent is printed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { createDb } from '../../db/client.ts';
import { serveEdge } from '../../edge/node.ts';
import { batch, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';

let dir: string;
let database: TestDb;
let core: RunningCore;
let edge: Awaited<ReturnType<typeof serveEdge>>;
let url: string;
const sent = { http: 0, ws: 0, fiveXX: 0 };
/** What the edge accepted, by (session id, batch id): a batch id is unique only within its session. */
const accepted = new Set<string>();
const keyOf = (sessionId: unknown, batchId: unknown) => `${String(sessionId)} ${String(batchId)}`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-hostile-edge-'));
  database = await testDb(dir);
  core = await serveCore(parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url }), createLogger('silent'));
  edge = await serveEdge(
    {
      CADENCE_EDGE_AUTH: 'off',
      CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`,
      CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`,
      CADENCE_RATE_IP_PER_MIN: '0',
      CADENCE_RATE_SESSION_PER_MIN: '0',
    },
    0,
  );
  url = `http://127.0.0.1:${edge.port}`;
});

afterAll(async () => {
  process.stdout.write(`hostile-edge: ${sent.http} hostile HTTP requests, ${sent.ws} hostile stream messages; 5xx ${sent.fiveXX}\n`);
  await edge?.close();
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function send(method: string, pathname: string, body?: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  sent.http++;
  const res = await fetch(url + pathname, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status >= 500) sent.fiveXX++;
  return { status: res.status, json, text };
}

/** A valid batch as JSON, with one thing changed; remembers what the edge accepted. */
async function postBatch(mutate: (b: any) => void) {
  const b: any = batch({ events: typing({ keys: 8 }) });
  mutate(b);
  const a = await send('POST', '/v1/events', JSON.stringify(b));
  if (a.status === 200 && typeof b.batchId === 'string') accepted.add(keyOf(b.sessionId, b.batchId));
  return { ...a, batch: b };
}

const ODD = ['\ud800', 'a\udc00', '\u0000', '\u202eevil', '🙂👍🏽', 'x'.repeat(129), ' ', '../..', '<script>', "';--"];
const NUMBERS = [Number.NaN, Infinity, -Infinity, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5];

describe('POST /v1/events', () => {
  it('refuses malformed, wrongly typed, oversized and out-of-rule batches with a 4xx naming the field', async () => {
    for (const body of ['', '{', '{"sessionId":', 'null', '[]', '1', '"x"', '{"a":NaN}', `{"x":${'['.repeat(60_000)}${']'.repeat(60_000)}}`]) {
      const a = await send('POST', '/v1/events', body);
      expect(a.status, `${body.slice(0, 20)}: ${a.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(a.status).toBeLessThan(500);
      expect(a.json?.error?.message, body.slice(0, 20)).toBeTruthy();
    }
    const cases: [string, (b: any) => void, RegExp][] = [
      ['no consent', (b) => (b.consent = false), /^consent$/],
      ['consent as string', (b) => (b.consent = 'true'), /^consent$/],
      ['unknown event type', (b) => (b.events[0].type = 'keysmash'), /^events\.0\.type$/],
      ['out-of-order timestamps', (b) => (b.events[3].t = b.events[2].t - 10), /^events\.3\.t$/],
      ['extra field (a key value)', (b) => (b.events[0].key = 'a'), /^events\.0/],
      ['extra top-level field', (b) => (b.password = 'x'), /password|^\(body\)$/],
      ['missing sessionId', (b) => delete b.sessionId, /^sessionId$/],
      ['missing events', (b) => delete b.events, /^events$/],
      ['events not an array', (b) => (b.events = {}), /^events$/],
      ['too many events', (b) => (b.events = Array.from({ length: 501 }, (_, i) => ({ type: 'focus', t: i }))), /^events$/],
      ['seq negative', (b) => (b.seq = -1), /^seq$/],
      ['seq huge', (b) => (b.seq = 1e300), /^seq$/],
      ['context.screen wrong type', (b) => (b.context.screen = 'big'), /^context\.screen/],
      ['__proto__ key', (b) => (b.events[0] = JSON.parse('{"__proto__":{"x":1},"type":"focus","t":1}')), /^events\.0/],
    ];
    for (const [name, mutate, field] of cases) {
      const a = await postBatch(mutate);
      expect(a.status, `${name}: ${a.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(a.status, name).toBeLessThan(500);
      expect(a.json?.error?.field ?? '', `${name}: ${a.text.slice(0, 200)}`).toMatch(field);
    }
    for (const v of NUMBERS) {
      for (const at of ['t', 'x', 'position'] as const) {
        const a = await postBatch((b) => {
          if (at === 't') b.events[1].t = v;
          else b.events.push({ type: at === 'x' ? 'pointermove' : 'keydown', t: 1e5, ...(at === 'x' ? { x: v, y: 1 } : { keyClass: 'letter', position: v }) });
        });
        // JSON.stringify writes NaN/Infinity as null: refused as a wrong type either way.
        expect(a.status, `${at}=${v}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
        if (!Number.isFinite(v) || (v < 0 && at !== 'x')) expect(a.status, `${at}=${v}`).toBe(400);
      }
    }
    for (const s of ODD) {
      for (const k of ['sessionId', 'batchId'] as const) {
        const a = await postBatch((b) => (b[k] = s));
        expect(a.status, `${k}=${JSON.stringify(s)}: ${a.text.slice(0, 200)}`).toBe(400);
        expect(a.json.error.field).toBe(k);
      }
      const a = await postBatch((b) => (b.events[0].field = s));
      expect(a.status, `field=${JSON.stringify(s)}`).toBeLessThan(500);
    }
    // Duplicate timestamps are allowed (non-decreasing): stored whole.
    const dup = await postBatch((b) => b.events.forEach((e: any) => (e.t = 1000)));
    expect(dup.status, dup.text).toBe(200);
    // Size, media type.
    const huge = await send('POST', '/v1/events', JSON.stringify({ ...batch(), pad: 'x'.repeat(70_000) }));
    expect(huge.status).toBe(413);
    expect((await send('POST', '/v1/events', JSON.stringify(batch()), { 'content-type': 'application/xml' })).status).toBe(415);
    expect(sent.fiveXX).toBe(0);
  }, 60_000);

  it('counts a chunked body (no declared length) against the limit as it arrives, and stops reading it', async () => {
    // Transfer-Encoding: chunked, as a client that does not know the length sends it.
    const chunked = async (head: string, endless: boolean) => {
      sent.http++;
      const encoder = new TextEncoder();
      const chunks = head.match(/[\s\S]{1,4096}/g) ?? [];
      let pulled = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          // An endless body repeats padding after its head, up to 64 MB: the edge must answer long before.
          const next = chunks.shift() ?? (endless && pulled < 64 << 20 ? 'x'.repeat(4096) : undefined);
          if (next === undefined) return controller.close();
          pulled += next.length;
          controller.enqueue(encoder.encode(next));
        },
      });
      const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      const json = (await res.json()) as any;
      await stream.cancel().catch(() => undefined);
      return { status: res.status, json, pulled };
    };
    const small = batch();
    const ok = await chunked(JSON.stringify(small), false);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    accepted.add(keyOf(small.sessionId, small.batchId));
    const big = await chunked(`{"sessionId":"s-1","batchId":"b-endless","seq":0,"consent":true,"context":{"page":"`, true);
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('body_too_large');
    expect(big.pulled).toBeLessThan(8 << 20);
  });

  it('property: any JSON, and batches with arbitrary values in real places, get an answer below 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
        const a = await send('POST', '/v1/events', JSON.stringify(v));
        expect(a.status, JSON.stringify(v).slice(0, 100)).toBeLessThan(500);
      }),
      { numRuns: 200, seed: 21 },
    );
    const keys = ['sessionId', 'batchId', 'seq', 'consent', 'context', 'events'];
    const eventKeys = ['type', 't', 'keyClass', 'field', 'position', 'x', 'y', 'dx', 'dy', 'button', 'pressure', 'pointerType', 'state'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.constantFrom(...eventKeys),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.double(), fc.string({ unit: 'binary' }), fc.constantFrom('keydown', 'pointermove', 'wheel', 'letter')),
        async (key, eventKey, value) => {
          const a = await postBatch((b) => {
            b.consent = true;
            if (Math.random() < 0.5) b[key] = value;
            else b.events[2][eventKey] = value;
          });
          expect(a.status, `${key}/${eventKey}=${JSON.stringify(value)?.slice(0, 80)}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300, seed: 22 },
    );
    expect(sent.fiveXX).toBe(0);
  }, 60_000);
});

describe('other routes', () => {
  it('/v1/session, /healthz, /v1/sdk.js, demo pages and unknown paths answer hostile requests below 500', async () => {
    for (const body of [undefined, '', '{', '{"sessionId":"mine"}', 'x'.repeat(100_000)]) {
      const a = await send('POST', '/v1/session', body);
      expect(a.status, `session ${String(body).slice(0, 20)}`).toBe(201);
      expect(a.json.sessionId).toMatch(/^anon_/);
    }
    const paths = ['/healthz', '/v1/sdk.js', '/v1/sdk.mjs', '/demo/login', '/demo/transfer', '/v1/stream', '/v1/events', '/v1/session', '/v1/auth/login', '/v1/auth/register', '/v1/auth/refresh', '/v1/auth/logout', '/v1/auth/mpin', '/v1/auth/session', '/v1/auth/nope', '/nope', '/%00', '/v1/sdk.js/..%2f..%2fetc%2fpasswd', `/${'a'.repeat(8000)}`, '/%ED%A0%80'];
    for (const p of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) {
        const a = await send(method, `${p}?q=%00&x=${'%zz'.repeat(100)}`, method === 'GET' || method === 'HEAD' ? undefined : '{"x":1}', { 'content-type': 'application/json', 'if-none-match': 'W/"\u0001"'.replace('\u0001', 'z'.repeat(2000)) });
        expect(a.status, `${method} ${p.slice(0, 40)}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(sent.fiveXX).toBe(0);
  }, 30_000);
});

describe('GET /v1/stream messages', () => {
  it('answers hostile messages with error messages naming the problem, closes after ten, and never crashes', async () => {
    const messages: (string | Buffer)[] = [
      '', '{', 'null', '[]', '"batch"', '{"type":"nope"}', '{"type":"batch"}', '{"type":"batch","batch":null}', '{"type":"batch","token":5,"batch":{}}',
      JSON.stringify({ type: 'batch', batch: { ...batch(), consent: false } }),
      JSON.stringify({ type: 'batch', batch: { ...batch(), events: [{ type: 'keysmash', t: 1 }] } }),
      JSON.stringify({ type: 'batch', batch: { ...batch(), sessionId: '\ud800' } }),
      Buffer.from([0xff, 0xfe, 0x00, 0xd8]),
      `{"type":"batch","batch":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    ];
    const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const got: any[] = [];
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    for (const m of messages) {
      sent.ws++;
      ws.send(m);
    }
    const code = await closed;
    expect(code).toBe(1008); // ten refused in a row
    expect(got.length).toBe(10);
    for (const g of got) {
      expect(g.type).toBe('error');
      expect(g.error.code.length).toBeGreaterThan(0);
      expect(g.error.message.length).toBeGreaterThan(0);
    }
    // A message over the limit closes with 1009; the edge stays up.
    const ws2 = new WebSocket(`${url.replace('http', 'ws')}/v1/stream`);
    await new Promise((r, j) => ws2.once('open', r).once('error', j));
    const closed2 = new Promise<number>((r) => ws2.once('close', (c) => r(c)));
    sent.ws++;
    ws2.send(JSON.stringify({ type: 'batch', batch: { ...batch(), pad: 'x'.repeat(70_000) } }));
    expect(await closed2).toBe(1009);
    expect((await send('GET', '/healthz')).status).toBe(200);
  }, 30_000);
});

describe('no partial write', () => {
  it('the core holds exactly the batches the edge accepted, each whole', async () => {
    expect(await edge.spool.drained(30_000)).toBe(true);
    const db = await createDb(database.url, { migrate: false });
    try {
      const rows = await db.$client.execute('select session_id, batch_id, event_count from batches');
      const stored = new Map(rows.rows.map((r) => [keyOf(r.session_id, r.batch_id), Number(r.event_count)]));
      expect([...stored.keys()].sort()).toEqual([...accepted].sort());
      const events = await db.$client.execute('select session_id, batch_id, count(*) as n from events group by session_id, batch_id');
      for (const r of events.rows) expect(Number(r.n), keyOf(r.session_id, r.batch_id)).toBe(stored.get(keyOf(r.session_id, r.batch_id)));
    } finally {
      db.$client.close();
    }
  });
});
