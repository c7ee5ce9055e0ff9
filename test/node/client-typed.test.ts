// client/ (createCadenceClients over protoc-gen-es code) against a fresh core, over every transport
// a caller would pick: connect-node's Connect (binary, JSON), gRPC and gRPC-Web, and connect-web's
// fetch transports (Connect through workersFetch, gRPC-Web). Register, Login, IngestBatch and
// GetSessionRisk, and a refusal read as INVALID_ARGUMENT with google.rpc.BadRequest, typed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromJson } from '@bufbuild/protobuf';
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import * as node from '@connectrpc/connect-node';
import * as web from '@connectrpc/connect-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_GEN, clientTemplate } from '../../cli/gen-proto.ts';
import { createCadenceClients, workersFetch } from '../../client/index.ts';
import { createUnaryTransport, fetchBytesPost } from '../../client/unary-transport.ts';
import { createNodeBytesPost } from '../../edge/node-post.ts';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { IngestBatchRequestSchema } from '../../client/gen/cadence/v1/ingest_pb.ts';
import { Decision } from '../../client/gen/cadence/v1/risk_pb.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch } from '../helpers/batches.ts';
import { freshCore, type FreshCore } from '../helpers/fresh-core.ts';

let core: FreshCore;
beforeAll(async () => {
  core = await freshCore();
}, 60_000);
afterAll(async () => core?.close());

const transports: { name: string; make: () => Transport }[] = [
  { name: 'connect-node: Connect binary', make: () => node.createConnectTransport({ baseUrl: core.httpUrl, httpVersion: '1.1' }) },
  { name: 'connect-node: Connect JSON over HTTP/2', make: () => node.createConnectTransport({ baseUrl: core.httpUrl, httpVersion: '2', useBinaryFormat: false }) },
  { name: 'connect-node: gRPC (native port)', make: () => node.createGrpcTransport({ baseUrl: core.grpcUrl }) },
  { name: 'connect-node: gRPC-Web', make: () => node.createGrpcWebTransport({ baseUrl: core.httpUrl, httpVersion: '1.1' }) },
  { name: 'connect-web: Connect JSON through workersFetch', make: () => web.createConnectTransport({ baseUrl: core.httpUrl, fetch: workersFetch }) },
  { name: 'connect-web: gRPC-Web binary', make: () => web.createGrpcWebTransport({ baseUrl: core.httpUrl, useBinaryFormat: true }) },
  { name: 'client/unary-transport: Connect binary over node:http', make: () => createUnaryTransport({ baseUrl: core.httpUrl, post: createNodeBytesPost(), timeoutMs: 5000 }) },
  { name: 'client/unary-transport: Connect binary over fetch', make: () => createUnaryTransport({ baseUrl: core.httpUrl, post: fetchBytesPost(workersFetch) }) },
];

describe.each(transports)('createCadenceClients over $name', ({ make }) => {
  it('registers, signs in, stores a batch and reads its risk; a bad request names its field', async () => {
    const cadence = createCadenceClients({ transport: make() });
    const email = `typed-${Math.random().toString(36).slice(2)}@example.com`;
    const { userId } = await cadence.identity.register({ email, password: 'correct horse battery', mpin: '2468' });
    expect(userId).toMatch(/\S/);
    const login = await cadence.identity.login({ email, password: 'correct horse battery', deviceId: 'typed-device' });
    expect(login.userId).toBe(userId);
    expect(login.tokens?.accessExpiresAtMs).toBeGreaterThan(BigInt(Date.now()));

    const b = batch({ sessionId: login.sessionId });
    b.context = { ...b.context!, deviceId: 'typed-device' }; // the session is bound to the device that signed in
    const stored = await cadence.ingest.ingestBatch(fromJson(IngestBatchRequestSchema, { batch: toWireBatch(b) as never }));
    expect(stored.storedEvents).toBe(b.events.length);
    const risk = await cadence.risk.getSessionRisk({ sessionId: login.sessionId });
    expect(risk.eventCount).toBe(BigInt(b.events.length));
    expect(risk.latest?.decision).not.toBe(Decision.UNSPECIFIED);

    const err = await cadence.risk.getSessionRisk({ sessionId: '' }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field).toBe('session_id');
  });
});

describe('client/unary-transport beyond a plain call', () => {
  const admin = (headers?: Record<string, string>, baseUrl = core.httpUrl) => createCadenceClients({ transport: createUnaryTransport({ baseUrl, post: createNodeBytesPost(), timeoutMs: 5000, headers }) }).admin;

  it('sends its fixed headers and the headers of a call (the key), and reads the refusal without one', async () => {
    const { ADMIN_KEY } = await import('../helpers/fresh-core.ts');
    expect((await admin({ 'x-api-key': ADMIN_KEY }).getStats({})).sessions).toBeGreaterThanOrEqual(0n);
    expect((await admin().getStats({}, { headers: { 'x-api-key': ADMIN_KEY } })).sessions).toBeGreaterThanOrEqual(0n);
    const refused = await admin().getStats({}).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(refused?.code).toBe(Code.Unauthenticated);
  });

  it('reads the code of a JSON error body (a path the core does not serve), a page that is not Connect by its status, no server as unavailable', async () => {
    const health = createCadenceClients({ transport: createUnaryTransport({ baseUrl: `${core.httpUrl}/nowhere`, post: createNodeBytesPost() }) }).health;
    expect((await health.check({}).catch((e: unknown) => ConnectError.from(e)) as ConnectError).code).toBe(Code.NotFound);
    const page = createUnaryTransport({ baseUrl: 'http://x', post: async () => ({ status: 503, contentType: 'text/html', body: new TextEncoder().encode('<h1>busy</h1>') }) });
    expect((await createCadenceClients({ transport: page }).health.check({}).catch((e: unknown) => ConnectError.from(e)) as ConnectError).code).toBe(Code.Unavailable);
    const gone = await admin(undefined, 'http://127.0.0.1:9').getStats({}).catch((e: unknown) => ConnectError.from(e));
    expect((gone as ConnectError).code).toBe(Code.Unavailable);
  });

  it('aborts a call past its deadline as deadline_exceeded, and sends nothing for a call cancelled before it starts', async () => {
    const slow = createUnaryTransport({ baseUrl: 'http://x', post: (_u, _h, _b, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) });
    const err = await createCadenceClients({ transport: slow }).health.check({}, { timeoutMs: 20 }).catch((e: unknown) => ConnectError.from(e));
    expect((err as ConnectError).code).toBe(Code.DeadlineExceeded);
    let posted = 0;
    const counted = createUnaryTransport({ baseUrl: 'http://x', post: async () => (posted++, { status: 200, contentType: 'application/proto', body: new Uint8Array() }) });
    const gone = new AbortController();
    gone.abort();
    const cancelled = await createCadenceClients({ transport: counted }).health.check({}, { signal: gone.signal }).catch((e: unknown) => ConnectError.from(e));
    expect([(cancelled as ConnectError).code, posted]).toEqual([Code.Canceled, 0]);
  });
});

describe('client/gen', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const files = (dir: string) => (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name))).sort();

  it('is what protoc-gen-es makes of proto/ as it is now (run `cadence gen-proto` after editing proto/)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cadence-client-gen-'));
    try {
      const r = spawnSync(path.join(root, 'node_modules/.bin/buf'), ['generate', 'proto', '--template', clientTemplate(out)], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const committed = path.join(root, CLIENT_GEN);
      expect(files(committed)).toEqual(files(out));
      for (const f of files(out)) expect(readFileSync(path.join(committed, f), 'utf8'), f).toBe(readFileSync(path.join(out, f), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
