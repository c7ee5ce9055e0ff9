// Issue 21 item 6: the request's country and city, from headers a trusted proxy sets (named by
// CADENCE_GEO_COUNTRY_HEADER / CADENCE_GEO_CITY_HEADER), through the Node edge and its spool to a
// real core, kept with the session (the first seen) and shown to analysts (GetSessionDetail,
// ListSessions, the dashboard). An edge not configured to trust the headers ignores them; a bad
// value is dropped at the edge and refused by the core, naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { serveEdge } from '../../edge/node.ts';
import { headerText } from '../../edge/geo.ts';
import { cleanGeo } from '../../lib/geo.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, typing } from '../helpers/batches.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { IngestService } from '../../client/index.ts';
import { connectTransport, rejection, status, unary } from '../helpers/typed-core.ts';

type Edge = Awaited<ReturnType<typeof serveEdge>>;
const ADMIN = 'geo-test-admin-key-0123456789';
let dir: string;
let database: TestDb;
let core: RunningCore;
let trusting: Edge;
let plain: Edge;
let c: ReturnType<typeof coreClients>;
let n = 0;

const edgeEnv = (spool: string, geo: Record<string, string>) => ({
  CADENCE_EDGE_AUTH: 'off',
  CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`,
  CADENCE_SPOOL_URL: `file:${path.join(dir, spool)}`,
  CADENCE_RATE_IP_PER_MIN: '0',
  CADENCE_RATE_SESSION_PER_MIN: '0',
  CADENCE_RETRY_CAP_MS: '1000',
  ...geo,
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-geo-'));
  database = await testDb(dir);
  core = await serveCore(
    parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url, CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` }),
    createLogger('silent'),
  );
  c = coreClients(`127.0.0.1:${core.grpcPort}`, ADMIN);
  trusting = await serveEdge(edgeEnv('trusting.db', { CADENCE_GEO_COUNTRY_HEADER: 'X-Geo-Country', CADENCE_GEO_CITY_HEADER: 'x-geo-city' }), 0);
  plain = await serveEdge(edgeEnv('plain.db', {}), 0);
});

afterAll(async () => {
  await trusting?.close();
  await plain?.close();
  c?.close();
  await core?.stop();
  await database?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Posts one batch of a session to an edge with the given headers; the edge must accept it. */
async function post(edge: Edge, sessionId: string, seq: number, headers: Record<string, string>) {
  const body = JSON.stringify(batch({ sessionId, batchId: `g-${seq}`, seq, events: typing({ keys: 12, seed: seq + 1 }) }));
  const res = await fetch(`http://127.0.0.1:${edge.port}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  expect(res.status).toBe(200);
}

/** The session as analysts see it, once the core has stored `batches` of its batches. */
const stored = (sessionId: string, batches: number) =>
  eventually(async () => {
    const d = await c.getSessionDetail({ sessionId }).catch(() => undefined);
    return d && Number(d.session.batchCount) >= batches ? d.session : undefined;
  }, 20_000);

// What a proxy sends for "München": the city's UTF-8 bytes, one header character per byte.
const MUNICH_BYTES = Buffer.from('München', 'utf8').toString('latin1');

describe('geolocation from trusted headers (Node)', () => {
  it('keeps the first location of the session and shows it in GetSessionDetail, ListSessions and the dashboard', async () => {
    const sessionId = `geo-${process.pid}-${++n}`;
    await post(trusting, sessionId, 0, { 'x-geo-country': 'de', 'x-geo-city': MUNICH_BYTES });
    expect(await stored(sessionId, 1)).toMatchObject({ country: 'DE', city: 'München' });
    // A later request from elsewhere does not move the session's location (the first seen stays).
    await post(trusting, sessionId, 1, { 'x-geo-country': 'FR', 'x-geo-city': 'Paris' });
    expect(await stored(sessionId, 2)).toMatchObject({ country: 'DE', city: 'München' });
    const listed = (await c.listSessions({ pageSize: 500 })).sessions.find((s: any) => s.sessionId === sessionId);
    expect(listed).toMatchObject({ country: 'DE', city: 'München' });

    const signIn = await fetch(`http://127.0.0.1:${core.httpPort}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ key: ADMIN }), redirect: 'manual' });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`http://127.0.0.1:${core.httpPort}/dashboard/sessions/${sessionId}`, { headers: { cookie } })).text();
    expect(page).toContain('<dd id="location">München, DE</dd>');
  });

  it('drops what is not a country or a city, and takes a later valid location', async () => {
    const sessionId = `geo-${process.pid}-${++n}`;
    await post(trusting, sessionId, 0, { 'x-geo-country': 'Germany', 'x-geo-city': 'x'.repeat(101) });
    expect(await stored(sessionId, 1)).toMatchObject({ country: '', city: '' });
    await post(trusting, sessionId, 1, { 'x-geo-country': 'T1' }); // Cloudflare's Tor marker is no country
    expect(await stored(sessionId, 2)).toMatchObject({ country: '', city: '' });
    await post(trusting, sessionId, 2, { 'x-geo-country': 'NL' });
    expect(await stored(sessionId, 3)).toMatchObject({ country: 'NL', city: '' });
  });

  it('an edge not configured to trust the headers ignores them (a client could forge them)', async () => {
    const sessionId = `geo-${process.pid}-${++n}`;
    await post(plain, sessionId, 0, { 'x-geo-country': 'DE', 'x-geo-city': 'Berlin', 'cf-ipcountry': 'DE' });
    expect(await stored(sessionId, 1)).toMatchObject({ country: '', city: '' });
  });

  it('the core refuses a bad location naming the field, and stores nothing', async () => {
    const ingestBatch = unary(connectTransport(`http://127.0.0.1:${core.httpPort}`).transport, IngestService, 'ingestBatch');
    const ingest = (geo: unknown) =>
      rejection(ingestBatch({ batch: toWireBatch(batch({ sessionId: `geo-core-${process.pid}`, batchId: 'b', seq: 0, events: typing() })), geo }));
    for (const [geo, field] of [[{ country: 'de' }, 'geo.country'], [{ country: 'XX' }, 'geo.country'], [{ city: 'a\nb' }, 'geo.city'], [{ city: 'y'.repeat(101) }, 'geo.city']] as const) {
      const err = await ingest(geo);
      expect([err.code, err.fieldViolations.map((v) => v.field)]).toEqual([status.INVALID_ARGUMENT, [field]]);
    }
    await expect(c.getSessionDetail({ sessionId: `geo-core-${process.pid}` })).rejects.toMatchObject({ code: 5 });
  });
});

describe('cleanGeo and headerText', () => {
  it('keeps ISO 3166 alpha-2 countries and one-line cities of at most 100 characters', () => {
    expect(cleanGeo(' de ', ' Köln ')).toEqual({ country: 'DE', city: 'Köln' });
    expect(cleanGeo('XX', 'x'.repeat(100))).toEqual({ city: 'x'.repeat(100) });
    expect(cleanGeo('DEU', 'a\u0000b')).toBeUndefined();
    expect(cleanGeo(42, undefined)).toBeUndefined();
    expect(headerText(MUNICH_BYTES)).toBe('München');
    expect(headerText('Z\u00fcrich')).toBe('Z\u00fcrich'); // Latin-1 that is not UTF-8 stays as it came
  });
});
