// Raw on purpose: its subject is buf curl, a third-party client, discovering the core by reflection.
// Server reflection as grpcurl and buf curl use it: buf curl (Go's descriptor pool validates every
// reflected file) lists and calls every service of a fresh core knowing nothing but its address.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_ARGS } from '../../cli/gen-proto.ts';
import { DESCRIPTOR_SET } from '../../core/transport/reflection.ts';
import { ADMIN_KEY, bufCurl, freshCore, type FreshCore } from '../helpers/fresh-core.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
let core: FreshCore;
const grpc = () => ['--protocol', 'grpc', '--http2-prior-knowledge'];

beforeAll(async () => {
  core = await freshCore();
}, 60_000);
afterAll(async () => core?.close());

describe('reflection', () => {
  it('serves the descriptor set compiled from proto/ as it is now (run `cadence gen-proto` after editing proto/)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cadence-desc-'));
    try {
      const out = path.join(dir, 'set.binpb');
      const args = DESCRIPTOR_ARGS.map((a) => (a === 'gen/descriptors/cadence.binpb' ? out : a));
      const r = spawnSync(path.join(root, 'node_modules/.bin/buf'), args, { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(Buffer.compare(readFileSync(out), readFileSync(DESCRIPTOR_SET))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every method of every service, health included, over v1 and v1alpha', async () => {
    for (const protocol of ['grpc-v1', 'grpc-v1alpha']) {
      const r = await bufCurl([...grpc(), '--reflect-protocol', protocol, '--list-methods', core.grpcUrl]);
      expect(r.status, r.stderr).toBe(0);
      const methods = r.stdout.trim().split('\n');
      for (const m of ['cadence.v1.AdminService/GetStats', 'cadence.v1.IdentityService/Register', 'cadence.v1.IngestService/IngestBatch',
        'cadence.v1.RiskService/StreamDecisions', 'cadence.v1.ModelService/ListModels', 'cadence.v1.OffchainService/Predict', 'grpc.health.v1.Health/Check']) {
        expect(methods, protocol).toContain(m);
      }
    }
  });

  it('describes messages with proto field names, json names and map entries as protoc names them', async () => {
    // A call whose response holds a map (GetStats.decisions): resolvable only if the entry is `DecisionsEntry`.
    const stats = await bufCurl([...grpc(), '-H', `x-api-key: ${ADMIN_KEY}`, '-d', '{"since_ms": "0"}', `${core.grpcUrl}/cadence.v1.AdminService/GetStats`]);
    expect(stats.status, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toBeTypeOf('object');
  });

  it('calls through reflection: health, a public RPC, and a refusal naming the field', async () => {
    const health = await bufCurl([...grpc(), `${core.grpcUrl}/grpc.health.v1.Health/Check`]);
    expect(health.status, health.stderr).toBe(0);
    expect(JSON.parse(health.stdout)).toEqual({ status: 'SERVING' });

    const jwks = await bufCurl([...grpc(), '-d', '{}', `${core.grpcUrl}/cadence.v1.IdentityService/GetJwks`]);
    expect(jwks.status, jwks.stderr).toBe(0);
    expect(JSON.parse(JSON.parse(jwks.stdout).jwksJson).keys.length).toBeGreaterThan(0);

    const bad = await bufCurl([...grpc(), '-d', '{"password": "x"}', `${core.grpcUrl}/cadence.v1.IdentityService/Register`]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid_argument/);
    expect(bad.stderr).toMatch(/email/);
  });
});

describe('buf curl --protocol connect on the HTTP face (schema: the compiled descriptor set)', () => {
  const connect = (extra: string[] = []) => ['--protocol', 'connect', '--schema', DESCRIPTOR_SET.pathname, ...extra];

  it('calls over HTTP/1.1 and HTTP/2 (binary protobuf on the wire, as buf curl sends it)', async () => {
    for (const transport of [[], ['--http2-prior-knowledge']]) {
      const health = await bufCurl([...connect(transport), `${core.httpUrl}/grpc.health.v1.Health/Check`]);
      expect(health.status, health.stderr).toBe(0);
      expect(JSON.parse(health.stdout)).toEqual({ status: 'SERVING' });
      const email = `bufcurl-${Math.random().toString(36).slice(2)}@example.com`;
      const registered = await bufCurl([...connect(transport), '-d', JSON.stringify({ email, password: 'correct horse battery', mpin: '2468' }), `${core.httpUrl}/cadence.v1.IdentityService/Register`]);
      expect(registered.status, registered.stderr).toBe(0);
      expect(JSON.parse(registered.stdout).userId).toMatch(/\S/);
    }
    const stats = await bufCurl([...connect(['-H', `x-api-key: ${ADMIN_KEY}`]), '-d', '{"since_ms": "0"}', `${core.httpUrl}/cadence.v1.AdminService/GetStats`]);
    expect(stats.status, stats.stderr).toBe(0);
  });

  it('reads a refusal with its code and google.rpc.BadRequest', async () => {
    const bad = await bufCurl([...connect(), '-d', '{"password": "x"}', `${core.httpUrl}/cadence.v1.IdentityService/Register`]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid_argument/);
    expect(bad.stderr).toMatch(/google\.rpc\.BadRequest/);
    expect(bad.stderr).toMatch(/"field": "email"/);
  });
});
