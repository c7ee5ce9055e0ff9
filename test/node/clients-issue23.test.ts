// Raw on purpose (curl-like fetch, grpc-js, buf curl): its subject is issue 23's wire-level reproductions.
// Issue 23's reproductions 1-8, each against a fresh core, each expecting the conventional answer
// (U = the core's HTTP face, G = its native gRPC port).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreClients } from '../../edge/core-clients.ts';
import { CadenceError, Code, codeFromName, codeName } from '../../lib/errors.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch } from '../helpers/batches.ts';
import { ADMIN_KEY, bufCurl, freshCore, type FreshCore } from '../helpers/fresh-core.ts';

let core: FreshCore;
let slow: FreshCore; // scrypt costly enough that Register outlives a short deadline
beforeAll(async () => {
  [core, slow] = await Promise.all([
    freshCore({ CADENCE_LOGIN_MAX_FAILURES: '2', CADENCE_LOGIN_ACCOUNT_MAX_FAILURES: '50' }),
    freshCore({ CADENCE_SCRYPT_N: '65536' }),
  ]);
}, 60_000);
afterAll(async () => Promise.all([core?.close(), slow?.close()]));

const call = (base: string, procedure: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${base}/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, any> });

/** One raw unary gRPC call with the given request bytes. */
function rawGrpc(path: string, bytes: Buffer, metadata: Record<string, string> = {}): Promise<{ code: number; details: string; trailers?: grpc.Metadata }> {
  const client = new grpc.Client(`127.0.0.1:${core.grpcPort}`, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, bytes, md, { deadline: Date.now() + 10_000 }, (err) => {
      client.close();
      resolve(err ? { code: err.code, details: err.details, trailers: err.metadata } : { code: 0, details: '' });
    });
  });
}

describe('issue 23 reproductions', () => {
  it('1. reflection: buf curl lists and calls a service whose messages hold maps, and health is reflected', async () => {
    const list = await bufCurl(['--protocol', 'grpc', '--http2-prior-knowledge', '--list-methods', core.grpcUrl]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('cadence.v1.AdminService/GetStats');
    expect(list.stdout).toContain('grpc.health.v1.Health/Check');
    const stats = await bufCurl(['--protocol', 'grpc', '--http2-prior-knowledge', '-H', `x-api-key: ${ADMIN_KEY}`, '-d', '{}', `${core.grpcUrl}/cadence.v1.AdminService/GetStats`]);
    expect(stats.status, stats.stderr).toBe(0);
  });

  it('2. a gzip body is read; an encoding not spoken is unimplemented; a plain body labelled br is refused', async () => {
    const gz = await json(await call(core.httpUrl, 'cadence.v1.IdentityService/GetJwks', gzipSync('{}'), { 'content-encoding': 'gzip' }));
    expect(gz.status).toBe(200);
    expect(JSON.parse(gz.body.jwksJson).keys.length).toBeGreaterThan(0);
    const zz = await call(core.httpUrl, 'cadence.v1.IdentityService/GetJwks', '{}', { 'content-encoding': 'zz' });
    expect((await zz.json()).code).toBe('unimplemented');
    expect(zz.headers.get('accept-encoding')).toMatch(/gzip/);
    const br = await json(await call(core.httpUrl, 'cadence.v1.IdentityService/GetJwks', '{}', { 'content-encoding': 'br' }));
    expect(br.body).toMatchObject({ code: 'invalid_argument', field: 'content-encoding' });
  });

  it('3. connect-timeout-ms is honoured (deadline_exceeded, the account is not created) and a bad value refused', async () => {
    const email = `deadline-${Date.now()}@example.com`;
    const register = (timeout?: string) =>
      call(slow.httpUrl, 'cadence.v1.IdentityService/Register', JSON.stringify({ email, password: 'correct horse battery', mpin: '2468' }), timeout ? { 'connect-timeout-ms': timeout } : {});
    for (const timeout of ['1', '20']) {
      const late = await json(await register(timeout));
      expect(late.status, timeout).toBe(504);
      expect(late.body.code, timeout).toBe('deadline_exceeded');
    }
    // Nothing was written: the same email registers now (it would be already_exists otherwise).
    await new Promise((r) => setTimeout(r, 300)); // the abandoned hashing has finished by then
    expect((await json(await register())).status).toBe(200);
    const bad = await json(await register('abc'));
    expect(bad.body).toMatchObject({ code: 'invalid_argument', field: 'connect-timeout-ms' });
  });

  it('4. an unknown procedure is unimplemented, GET on a procedure with side effects 405, health Check is on the HTTP face', async () => {
    const unknown = await json(await call(core.httpUrl, 'cadence.v1.IdentityService/NoSuchMethod', '{}'));
    expect(unknown.body.code).toBe('unimplemented');
    // GET only for methods marked side-effect free in proto/ (GetJwks is: clients-connect-get.test.ts).
    const get = await fetch(`${core.httpUrl}/cadence.v1.IdentityService/Register`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const health = await json(await call(core.httpUrl, 'grpc.health.v1.Health/Check', '{}'));
    expect(health).toEqual({ status: 200, body: { status: 'SERVING' } });
  });

  it('5. proto3 JSON: proto names and JSON names, int64 as strings, doubles as numeric strings', async () => {
    const byProtoName = await json(await call(core.httpUrl, 'cadence.v1.RiskService/GetSessionRisk', '{"session_id":"x"}'));
    expect(byProtoName.body.code).toBe('not_found'); // read as the session id: there is no such session
    const b = toWireBatch(batch());
    const events = (b.events as Record<string, unknown>[]).map((e) => ({ ...e, t: String(e.t) }));
    const stored = await json(await call(core.httpUrl, 'cadence.v1.IngestService/IngestBatch', JSON.stringify({ batch: { ...b, session_id: b.sessionId, sessionId: undefined, events } })));
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    expect(stored.body.storedEvents).toBe(events.length);
    const risk = await json(await call(core.httpUrl, 'cadence.v1.RiskService/GetSessionRisk', JSON.stringify({ sessionId: b.sessionId })));
    expect(risk.body.eventCount).toBe(String(events.length)); // uint64 as a string
    const stats = await json(await call(core.httpUrl, 'cadence.v1.AdminService/GetStats', '{"since_ms":"1700000000000"}', { 'x-api-key': ADMIN_KEY }));
    expect(stats.status).toBe(200);
    // Above 2^53 a 64-bit value would be rounded by handlers that take numbers: refused, not changed, on both faces.
    const huge = await json(await call(core.httpUrl, 'cadence.v1.AdminService/GetStats', '{"sinceMs":"9007199254740993"}', { 'x-api-key': ADMIN_KEY }));
    expect(huge.body).toMatchObject({ code: 'invalid_argument', field: 'sinceMs' });
    const g = await rawGrpc('/cadence.v1.AdminService/GetStats', Buffer.from([0x08, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]), { 'x-api-key': ADMIN_KEY }); // 2^53 + 1
    expect(g.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(g.details).toMatch(/^sinceMs: /);
  });

  it('6. errors carry google.rpc.BadRequest (Connect details and grpc-status-details-bin) and RetryInfo when throttled', async () => {
    const bad = await json(await call(core.httpUrl, 'cadence.v1.IdentityService/Register', '{"password":"x"}'));
    expect(bad.body).toMatchObject({ code: 'invalid_argument', field: 'email', details: [{ type: 'google.rpc.BadRequest', debug: { fieldViolations: [{ field: 'email' }] } }] });
    expect(bad.body.details[0].value).toMatch(/^[A-Za-z0-9+/]+$/); // base64 without padding
    const g = await rawGrpc('/cadence.v1.IdentityService/Register', Buffer.from([0x12, 0x01, 0x78])); // password "x"
    expect(g.code).toBe(grpc.status.INVALID_ARGUMENT);
    const bin = g.trailers?.get('grpc-status-details-bin')[0] as Buffer;
    expect(bin.toString('latin1')).toContain('type.googleapis.com/google.rpc.BadRequest');
    expect(bin.toString('latin1')).toContain('email');

    const email = `throttled-${Date.now()}@example.com`;
    let last: { status: number; body: Record<string, any> } | undefined;
    for (let i = 0; i < 4; i++) last = await json(await call(core.httpUrl, 'cadence.v1.IdentityService/Login', JSON.stringify({ email, password: 'wrong password here', deviceId: 'd' })));
    expect(last!.body.code).toBe('resource_exhausted');
    expect(last!.body.details).toContainEqual(expect.objectContaining({ type: 'google.rpc.RetryInfo', debug: { retryDelay: expect.stringMatching(/^\d+s$/) } }));
  });

  it('7. gRPC: truncated messages, invalid UTF-8 and unknown enum values are refused; an unknown key is UNAUTHENTICATED', async () => {
    const truncated = await rawGrpc('/cadence.v1.IdentityService/Register', Buffer.from('0a10616263', 'hex'));
    expect(truncated.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(truncated.details).toMatch(/^email: .*truncated/);
    const notUtf8 = await rawGrpc('/cadence.v1.IdentityService/Register', Buffer.from('0a03ff6263', 'hex'));
    expect(notUtf8.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(notUtf8.details).toMatch(/^email: .*UTF-8/);
    const level99 = await rawGrpc('/cadence.v1.AdminService/ListSessions', Buffer.from([0x08, 99]), { 'x-api-key': ADMIN_KEY });
    expect(level99.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(level99.details).toMatch(/^minLevel: unknown Decision value 99/);
    const json99 = await json(await call(core.httpUrl, 'cadence.v1.AdminService/ListSessions', '{"minLevel":99}', { 'x-api-key': ADMIN_KEY }));
    expect(json99.body).toMatchObject({ code: 'invalid_argument', field: 'minLevel' });
    const unknownKey = await rawGrpc('/cadence.v1.AdminService/GetStats', Buffer.alloc(0), { 'x-api-key': 'a-key-no-one-was-given-0123' });
    expect(unknownKey.code).toBe(grpc.status.UNAUTHENTICATED);
    const unknownKeyHttp = await call(core.httpUrl, 'cadence.v1.AdminService/GetStats', '{}', { 'x-api-key': 'a-key-no-one-was-given-0123' });
    expect(unknownKeyHttp.status).toBe(401);
  });

  describe('8. Connect code names and the HTTP status table', () => {
    let server: Server;
    let base: string;
    const answers: Record<string, [number, string]> = {
      canceled: [499, '{"code":"canceled","message":"gone"}'],
      proxy404: [404, '<html>not here</html>'],
      proxy503: [503, 'upstream down'],
      proxy429: [429, ''],
      // value: google.rpc.BadRequest { field_violations: [{ field: "email" }] }, base64 without padding
      withDetails: [400, '{"code":"invalid_argument","message":"bad","details":[{"type":"google.rpc.BadRequest","value":"CgcKBWVtYWls","debug":{"fieldViolations":[{"field":"email"}]}}]}'],
    };
    beforeAll(async () => {
      server = createServer((req, res) => {
        const [status, body] = answers[req.url!.split('/').pop()!]!;
        req.resume();
        res.writeHead(status, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/html' }).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('CANCELLED is "canceled" both ways, and a body without a code is read by its status', async () => {
      expect(codeName(Code.CANCELLED)).toBe('canceled');
      expect(codeFromName('canceled')).toBe(Code.CANCELLED);
      // The edge's typed clients (Connect binary; errors read by lib/connect-error.ts).
      const codeOf = (m: string) => createCoreClients({ coreUrls: [`${base}/${m}#`], timeoutMs: 2000 }).once((c) => c.identity.getJwks({})).then(() => undefined, (e: CadenceError) => e);
      expect((await codeOf('canceled'))?.code).toBe(Code.CANCELLED);
      expect((await codeOf('proxy404'))?.code).toBe(Code.UNIMPLEMENTED);
      expect((await codeOf('proxy503'))?.code).toBe(Code.UNAVAILABLE);
      expect((await codeOf('proxy429'))?.code).toBe(Code.UNAVAILABLE);
      expect((await codeOf('withDetails'))?.field).toBe('email');
    });
  });
});
