// The official Connect client (connect-es, @connectrpc/connect-node) with its default settings and
// each transport, against a fresh core: Connect on the HTTP face (binary and JSON, HTTP/1.1 and
// HTTP/2, gzip both ways) and gRPC on the native port. Errors carry google.rpc.BadRequest.
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import { compressionGzip, createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCadenceClients } from '../../client/index.ts';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { HealthCheckResponse_ServingStatus } from '../../client/gen/grpc/health/v1/health_pb.ts';
import { freshCore, type FreshCore } from '../helpers/fresh-core.ts';

let core: FreshCore;
beforeAll(async () => {
  core = await freshCore({ CADENCE_LOGIN_MAX_FAILURES: '100', CADENCE_LOGIN_ACCOUNT_MAX_FAILURES: '200' }); // every variant signs in wrongly once
}, 60_000);
afterAll(async () => core?.close());

// The messages and services protoc-gen-es generated from proto/ (client/), as a connect-es user has them.

type Variant = { name: string; transport: () => Transport };
const variants: Variant[] = [
  ...(['1.1', '2'] as const).flatMap((httpVersion) =>
    [true, false].map((useBinaryFormat) => ({
      name: `Connect ${useBinaryFormat ? 'binary' : 'JSON'} over HTTP/${httpVersion}, gzip`,
      transport: () => createConnectTransport({ baseUrl: core.httpUrl, httpVersion, useBinaryFormat, sendCompression: compressionGzip, compressMinBytes: 0 }),
    })),
  ),
  { name: 'Connect with defaults (binary, HTTP/1.1)', transport: () => createConnectTransport({ baseUrl: core.httpUrl, httpVersion: '1.1' }) },
  { name: 'gRPC on the native port, gzip', transport: () => createGrpcTransport({ baseUrl: core.grpcUrl, sendCompression: compressionGzip, compressMinBytes: 0 }) },
];

describe.each(variants)('connect-es: $name', ({ transport: make }) => {
  it('checks health, registers, signs in, and is refused with the field named in google.rpc.BadRequest', async () => {
    const { health, identity } = createCadenceClients({ transport: make() });
    expect((await health.check({ service: '' })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);

    const email = `es-${Math.random().toString(36).slice(2)}@example.com`;
    const registered = await identity.register({ email, password: 'correct horse battery', mpin: '2468' });
    expect(registered.userId).toMatch(/\S/);
    const login = await identity.login({ email, password: 'correct horse battery', deviceId: 'es-device' });
    expect(login.sessionId).toMatch(/\S/);
    expect(typeof login.tokens?.accessExpiresAtMs).toBe('bigint');

    const err = await identity.register({ password: 'x', mpin: '2468' }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.InvalidArgument);
    const [violations] = err!.findDetails(BadRequestSchema);
    expect(violations?.fieldViolations[0]).toMatchObject({ field: 'email', description: expect.stringMatching(/email/) });
  });

  it('reads an unknown account as unauthenticated', async () => {
    const { identity } = createCadenceClients({ transport: make() });
    const err = await identity.login({ email: `nobody-${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery', deviceId: 'd' }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.Unauthenticated);
  });
});
