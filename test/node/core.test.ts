// The core over a real socket: grpc-js on port 0, a real libSQL file, client/'s typed clients.
// Raw on purpose: the Connect rows on the JSON wire encoding and on malformed bodies (fetch).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IngestService, RiskService } from '../../client/index.ts';
import { connectTransport, rejection, status, unary } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { createDb } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';
import { grpcClients } from '../helpers/grpc-client.ts';

let dir: string;
let core: RunningCore;
let client: ReturnType<typeof grpcClients>;
let dbUrl: string;
let database: TestDb;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-core-'));
  database = await testDb(dir);
  dbUrl = database.url;
  core = await serveCore(parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: dbUrl }), createLogger('silent'));
  client = grpcClients(`127.0.0.1:${core.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await core?.stop();
  await database?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('core over native gRPC', () => {
  it('reports SERVING through the standard health service', async () => {
    expect((await client.healthCheck()).status).toBe('SERVING');
    expect((await client.healthCheck('cadence.v1.IngestService')).status).toBe('SERVING');
  });

  it('stores a batch once, however often it is sent, and reports the counts', async () => {
    const b = batch();
    const first = await client.ingestBatch({ batch: toWireBatch(b), receivedAtMs: Date.now() });
    expect(first).toMatchObject({ duplicate: false, storedEvents: b.events.length });
    expect(first.assessment.decision).toBe('DECISION_ALLOW');
    const again = await client.ingestBatch({ batch: toWireBatch(b), receivedAtMs: Date.now() });
    expect(again).toMatchObject({ duplicate: true, storedEvents: 0 });

    const second = batch({ sessionId: b.sessionId, seq: 1 });
    await client.ingestBatch({ batch: toWireBatch(second), edgeAssessment: { score: 0.2, decision: 'DECISION_ALLOW', modelVersion: 'edge-test', judged: true } });

    const risk = await client.getSessionRisk({ sessionId: b.sessionId });
    expect(risk.batchCount).toBe('2');
    expect(risk.eventCount).toBe(String(b.events.length + second.events.length));
    expect(risk.latest.decision).toBe('DECISION_ALLOW');
    expect(risk.latestEdge).toMatchObject({ score: 0.2, modelVersion: 'edge-test' });

    // The rows themselves, not just the counters, say the same.
    const db = await createDb(dbUrl, { migrate: false });
    const rows = await db.$client.execute({ sql: 'select count(*) as n from events where session_id = ?', args: [b.sessionId] });
    expect(Number(rows.rows[0]!.n)).toBe(b.events.length + second.events.length);
    db.$client.close();
  });

  it('refuses a reused batch id with different content', async () => {
    const b = batch();
    await client.ingestBatch({ batch: toWireBatch(b) });
    const err = await rejection(client.ingestBatch({ batch: toWireBatch({ ...b, seq: 9 }) }));
    expect(err.code).toBe(status.ALREADY_EXISTS);
  });

  it('stores concurrent retries of the same batch exactly once', async () => {
    const b = batch();
    const results = await Promise.all(Array.from({ length: 8 }, () => client.ingestBatch({ batch: toWireBatch(b) })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await client.getSessionRisk({ sessionId: b.sessionId })).eventCount).toBe(String(b.events.length));
  });

  it('scores a bot batch as risky', async () => {
    const b = batch({ events: botTyping() });
    const res = await client.ingestBatch({ batch: toWireBatch(b) });
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(res.assessment.decision);
    expect(res.assessment.reasons.length).toBeGreaterThan(0);
  });

  it.each([
    ['no batch', {}, status.INVALID_ARGUMENT, /batch is required/],
    ['no consent', { batch: { ...toWireBatch(batch()), consent: false } }, status.FAILED_PRECONDITION, /consent/],
    ['negative time', { batch: { ...toWireBatch(batch()), events: [{ type: 'EVENT_TYPE_FOCUS', t: -3 }] } }, status.INVALID_ARGUMENT, /batch\.events\.0\.t/],
    ['no events', { batch: { ...toWireBatch(batch()), events: [] } }, status.INVALID_ARGUMENT, /batch\.events/],
    ['unspecified type', { batch: { ...toWireBatch(batch()), events: [{ t: 1 }] } }, status.INVALID_ARGUMENT, /batch\.events\.0\.type/],
    ['bad session id', { batch: { ...toWireBatch(batch()), sessionId: 'a b' } }, status.INVALID_ARGUMENT, /batch\.sessionId/],
    ['edge score out of range', { batch: toWireBatch(batch()), edgeAssessment: { score: 7, decision: 'DECISION_ALLOW' } }, status.INVALID_ARGUMENT, /edgeAssessment\.score/],
  ])('refuses %s with the right code, storing nothing', async (_name, req, code, message) => {
    const err = await rejection(client.ingestBatch(req));
    expect(err.code).toBe(code);
    expect(err.details).toMatch(message);
    const sessionId = (req as { batch?: { sessionId?: string } }).batch?.sessionId;
    if (sessionId && sessionId !== 'a b') expect((await rejection(client.getSessionRisk({ sessionId }))).code).toBe(status.NOT_FOUND);
  });

  it('answers NOT_FOUND for an unknown session and INVALID_ARGUMENT for no session id', async () => {
    expect((await rejection(client.getSessionRisk({ sessionId: 'never-seen' }))).code).toBe(status.NOT_FOUND);
    expect((await rejection(client.getSessionRisk({}))).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('core over Connect JSON (the edges\' face), same handlers', () => {
  const post = (pathname: string, body: unknown, type = 'application/json') =>
    fetch(`http://127.0.0.1:${core.httpPort}${pathname}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('ingests and reads back, with 64-bit counts as proto3 JSON strings', async () => {
    const b = batch();
    const res = await post('/cadence.v1.IngestService/IngestBatch', { batch: toWireBatch(b) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ duplicate: false, storedEvents: b.events.length });
    const risk = await post('/cadence.v1.RiskService/GetSessionRisk', { sessionId: b.sessionId });
    expect(await risk.json()).toMatchObject({ sessionId: b.sessionId, batchCount: '1', eventCount: String(b.events.length) });
  });

  it('ingests several batches in one IngestBatches call, answering each: one refused does not refuse the others', async () => {
    const { transport } = connectTransport(`http://127.0.0.1:${core.httpPort}`);
    const ingestBatches = unary(transport, IngestService, 'ingestBatches');
    const getSessionRisk = unary(transport, RiskService, 'getSessionRisk');
    const [a, b] = [batch(), batch()];
    const { results } = await ingestBatches({
      requests: [{ batch: toWireBatch(a) }, { batch: { ...toWireBatch(b), consent: false } }, { batch: toWireBatch(b) }, { batch: toWireBatch(a) }],
    });
    expect(results).toHaveLength(4);
    expect(results.map((r: { outcome: string }) => r.outcome)).toEqual(['response', 'error', 'response', 'response']);
    expect(results[0]!.response).toMatchObject({ storedEvents: a.events.length });
    expect(results[1]!.error).toMatchObject({ code: 'failed_precondition', field: 'batch.consent' });
    expect(results[2]!.response).toMatchObject({ storedEvents: b.events.length });
    expect(results[3]!.response).toMatchObject({ duplicate: true });
    for (const s of [a, b]) {
      expect(await getSessionRisk({ sessionId: s.sessionId })).toMatchObject({ batchCount: '1', eventCount: String(s.events.length) });
    }
    for (const requests of [[], Array.from({ length: 65 }, () => ({ batch: toWireBatch(batch()) }))]) {
      const bad = await rejection(ingestBatches({ requests }));
      expect([bad.code, bad.fieldViolations.map((v) => v.field)]).toEqual([status.INVALID_ARGUMENT, ['requests']]);
    }
  });

  it('maps errors to Connect codes and HTTP statuses', async () => {
    const notFound = await post('/cadence.v1.RiskService/GetSessionRisk', { sessionId: 'nobody' });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ code: 'not_found' });
    const malformed = await post('/cadence.v1.RiskService/GetSessionRisk', '{"sessionId":');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).message).toMatch(/malformed JSON/);
    const wrongType = await post('/cadence.v1.RiskService/GetSessionRisk', 'x', 'text/plain');
    expect(wrongType.status).toBe(415);
    // Binary protobuf is spoken too: 'x' (0x78, field 15 with wire type 0 and no varint) is a truncated message.
    const notProto = await post('/cadence.v1.RiskService/GetSessionRisk', 'x', 'application/proto');
    expect(notProto.status).toBe(400);
    expect(await notProto.json()).toMatchObject({ code: 'invalid_argument' });
    const invalid = await post('/cadence.v1.IngestService/IngestBatch', { batch: { ...toWireBatch(batch()), seq: 1.5 } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ code: 'invalid_argument', field: 'batch.seq' });
    const extra = await post('/cadence.v1.RiskService/GetSessionRisk', { sessionId: 's', admin: true });
    expect(await extra.json()).toMatchObject({ code: 'invalid_argument', field: 'admin' });
    const unknown = await post('/cadence.v1.RiskService/Nope', {});
    expect(unknown.status).toBe(404);
    const huge = await post('/cadence.v1.IngestService/IngestBatch', JSON.stringify({ pad: 'x'.repeat(2 << 20) }));
    expect(huge.status).toBe(413);
  });

  it('serves /healthz with the database state', async () => {
    const res = await fetch(`http://127.0.0.1:${core.httpPort}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok', modelVersion: 'population-keystroke-2+automation-1' });
  });
});
