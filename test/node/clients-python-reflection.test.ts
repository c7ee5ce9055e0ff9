// Raw on purpose: its subject is Python grpcio, a third-party client, discovering the core by reflection.
// Python grpcio (Debian's python3-grpcio, installed by .ci/run) knowing only the core's address:
// descriptors by server reflection into a fresh Python descriptor pool (which validates every
// file), calls with dynamic messages, google.rpc.BadRequest read from grpc-status-details-bin.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, freshCore, type FreshCore } from '../helpers/fresh-core.ts';

const python = '/usr/bin/python3';
const missing = !existsSync(python)
  ? `${python} is absent`
  : spawnSync(python, ['-c', 'import grpc, google.protobuf'], { stdio: 'ignore' }).status !== 0
    ? 'python3-grpcio / python3-protobuf are not installed'
    : spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status !== 0
      ? 'protoc (protobuf-compiler) is not installed'
      : undefined;
if (missing) console.warn(`skipping the Python reflection client: ${missing} (apt-get install python3-grpcio python3-protobuf protobuf-compiler)`);

const script = fileURLToPath(new URL('../clients/reflect.py', import.meta.url));
const reflectionProtos = fileURLToPath(new URL('../../node_modules/@grpc/reflection/build/proto/', import.meta.url));

let core: FreshCore;
beforeAll(async () => {
  if (!missing) core = await freshCore();
}, 60_000);
afterAll(async () => core?.close());

function reflect(): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, `127.0.0.1:${core.grpcPort}`, reflectionProtos, ADMIN_KEY], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`reflect.py failed (${code}): ${err}`));
      resolve(JSON.parse(out));
    });
  });
}

describe.skipIf(missing)('Python grpcio by server reflection', () => {
  it('builds every reflected file into a descriptor pool, calls, and reads BadRequest from the status details', async () => {
    const r = await reflect();
    expect(r.services).toEqual(expect.arrayContaining(['cadence.v1.AdminService', 'cadence.v1.IdentityService', 'cadence.v1.IngestService', 'grpc.health.v1.Health']));
    // One file per .proto, with its real name (not one synthetic file per package).
    expect(r.files).toEqual(expect.arrayContaining(['cadence/v1/admin.proto', 'cadence/v1/events.proto', 'grpc/health/v1/health.proto', 'google/rpc/error_details.proto']));
    expect(r.map_entry).toBe('DecisionsEntry');
    expect(r.stats).toBeTypeOf('object');
    expect(r.refusal).toEqual({ code: 'INVALID_ARGUMENT', violations: [{ field: 'email', description: 'email is required' }] });
  });
});
