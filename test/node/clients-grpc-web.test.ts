// Raw on purpose: the buf curl rows and the hand-made frames; connect-es's rows go through client/'s generated code.
// gRPC-Web on the core's HTTP face, called by the clients that speak it: buf curl --protocol grpcweb
// and connect-es's createGrpcWebTransport, against a fresh core; good input, and a bad one read as
// INVALID_ARGUMENT with the field in google.rpc.BadRequest. Also the frames themselves, by hand.
import { fromBinary } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { compressionGzip, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR_SET } from '../../core/transport/reflection.ts';
import { createCadenceClients } from '../../client/index.ts';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { HealthCheckResponse_ServingStatus } from '../../client/gen/grpc/health/v1/health_pb.ts';
import { ADMIN_KEY, bufCurl, freshCore, type FreshCore } from '../helpers/fresh-core.ts';

let core: FreshCore;
beforeAll(async () => {
  core = await freshCore();
}, 60_000);
afterAll(async () => core?.close());

const newEmail = () => `gw-${Math.random().toString(36).slice(2)}@example.com`;

describe('buf curl --protocol grpcweb on the HTTP face', () => {
  const web = (extra: string[] = []) => ['--protocol', 'grpcweb', '--schema', DESCRIPTOR_SET.pathname, ...extra];

  it('checks health, registers and reads stats over HTTP/1.1 and HTTP/2', async () => {
    for (const transport of [[], ['--http2-prior-knowledge']]) {
      const health = await bufCurl([...web(transport), `${core.httpUrl}/grpc.health.v1.Health/Check`]);
      expect(health.status, health.stderr).toBe(0);
      expect(JSON.parse(health.stdout)).toEqual({ status: 'SERVING' });
      const registered = await bufCurl([...web(transport), '-d', JSON.stringify({ email: newEmail(), password: 'correct horse battery', mpin: '2468' }), `${core.httpUrl}/cadence.v1.IdentityService/Register`]);
      expect(registered.status, registered.stderr).toBe(0);
      expect(JSON.parse(registered.stdout).userId).toMatch(/\S/);
    }
    const stats = await bufCurl([...web(['-H', `x-api-key: ${ADMIN_KEY}`]), '-d', '{"since_ms": "0"}', `${core.httpUrl}/cadence.v1.AdminService/GetStats`]);
    expect(stats.status, stats.stderr).toBe(0);
  });

  it('reads a refusal with its code and google.rpc.BadRequest naming the field', async () => {
    const bad = await bufCurl([...web(), '-d', '{"password": "x"}', `${core.httpUrl}/cadence.v1.IdentityService/Register`]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/invalid_argument/);
    expect(bad.stderr).toMatch(/google\.rpc\.BadRequest/);
    // buf curl prints a gRPC-Web error's details as bytes (no debug form, unlike Connect's JSON).
    const detail = (JSON.parse(bad.stderr.slice(bad.stderr.indexOf('{'))) as { details: { value: string }[] }).details[0]!;
    expect(fromBinary(BadRequestSchema, Buffer.from(detail.value, 'base64')).fieldViolations[0]?.field).toBe('email');
    const keyless = await bufCurl([...web(), '-d', '{}', `${core.httpUrl}/cadence.v1.AdminService/GetStats`]);
    expect(keyless.stderr).toMatch(/unauthenticated/);
  });
});

describe.each([
  { name: 'binary, HTTP/1.1', options: { httpVersion: '1.1' as const } },
  { name: 'JSON, HTTP/2, gzip both ways', options: { httpVersion: '2' as const, useBinaryFormat: false, sendCompression: compressionGzip, compressMinBytes: 0 } },
])('connect-es createGrpcWebTransport ($name)', ({ options }) => {
  it('registers, signs in, and is refused with the field named in google.rpc.BadRequest', async () => {
    const transport = createGrpcWebTransport({ baseUrl: core.httpUrl, ...options });
    const { health, identity } = createCadenceClients({ transport });
    expect((await health.check({ service: '' })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const email = newEmail();
    expect((await identity.register({ email, password: 'correct horse battery', mpin: '2468' })).userId).toMatch(/\S/);
    const login = await identity.login({ email, password: 'correct horse battery', deviceId: 'gw-device' });
    expect(login.sessionId).toMatch(/\S/);
    expect(typeof login.tokens?.accessExpiresAtMs).toBe('bigint');
    // An answer over 1 KiB comes back compressed when the client accepts gzip (connect-es always does).
    const jwks = await identity.getJwks({});
    expect(JSON.parse(jwks.jwksJson).keys.length).toBeGreaterThan(0);

    const err = await identity.register({ password: 'x', mpin: '2468' }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.rawMessage).toMatch(/^email: /);
    const [violations] = err!.findDetails(BadRequestSchema);
    expect(violations?.fieldViolations[0]?.field).toBe('email');
  });

  it('honours grpc-timeout: an expired call is deadline_exceeded', async () => {
    const transport = createGrpcWebTransport({ baseUrl: core.httpUrl, ...options });
    const { risk } = createCadenceClients({ transport });
    const err = await risk.getSessionRisk({ sessionId: 'none' }, { headers: { 'grpc-timeout': '0m' } }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.DeadlineExceeded);
  });
});

describe('gRPC-Web frames on the wire', () => {
  const post = (body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(`${core.httpUrl}/grpc.health.v1.Health/Check`, { method: 'POST', headers: { 'content-type': 'application/grpc-web+proto', ...headers }, body });
  const trailers = (bytes: Uint8Array) => {
    // The last frame is the trailer frame (flag 0x80).
    let at = 0;
    let last = '';
    while (at < bytes.length) {
      const length = Buffer.from(bytes.subarray(at + 1, at + 5)).readUInt32BE(0);
      if (bytes[at]! & 0x80) last = Buffer.from(bytes.subarray(at + 5, at + 5 + length)).toString('latin1');
      at += 5 + length;
    }
    return Object.fromEntries(last.split('\r\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  };

  it('answers 200 with the message frame, the status in a trailer frame, and the headers a browser needs exposed', async () => {
    const res = await post(Uint8Array.from([0, 0, 0, 0, 0])); // an empty HealthCheckRequest
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/grpc-web+proto');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/grpc-status/);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(Array.from(body.subarray(0, 7))).toEqual([0, 0, 0, 0, 2, 8, 1]); // status: SERVING
    expect(trailers(body)).toEqual({ 'grpc-status': '0' });
  });

  it('refuses a truncated frame and a frame whose message is cut, as INVALID_ARGUMENT in the trailers', async () => {
    for (const body of [Uint8Array.from([0, 0, 0]), Uint8Array.from([0, 0, 0, 0, 9, 0x0a, 0x10, 0x61]), Uint8Array.from([0, 0, 0, 0, 5, 0x0a, 0x10, 0x61, 0x62, 0x63])]) {
      const res = await post(body);
      expect(res.status).toBe(200);
      const t = trailers(new Uint8Array(await res.arrayBuffer()));
      expect(t['grpc-status'], Buffer.from(body).toString('hex')).toBe('3');
      expect(t['grpc-status-details-bin']).toMatch(/\S/);
    }
  });

  it('refuses a compression it does not speak as UNIMPLEMENTED, and a malformed grpc-timeout', async () => {
    const res = await post(Uint8Array.from([1, 0, 0, 0, 0]), { 'grpc-encoding': 'snappy' });
    expect(trailers(new Uint8Array(await res.arrayBuffer()))['grpc-status']).toBe('12');
    expect(res.headers.get('grpc-accept-encoding')).toMatch(/gzip/);
    const late = await post(Uint8Array.from([0, 0, 0, 0, 0]), { 'grpc-timeout': 'soon' });
    const t = trailers(new Uint8Array(await late.arrayBuffer()));
    expect(t['grpc-status']).toBe('3');
    expect(decodeURIComponent(t['grpc-message']!)).toMatch(/^grpc-timeout: /);
  });
});
