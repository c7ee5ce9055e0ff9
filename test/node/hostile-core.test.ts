// Raw on purpose (fetch, grpc-js pass-through): its subject is malformed wire input no generated client can send.
// Hostile input against every route of the core: every Connect route `POST /cadence.v1.<Service>/<Method>`
// (enumerated from the loaded protos, so a new RPC is covered as soon as it exists), the HTTP routes
// (/predict, /health, /healthz, /metrics, /.well-known/jwks.json, /v1/models/<id>) and every native
// gRPC method (enumerated from proto/ with @grpc/proto-loader, sent through a raw client with a
// pass-through serializer). Malformed and truncated JSON, wrong types, missing and extra fields,
// huge bodies, arrays and messages, deep nesting, NaN/Infinity/negative/huge numbers, odd Unicode,
// unknown event types, out-of-order and duplicate timestamps, garbage protobuf bytes and wrong wire
// types. None may get a 5xx or INTERNAL/UNKNOWN; refusals name the problem; row counts show no
// partial write. The number of hostile inputs sent is printed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { loadProtos } from '../../core/protos.ts';
import { createDb, type Db } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { enumerateMethods, fixed64Field, lenField, rawClient, varintField, type RpcMethod } from '../helpers/raw-grpc.ts';

const ADMIN_KEY = 'admin-hostile-0123456789';
const OFFCHAIN_KEY = 'offchain-hostile-0123456789';
let dir: string;
let database: TestDb;
let core: RunningCore;
let db: Db;
let base: string;
const sent = { http: 0, grpc: 0, fiveXX: 0, internal: 0 };
const failures: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-hostile-core-'));
  database = await testDb(dir);
  core = await serveCore(
    parseCoreConfig({
      CADENCE_GRPC_PORT: '0',
      CADENCE_HTTP_PORT: '0',
      CADENCE_DB_URL: database.url,
      CADENCE_SCRYPT_N: '1024',
      CADENCE_ADMIN_API_KEYS: `ops:${ADMIN_KEY}`,
      CADENCE_OFFCHAIN_API_KEYS: `node:${OFFCHAIN_KEY}`,
      CADENCE_OFFCHAIN_RATE_PER_KEY: '1000000',
      CADENCE_OFFCHAIN_RATE_PER_DID: '1000000',
    }),
    createLogger('silent'),
  );
  base = `http://127.0.0.1:${core.httpPort}`;
  db = await createDb(database.url, { migrate: false });
});

beforeEach(() => {
  failures.length = 0;
});

afterAll(async () => {
  process.stdout.write(
    `hostile-core: ${sent.http} hostile HTTP requests, ${sent.grpc} hostile gRPC calls; 5xx ${sent.fiveXX}, INTERNAL/UNKNOWN ${sent.internal}\n`,
  );
  db?.$client.close();
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Row counts of every table, to prove that refused input wrote nothing. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db.$client.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name not like '_litestream%' order by name");
  const out: Record<string, number> = {};
  for (const row of tables.rows) {
    const name = String(row.name);
    out[name] = Number((await db.$client.execute(`select count(*) as n from "${name}"`)).rows[0]!.n);
  }
  return out;
}

interface Answer {
  status: number;
  body: any;
  text: string;
}

async function post(pathname: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  sent.http++;
  const res = await fetch(base + pathname, {
    method: 'POST',
    // Each service's own key: keys are checked before the body, and these tests are about the body.
    headers: { 'content-type': 'application/json', 'x-api-key': pathname.includes('OffchainService') ? OFFCHAIN_KEY : ADMIN_KEY, ...headers },
    body,
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (res.status >= 500) {
    sent.fiveXX++;
    failures.push(`${pathname} ${res.status} ${text.slice(0, 200)} <- ${body.slice(0, 120)}`);
  }
  return { status: res.status, body: parsed, text };
}

/**
 * A body over the limit, sent with node:http: the server may answer 413 and close before the
 * upload ends, which fetch reports as a socket error; the answer is what counts.
 */
function postRaw(pathname: string, body: string): Promise<{ status: number }> {
  sent.http++;
  return new Promise((resolve, reject) => {
    const req = request(base + pathname, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    }, (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 500) sent.fiveXX++;
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('continue', () => req.end(body));
    req.on('error', (err) => setTimeout(() => reject(err), 2000)); // EPIPE after the answer is fine
  });
}

/** A refusal must be a 4xx with a JSON body that says what is wrong. */
function expectRefusal(a: Answer, what: string, field?: string | RegExp): void {
  expect(a.status, `${what}: ${a.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(a.status, `${what}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
  expect(typeof a.body?.message === 'string' && a.body.message.length > 0, `${what}: no message in ${a.text.slice(0, 200)}`).toBe(true);
  if (field instanceof RegExp) expect(a.body.field, what).toMatch(field);
  else if (field !== undefined) expect(a.body.field, what).toBe(field);
}

const protos = loadProtos();
/** Every unary RPC the core serves over Connect, from the loaded protos. */
const connectRoutes = [...protos.services.keys()].flatMap((service) =>
  protos.root.lookupService(service).methodsArray.filter((m) => !m.requestStream && !m.responseStream).map((m) => ({
    service,
    method: m.name,
    path: `/${service}/${m.name}`,
    type: protos.root.lookupType(m.resolvedRequestType!.fullName),
  })),
);

const ODD_STRINGS = [
  '\ud800', // lone high surrogate
  'a\udc00b', // lone low surrogate
  '\u0000', // NUL
  'abc\u0000def',
  '\u202eevil\u202c', // RTL override
  '\u200f\u05e9\u05dc\u05d5\u05dd', // RTL mark + Hebrew
  '🙂👍🏽🧑‍🚀',
  'e\u0301'.repeat(50), // combining marks
  '\ufeff', // BOM
  ' ',
  'x'.repeat(200_000), // long
  '../../../../etc/passwd',
  "'; drop table batches; --",
  '<script>alert(1)</script>',
  '%00%2e%2e',
];
const HOSTILE_NUMBERS: unknown[] = ['NaN', 'Infinity', '-Infinity', -1, -1e308, 1e308, 2 ** 53 + 1, '9'.repeat(400), -0, 0.5, '1e400'];

describe('Connect JSON routes (every unary RPC)', () => {
  it('covers every unary RPC in proto/ (none left out)', () => {
    const fromProtoDir = enumerateMethods().filter((m) => m.service.startsWith('cadence.') && !m.requestStream && !m.responseStream);
    expect(connectRoutes.map((r) => r.path).sort()).toEqual(fromProtoDir.map((m) => m.path).sort());
    expect(connectRoutes.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses malformed, truncated, non-object, oversized, deep and wrongly typed bodies with a 4xx naming the problem, and writes nothing', async () => {
    const before = await rowCounts();
    const deep = `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const r of connectRoutes) {
      const malformed = ['', '{', '{"a":', '{"a":1,}', 'nul', '[1,2', '{"a":1}}', '\u0000', '{"a":NaN}', '{"a":Infinity}', "{'a':1}", '{"a":"\\ud800"', '{"a":1e999999999999}x'];
      for (const body of malformed) expectRefusal(await post(r.path, body), `${r.path} malformed ${JSON.stringify(body)}`);
      for (const body of ['[]', 'null', '1', '"text"', 'true', '[{}]']) expectRefusal(await post(r.path, body), `${r.path} non-object ${body}`, '(body)');
      expectRefusal(await post(r.path, '{"definitelyNotAField":1}'), `${r.path} extra field`, 'definitelyNotAField');
      expectRefusal(await post(r.path, '{"__proto__":{"admin":true}}'), `${r.path} __proto__`, '__proto__');
      expectRefusal(await post(r.path, '{"constructor":{"prototype":{"x":1}}}'), `${r.path} constructor`, 'constructor');
      expectRefusal(await post(r.path, deep), `${r.path} deep nesting`, 'x');
      expect((await postRaw(r.path, 'x'.repeat(1_100_000))).status, `${r.path} huge body`).toBe(413);
      expect((await post(r.path, '{}', { 'content-type': 'text/plain' })).status, `${r.path} text/plain`).toBe(415);
      expect((await post(r.path, '{}', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      // Every field with a value of the wrong type.
      for (const field of r.type.fieldsArray) {
        field.resolve();
        const name = field.name; // protobufjs keeps camelCase here (keepCase false)
        const wrong: unknown[] = field.repeated || field.map
          ? ['x', 1, true, field.map ? [] : {}]
          : field.resolvedType && 'fields' in field.resolvedType
            ? ['x', 1, true, []]
            : field.type === 'string'
              ? [1, true, {}, [], 1.5]
              : field.type === 'bool'
                ? ['true', 1, {}, []]
                : field.resolvedType // enum
                  ? ['NOT_A_VALUE', true, {}, [], 1.5]
                  : ['x', true, {}, [], ...(field.type.includes('int') || field.type.includes('fixed') ? [1.5, '1.5', 1e300, '9'.repeat(30)] : [])];
        for (const v of wrong) {
          expectRefusal(await post(r.path, JSON.stringify({ [name]: v })), `${r.path} ${name}=${JSON.stringify(v)}`, new RegExp(`^${name}(\\.|$)`));
        }
        // Hostile values of the right JSON type: refused or handled, never a 5xx.
        const odd: unknown[] = field.repeated || field.map
          ? [Array.from({ length: 20_000 }, () => (field.resolvedType && 'fields' in field.resolvedType ? {} : field.type === 'string' ? 'x' : 0))]
          : field.type === 'string'
            ? ODD_STRINGS
            : field.type === 'double' || field.type === 'float' || field.type.includes('int') || field.type.includes('fixed')
              ? HOSTILE_NUMBERS
              : [];
        for (const v of odd) {
          const a = await post(r.path, JSON.stringify({ [name]: v }));
          expect(a.status, `${r.path} ${name}=${JSON.stringify(v).slice(0, 60)}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
          if (a.status >= 400) expect(a.body?.message, `${r.path} ${name}`).toBeTruthy();
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  }, 120_000);

  it('property: any JSON value as the body of any route gets an answer below 500 and writes nothing', async () => {
    const before = await rowCounts();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...connectRoutes), fc.jsonValue({ maxDepth: 4 }), async (r, v) => {
        const a = await post(r.path, JSON.stringify(v));
        expect(a.status, `${r.path} ${JSON.stringify(v).slice(0, 100)}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 9 },
    );
    // Objects made of the request type's own field names with arbitrary values: closer to valid.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...connectRoutes).chain((r) =>
          fc.tuple(fc.constant(r), fc.dictionary(fc.constantFrom(...(r.type.fieldsArray.map((f) => f.name).concat(['x']))), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
        ),
        async ([r, v]) => {
          const a = await post(r.path, JSON.stringify(v));
          expect(a.status, `${r.path} ${JSON.stringify(v).slice(0, 100)}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300, seed: 10 },
    );
    expect(failures).toEqual([]);
    // Writes are possible in principle (a random valid request), but no refused one may leave rows.
    const after = await rowCounts();
    for (const t of ['batches', 'events', 'scores', 'users', 'sessions', 'models']) expect(after[t], t).toBe(before[t]);
  }, 60_000);
});

describe('IngestBatch: hostile batches over Connect JSON', () => {
  const path_ = '/cadence.v1.IngestService/IngestBatch';
  it('refuses or stores whole; never a 5xx, never a partial write', async () => {
    const ok = () => toWireBatch(batch({ events: typing({ keys: 10 }) })) as any;
    const cases: { name: string; mutate: (b: any) => void; refused: boolean }[] = [
      { name: 'unknown event type', mutate: (b) => (b.events[0].type = 'EVENT_TYPE_KEYSMASH'), refused: true },
      { name: 'unspecified event type', mutate: (b) => (b.events[0].type = 'EVENT_TYPE_UNSPECIFIED'), refused: true },
      { name: 'event type number out of range', mutate: (b) => (b.events[0].type = 99), refused: true },
      { name: 'out-of-order timestamps', mutate: (b) => (b.events[3].t = b.events[2].t - 50), refused: true },
      { name: 'NaN timestamp', mutate: (b) => (b.events[1].t = 'NaN'), refused: true },
      { name: 'Infinity timestamp', mutate: (b) => (b.events[1].t = 'Infinity'), refused: true },
      { name: 'negative timestamp', mutate: (b) => b.events.forEach((e: any) => (e.t = -e.t)), refused: true },
      { name: 'huge timestamp', mutate: (b) => (b.events.at(-1).t = 1e308), refused: true },
      { name: 'NaN coordinate', mutate: (b) => b.events.push({ type: 'EVENT_TYPE_POINTERMOVE', t: 1e6, x: 'NaN', y: 1, pointerType: 'mouse' }), refused: true },
      { name: 'huge coordinate', mutate: (b) => b.events.push({ type: 'EVENT_TYPE_POINTERMOVE', t: 1e6, x: 1e300, y: -1e300, pointerType: 'mouse' }), refused: true },
      { name: 'no consent', mutate: (b) => (b.consent = false), refused: true },
      { name: 'session id with odd Unicode', mutate: (b) => (b.sessionId = 'sess-\u202e\ud800'), refused: true },
      { name: 'batch id with NUL', mutate: (b) => (b.batchId = 'b\u0000'), refused: true },
      { name: 'batch id too long', mutate: (b) => (b.batchId = 'b'.repeat(129)), refused: true },
      { name: 'field name with emoji', mutate: (b) => (b.events[0].field = '🙂'.repeat(100)), refused: true },
      { name: 'too many events', mutate: (b) => (b.events = Array.from({ length: 20_000 }, (_, i) => ({ type: 'EVENT_TYPE_FOCUS', t: i, field: 'f' }))), refused: true },
      { name: 'huge negative seq', mutate: (b) => (b.seq = -1), refused: true },
      { name: 'extra field in an event', mutate: (b) => (b.events[0].key = 'a'), refused: true },
      { name: 'events not an array', mutate: (b) => (b.events = { 0: b.events[0] }), refused: true },
      { name: 'screen negative', mutate: (b) => (b.context.screen = { width: -1, height: 900 }), refused: true },
      { name: 'duplicate timestamps', mutate: (b) => b.events.forEach((e: any) => (e.t = 1000)), refused: false },
    ];
    const refusedIds: string[] = [];
    const storedIds: { id: string; n: number }[] = [];
    for (const c of cases) {
      const b = ok();
      c.mutate(b);
      const a = await post(path_, JSON.stringify({ batch: b }));
      expect(a.status, `${c.name}: ${a.text.slice(0, 200)}`).toBeLessThan(500);
      if (c.refused) {
        expectRefusal(a, c.name);
        expect(a.body.field ?? '', c.name).toMatch(/^(batch|\(body\))/);
      }
      if (a.status === 200) storedIds.push({ id: b.batchId, n: b.events.length });
      else if (typeof b.batchId === 'string') refusedIds.push(b.batchId);
    }
    for (const id of refusedIds) {
      for (const t of ['batches', 'events', 'scores']) {
        const n = Number((await db.$client.execute({ sql: `select count(*) as n from ${t} where batch_id = ?`, args: [id] })).rows[0]!.n);
        expect(n, `${t} rows of refused batch ${JSON.stringify(id).slice(0, 40)}`).toBe(0);
      }
    }
    for (const { id, n } of storedIds) {
      const events = Number((await db.$client.execute({ sql: 'select count(*) as n from events where batch_id = ?', args: [id] })).rows[0]!.n);
      expect(events, `stored batch ${id} is whole`).toBe(n);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});

describe('the other HTTP routes', () => {
  it('/predict refuses hostile bodies with a 4xx naming the field', async () => {
    const before = await rowCounts();
    const h = { 'x-api-key': OFFCHAIN_KEY };
    const good = { did: 'did:example:hostile', features: { typing_speed_wpm: 60, avg_key_hold_time_ms: 110, avg_transition_time_ms: 90, error_rate_percent: 2 } };
    for (const body of ['', '{', 'null', '[]', '"x"', `{"did":${'['.repeat(50_000)}${']'.repeat(50_000)}}`]) expectRefusal(await post('/predict', body, h), `/predict ${body.slice(0, 20)}`);
    expectRefusal(await post('/predict', JSON.stringify({ ...good, extra: 1 }), h), '/predict extra', 'extra');
    expectRefusal(await post('/predict', JSON.stringify({ did: good.did }), h), '/predict missing features', /^features/);
    for (const [k, v] of Object.entries({ typing_speed_wpm: ['NaN', 'Infinity', -5, 1e308, '60', null, {}, []], error_rate_percent: [-1, 101, 'NaN', true], avg_key_hold_time_ms: [0, 2e9, -0.0001] })) {
      for (const x of v as unknown[]) expectRefusal(await post('/predict', JSON.stringify({ ...good, features: { ...good.features, [k]: x } }), h), `/predict ${k}=${JSON.stringify(x)}`, `features.${k}`);
    }
    for (const did of ODD_STRINGS.filter((s) => /[^\x21-\x7e]/.test(s) || s.length > 128)) expectRefusal(await post('/predict', JSON.stringify({ ...good, did }), h), `/predict did=${JSON.stringify(did).slice(0, 30)}`, 'did');
    expectRefusal(await post('/predict', JSON.stringify({ ...good, historical_patterns: Array.from({ length: 10_000 }, () => good.features) }), h), '/predict huge history', /^historical_patterns/);
    expectRefusal(await post('/predict', JSON.stringify({ ...good, session_features: Array.from({ length: 1000 }, () => 1) }), h), '/predict huge session_features', /^session_features/);
    expectRefusal(await post('/predict', JSON.stringify(good), { 'x-api-key': 'wrong-key-0123456789' }), '/predict wrong key');
    expect(await rowCounts()).toEqual(before);
    expect(failures).toEqual([]);
  });

  it('GET routes answer hostile methods, paths, queries and headers below 500', async () => {
    const gets = ['/health', '/healthz', '/metrics', '/.well-known/jwks.json', '/v1/models/nope', '/v1/models/%00', '/v1/models/..%2f..%2fetc%2fpasswd', `/v1/models/${'a'.repeat(10_000)}`, '/v1/models/%F0%9F%99%82', '/v1/models/%ED%A0%80'];
    for (const p of gets) {
      for (const q of ['', '?x=%00', `?${'a=1&'.repeat(2000)}`, '?%zz']) {
        sent.http++;
        const res = await fetch(base + p + q, { headers: { 'if-none-match': '"\u0000"'.replace('\u0000', 'x'.repeat(1000)) } });
        await res.body?.cancel();
        expect(res.status, `${p}${q.slice(0, 20)}`).toBeLessThan(500);
      }
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        sent.http++;
        const res = await fetch(base + p, { method, body: '{"x":1}' });
        await res.body?.cancel();
        expect(res.status, `${method} ${p}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${p}`).toBeLessThan(500);
      }
    }
    // Connect routes only take POST (405 otherwise); unknown procedures are 404s with the Connect code `unimplemented`.
    for (const p of ['/cadence.v1.NoSuchService/Method', '/cadence.v1.IngestService/NoSuchMethod']) {
      const res = await post(p, '{}');
      expect(res.status, p).toBe(404);
      expect(res.body?.code, p).toBe('unimplemented');
    }
    for (const p of ['/cadence.v1.IngestService/IngestBatch/extra', '/%00/%00']) expect((await post(p, '{}')).status, p).toBe(404);
    sent.http++;
    const get = await fetch(`${base}/cadence.v1.IngestService/IngestBatch`);
    await get.body?.cancel();
    expect(get.status).toBe(405);
    expect(failures).toEqual([]);
  });
});

describe('native gRPC (every method, raw bytes)', () => {
  const methods = enumerateMethods();
  const meta = { 'x-api-key': ADMIN_KEY };
  const okCode = (code: number) => code !== status.INTERNAL && code !== status.UNKNOWN && code !== status.DATA_LOSS && code !== status.UNIMPLEMENTED;

  async function hostileCall(client: ReturnType<typeof rawClient>, m: RpcMethod, bytes: Buffer, what: string, strict = false) {
    sent.grpc++;
    const out = await client.call(m, bytes, meta, m.responseStream ? 300 : 10_000);
    // A unary call must be answered: a deadline means it hung (e.g. a status too long to deliver).
    if (!okCode(out.code) || (!m.responseStream && out.code === status.DEADLINE_EXCEEDED)) {
      sent.internal++;
      failures.push(`${m.path} ${what}: ${out.code} ${out.details}`);
    }
    expect(okCode(out.code), `${m.path} ${what}: code ${out.code} ${out.details}`).toBe(true);
    if (!m.responseStream) expect(out.code, `${m.path} ${what}: hung`).not.toBe(status.DEADLINE_EXCEEDED);
    if (strict) {
      expect(out.code, `${m.path} ${what}`).not.toBe(status.OK);
      expect(out.details.length, `${m.path} ${what}: no details`).toBeGreaterThan(0);
    }
    return out;
  }

  it('enumerates every service in proto/', () => {
    const services = new Set(methods.map((m) => m.service));
    for (const s of ['cadence.v1.IngestService', 'cadence.v1.RiskService', 'cadence.v1.IdentityService', 'cadence.v1.OffchainService', 'grpc.health.v1.Health']) expect(services.has(s), s).toBe(true);
  });

  it('garbage, truncated, wrongly typed and oversized messages get a status other than INTERNAL/UNKNOWN, and write nothing', async () => {
    const client = rawClient(`127.0.0.1:${core.grpcPort}`);
    const before = await rowCounts();
    try {
      for (const m of methods) {
        // Bytes that cannot be a protobuf message: refused as such.
        // (invalid wire type 7, a truncated varint, a field number of 0)
        for (const bytes of [[0xff, 0xff, 0xff, 0xff, 0x0f], [0x0f], [0x08], [0x08, 0xff], [0x07]]) {
          await hostileCall(client, m, Buffer.from(bytes), `garbage ${Buffer.from(bytes).toString('hex')}`, true);
        }
        // Bytes that may or may not decode, depending on the message: never INTERNAL.
        for (const bytes of [[0x0a, 0x7f, 0x01], [0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x12, 0x05, 0x61], [0x0b], [0x0c]]) {
          await hostileCall(client, m, Buffer.from(bytes), `garbage ${Buffer.from(bytes).toString('hex')}`);
        }
        // Each field with the wrong wire type; a valid message truncated.
        for (const f of m.fields) {
          const wrongWire = f.type === 'string' || f.type === 'bytes' || f.type === 'message' ? varintField(f.number, 7) : lenField(f.number, Buffer.from('\u0000\ud800', 'utf8'));
          await hostileCall(client, m, wrongWire, `field ${f.name} with the wrong wire type`);
          await hostileCall(client, m, fixed64Field(f.number, Number.NaN), `field ${f.name} as a NaN fixed64`);
          await hostileCall(client, m, varintField(f.number, -1n), `field ${f.name} as varint -1`);
          if (f.type === 'string') {
            await hostileCall(client, m, lenField(f.number, Buffer.from([0xed, 0xa0, 0x80, 0x00, 0xff])), `field ${f.name} as invalid UTF-8`);
          }
        }
        const longString = m.fields.find((f) => f.type === 'string');
        if (longString) {
          // Its own connection, so a large message cannot hold up the small ones on a shared one.
          const own = rawClient(`127.0.0.1:${core.grpcPort}`);
          await hostileCall(own, m, lenField(longString.number, Buffer.alloc(1_500_000, 0x41)), `field ${longString.name} 1.5 MB long`);
          own.close();
        }
        const valid = m.encode(Object.fromEntries(m.fields.filter((f) => f.type === 'string').map((f) => [f.name, f.repeated ? ['hostile-value-1234'] : 'hostile-value-1234'])));
        if (valid.length > 2) await hostileCall(client, m, valid.subarray(0, valid.length - 3), 'truncated');
      }
      // Over the server's limit (4 × CADENCE_MAX_BODY_BYTES), once per service.
      for (const m of [...new Map(methods.filter((x) => !x.responseStream).map((x) => [x.service, x])).values()]) {
        sent.grpc++;
        const huge = await client.call(m, lenField(1, Buffer.alloc(5 * 1024 * 1024, 0x61)), meta, 30_000);
        expect(huge.code, `${m.path} 5 MB: ${huge.details}`).toBe(status.RESOURCE_EXHAUSTED);
      }
      // Random bytes for every non-streaming method (fast-check).
      const unary = methods.filter((m) => !m.responseStream);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...unary), fc.uint8Array({ minLength: 1, maxLength: 200 }), async (m, bytes) => {
          await hostileCall(client, m, Buffer.from(bytes), `random ${Buffer.from(bytes).toString('hex').slice(0, 40)}`);
        }),
        { numRuns: 600, seed: 11 },
      );
    } finally {
      client.close();
    }
    expect(failures).toEqual([]);
    // Garbage that decodes into a bad token or key is a refused attempt: recorded in security_events
    // (a few rows per caller and minute, core/policy/security-log.ts). Nothing else is written.
    const after = await rowCounts();
    expect({ ...after, security_events: 0 }).toEqual({ ...before, security_events: 0 });
    expect(after.security_events! - before.security_events!).toBeLessThanOrEqual(30);
  }, 120_000);
});
