// The edge's calls to the core through the typed clients (edge/core-clients.ts, edge/forward.ts):
// how connect-es errors become the edge's CadenceErrors (lib/connect-error.ts), that stored requests
// go out byte for byte, and, against a real core behind a real Node edge, that a core's
// INVALID_ARGUMENT with its google.rpc.BadRequest reaches the edge's HTTP face as a 4xx naming the field.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestBatchesRequestSchema, IngestBatchesResponseSchema, IngestBatchRequestSchema } from '../../client/gen/cadence/v1/ingest_pb.ts';
import { StandingLevel } from '../../client/gen/cadence/v1/risk_pb.ts';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { createCoreForwarder, encodeRequest } from '../../edge/forward.ts';
import { createNodeBytesPost } from '../../edge/node-post.ts';
import { serveEdge } from '../../edge/node.ts';
import { cadenceErrorOf } from '../../lib/connect-error.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { esIngestRequest } from '../../lib/wire-es.ts';
import { batch, typing } from '../helpers/batches.ts';
import { testDb, type TestDb } from '../helpers/db.ts';

/** An INVALID_ARGUMENT as a client reads it off the wire: a google.rpc.BadRequest in its details. */
const badRequest = (field: string) => {
  const e = new ConnectError('bad', ConnectCode.InvalidArgument);
  e.details = [{ type: 'google.rpc.BadRequest', value: toBinary(BadRequestSchema, create(BadRequestSchema, { fieldViolations: [{ field, description: 'bad' }] })) }];
  e.isWireError = true;
  return e;
};

describe('ConnectError to CadenceError (lib/connect-error.ts)', () => {
  it("takes the code as it is and the field from google.rpc.BadRequest, in Cadence's camelCase path", () => {
    const e = cadenceErrorOf(badRequest('batch.context.device_id'));
    expect(e).toBeInstanceOf(CadenceError);
    expect(e).toMatchObject({ code: Code.INVALID_ARGUMENT, message: 'bad', field: 'batch.context.deviceId' });
    expect(e.httpStatus).toBe(400);
  });

  it("takes Cadence's own field, kept by the transport, for codes BadRequest is not for", () => {
    const e = cadenceErrorOf(Object.assign(new ConnectError('wrong MPIN', ConnectCode.Unauthenticated, { 'cadence-field': 'mpin' }), { isWireError: true }));
    expect(e).toMatchObject({ code: Code.UNAUTHENTICATED, message: 'wrong MPIN', field: 'mpin' });
    expect(cadenceErrorOf(Object.assign(new ConnectError('gone', ConnectCode.Canceled), { isWireError: true })).code).toBe(Code.CANCELLED);
  });

  it("reads a call that got no answer (unreachable, or silent past the deadline) as UNAVAILABLE, keeping the deadline's TimeoutError as a cause; a core's own DEADLINE_EXCEEDED stays that", () => {
    const timeout = new ConnectError('no answer within 5 ms', ConnectCode.DeadlineExceeded, undefined, undefined, new DOMException('no answer within 5 ms', 'TimeoutError'));
    const e = cadenceErrorOf(timeout);
    expect(e).toMatchObject({ code: Code.UNAVAILABLE, message: 'core unreachable: no answer within 5 ms' });
    expect(((e.cause as Error).cause as Error).name).toBe('TimeoutError');
    expect(cadenceErrorOf(Object.assign(new ConnectError('late', ConnectCode.DeadlineExceeded), { isWireError: true })).code).toBe(Code.DEADLINE_EXCEEDED);
    expect(cadenceErrorOf(new Error('boom')).code).toBe(Code.INTERNAL);
  });
});

describe('stored requests (edge/forward.ts)', () => {
  let server: http.Server;
  let base: string;
  const bodies: Uint8Array[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const body = new Uint8Array(Buffer.concat(parts));
        bodies.push(body);
        const n = fromBinary(IngestBatchesRequestSchema, body).requests.length;
        const answer = create(IngestBatchesResponseSchema, {
          results: Array.from({ length: n }, (_, i) => (i === 1
            ? { outcome: { case: 'error' as const, value: { code: 'invalid_argument', message: 'no', field: 'batch.seq' } } }
            : { outcome: { case: 'response' as const, value: { duplicate: i === 2, standing: { level: StandingLevel.CHALLENGE, reasons: ['replay'] } } } })),
        });
        res.writeHead(200, { 'content-type': 'application/proto' }).end(toBinary(IngestBatchesResponseSchema, answer));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('go out in one IngestBatches call byte for byte, each answer settled on its own, the standing handed on for its session', async () => {
    const heard: [string, string, readonly string[]][] = [];
    const forwarder = createCoreForwarder({ coreUrls: [base], timeoutMs: 2000, post: createNodeBytesPost(), onStanding: (s, level, reasons) => void heard.push([s, level, reasons]) });
    const assessment = { score: 0.2, decision: 'allow' as const, modelVersion: 'm', reasons: ['r'], judged: true };
    const requests = ['s-a', 's-b', 's-c'].map((sessionId, i) => esIngestRequest(batch({ sessionId, seq: i, events: typing({ keys: 4, seed: i }) }), assessment, 1_700_000_000_000 + i, { country: 'DE', city: 'Berlin' }));
    const stored = requests.map((r) => ({ sessionId: r.batch!.sessionId, bytes: encodeRequest(r) }));
    const answers = await forwarder.sendManyStored!(stored);
    expect(answers[0]).toEqual({ duplicate: false });
    expect(answers[1]).toMatchObject({ code: Code.INVALID_ARGUMENT, field: 'batch.seq' });
    expect(answers[2]).toEqual({ duplicate: true });
    // What the core received is exactly the IngestBatches of the three requests.
    expect(Buffer.from(bodies.at(-1)!).equals(Buffer.from(toBinary(IngestBatchesRequestSchema, create(IngestBatchesRequestSchema, { requests }))))).toBe(true);
    expect(fromBinary(IngestBatchesRequestSchema, bodies.at(-1)!).requests.map((r) => r.batch?.sessionId)).toEqual(['s-a', 's-b', 's-c']);
    expect(heard).toEqual([['s-a', 'challenge', ['replay']], ['s-c', 'challenge', ['replay']]]);
    // One stored request alone is an IngestBatch whose body is the stored bytes themselves.
    const single = encodeRequest(requests[0]!);
    expect(toBinary(IngestBatchRequestSchema, fromBinary(IngestBatchRequestSchema, single))).toEqual(single);
  });
});

describe('a core refusal at the edge face (real core, real Node edge)', () => {
  let dir: string;
  let database: TestDb;
  let core: RunningCore;
  let edge: Awaited<ReturnType<typeof serveEdge>>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-core-client-'));
    database = await testDb(dir);
    core = await serveCore(parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url, CADENCE_SCRYPT_N: '1024' }), createLogger('silent'));
    edge = await serveEdge({ CADENCE_CORE_URL: `http://127.0.0.1:${core.httpPort}`, CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`, CADENCE_EDGE_AUTH: 'off' }, 0);
  });
  afterAll(async () => {
    await edge?.close();
    await core?.stop();
    await database?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the core's INVALID_ARGUMENT (google.rpc.BadRequest over Connect binary) as a 400 JSON naming the field", async () => {
    // The edge checks only the shape (a non-empty string); the core's rule is 10 characters at least.
    const res = await fetch(`http://127.0.0.1:${edge.port}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'short@example.com', password: 'short', mpin: '1234' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_argument', message: expect.stringContaining('at least 10 characters'), field: 'password' } });
  });
});
