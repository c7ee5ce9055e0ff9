// Raw on purpose: the curl rows (Connect GET URL by URL); connect-es's rows go through client/'s generated code.
// Connect GET on the core's HTTP face: methods marked `idempotency_level = NO_SIDE_EFFECTS` in
// proto/ answer GET (connect-es `useHttpGet: true`, curl); the others answer 405. Against a fresh core.
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCadenceClients, IdentityService } from '../../client/index.ts';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';
import { registry } from '../helpers/descriptors.ts';
import { ADMIN_KEY, freshCore, type FreshCore } from '../helpers/fresh-core.ts';

let core: FreshCore;
beforeAll(async () => {
  core = await freshCore();
}, 60_000);
afterAll(async () => core?.close());


/** connect-web's transport (fetch), with the methods of the requests it sends recorded. */
function watched(useBinaryFormat: boolean): { transport: Transport; methods: string[] } {
  const methods: string[] = [];
  const transport = createConnectTransport({
    baseUrl: core.httpUrl, useBinaryFormat, useHttpGet: true,
    fetch: (input, init) => {
      methods.push(init?.method ?? 'GET');
      return fetch(input, init);
    },
  });
  return { transport, methods };
}

describe.each([true, false])('connect-es (connect-web) with useHttpGet (binary: %s)', (useBinaryFormat) => {
  it('calls side-effect-free methods with GET and the others with POST', async () => {
    const { transport, methods } = watched(useBinaryFormat);
    const { identity, admin } = createCadenceClients({ transport });
    const jwks = await identity.getJwks({});
    expect(JSON.parse(jwks.jwksJson).keys.length).toBeGreaterThan(0);
    await identity.register({ email: `get-${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery', mpin: '2468' });
    const stats = await admin.getStats({ sinceMs: 0n }, { headers: { 'x-api-key': ADMIN_KEY } });
    expect(typeof stats.sessions).toBe('bigint');
    expect(methods).toEqual(['GET', 'POST', 'GET']);
  });

  it('is refused on GET as on POST: the field named in google.rpc.BadRequest, the key checked', async () => {
    const { transport, methods } = watched(useBinaryFormat);
    const { risk, admin } = createCadenceClients({ transport });
    const err = await risk.getSessionRisk({ sessionId: '' }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(err?.code).toBe(Code.InvalidArgument);
    const [violations] = err!.findDetails(BadRequestSchema);
    expect(violations?.fieldViolations[0]?.field).toBe('session_id');
    const keyless = await admin.getStats({}).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(keyless?.code).toBe(Code.Unauthenticated);
    expect(methods).toEqual(['GET', 'GET']);
  });
});

function curl(args: string[]): Promise<{ status: number; body: string; headers: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-s', '-i', ...args]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      const at = out.indexOf('\r\n\r\n');
      const headers = out.slice(0, at);
      resolve({ status: Number(/^HTTP\/[\d.]+ (\d+)/.exec(headers)?.[1]), body: out.slice(at + 4), headers });
    });
  });
}

describe('curl', () => {
  const url = (procedure: string, query: string) => `${core.httpUrl}/${procedure}?${query}`;

  it('GETs with JSON in the query, with gzip-compressed base64 binary, and is refused with a named field', async () => {
    const json = await curl([url('cadence.v1.IdentityService/GetJwks', `connect=v1&encoding=json&message=${encodeURIComponent('{}')}`)]);
    expect(json.status).toBe(200);
    expect(JSON.parse(JSON.parse(json.body).jwksJson).keys.length).toBeGreaterThan(0);

    // GetSessionRiskRequest{session_id: "x"} as protobuf, gzip, base64url.
    const proto = gzipSync(Uint8Array.from([0x0a, 0x01, 0x78])).toString('base64url');
    const risk = await curl([url('cadence.v1.RiskService/GetSessionRisk', `connect=v1&encoding=proto&base64=1&compression=gzip&message=${proto}`)]);
    expect(risk.status).toBe(404);
    expect(JSON.parse(risk.body)).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no session x /) });

    const bad = await curl([url('cadence.v1.RiskService/GetSessionRisk', `encoding=json&message=${encodeURIComponent('{"session_id":""}')}`)]);
    expect(bad.status).toBe(400);
    const body = JSON.parse(bad.body) as { code: string; details: { type: string; value: string }[] };
    expect(body.code).toBe('invalid_argument');
    const detail = fromBinary(BadRequestSchema, Buffer.from(body.details[0]!.value, 'base64'));
    expect(detail.fieldViolations[0]?.field).toBe('session_id');
  });

  it('answers 405 with Allow: POST for a method with side effects, and 415 for an encoding not spoken', async () => {
    const register = await curl([url('cadence.v1.IdentityService/Register', `encoding=json&message=${encodeURIComponent('{}')}`)]);
    expect(register.status).toBe(405);
    expect(register.headers).toMatch(/^allow: POST\r?$/im);
    const jwksPut = await curl(['-X', 'PUT', url('cadence.v1.IdentityService/GetJwks', '')]);
    expect(jwksPut.status).toBe(405);
    expect(jwksPut.headers).toMatch(/^allow: GET, POST\r?$/im);
    const unknown = await curl([url('cadence.v1.IdentityService/GetJwks', 'encoding=xml&message=x')]);
    expect(unknown.status).toBe(415);
    const version = await curl([url('cadence.v1.IdentityService/GetJwks', 'connect=v2&encoding=json&message=%7B%7D')]);
    expect(JSON.parse(version.body)).toMatchObject({ code: 'invalid_argument', field: 'connect' });
  });

  it('marks exactly the read-only methods side-effect free in the descriptors clients are generated from', () => {
    // client/'s generated code, and the compiled set reflection serves.
    for (const service of [IdentityService, registry.getService('cadence.v1.IdentityService')!]) {
      expect(service.methods.filter((m) => m.idempotency === 1).map((m) => m.name)).toEqual(['GetJwks']);
    }
  });
});
