// Raw on purpose (fetch): its subject is CORS headers and preflights as a browser sends them, not the messages.
// CORS on the core's HTTP face (CADENCE_CORE_CORS_ORIGINS, core/transport/cors.ts), as a browser
// would meet it: the preflight of a Connect and a gRPC-Web call, the answers' allow and expose
// headers (errors included, so a page can read them), refusals for other origins and other paths,
// and nothing at all when the variable is unset (the default). A real browser calls it in
// test/browser/core-cors.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCore, type FreshCore } from '../helpers/fresh-core.ts';

const PAGE = 'http://page.example:5173';
let open: FreshCore;
let closed: FreshCore;
beforeAll(async () => {
  [open, closed] = await Promise.all([freshCore({ CADENCE_CORE_CORS_ORIGINS: `${PAGE}, https://other.example` }), freshCore()]);
}, 60_000);
afterAll(async () => Promise.all([open?.close(), closed?.close()]));

const preflight = (core: FreshCore, path: string, origin: string, headers: string) =>
  fetch(`${core.httpUrl}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
const list = (value: string | null) => (value ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

describe('CORS on the HTTP face with CADENCE_CORE_CORS_ORIGINS set', () => {
  it('answers the preflight of a Connect call with the headers connect-web sends, keys included', async () => {
    const res = await preflight(open, '/cadence.v1.RiskService/GetSessionRisk', PAGE, 'content-type,connect-protocol-version,connect-timeout-ms,x-api-key');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(list(res.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['post', 'get']));
    expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['content-type', 'connect-protocol-version', 'connect-timeout-ms', 'x-api-key', 'authorization']));
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers the preflight of a gRPC-Web call', async () => {
    const res = await preflight(open, '/grpc.health.v1.Health/Check', 'https://other.example', 'content-type,x-grpc-web,x-user-agent,grpc-timeout');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://other.example');
    expect(list(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['x-grpc-web', 'x-user-agent', 'grpc-timeout']));
  });

  it('lets the page read answers and errors: allow-origin, and gRPC-Web status headers exposed', async () => {
    const ok = await fetch(`${open.httpUrl}/cadence.v1.IdentityService/GetJwks`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: '{}' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    // A refusal (no key) must be readable too, or connect-web reports a bare network error.
    const refused = await fetch(`${open.httpUrl}/cadence.v1.AdminService/GetStats`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect((await refused.json()).code).toBe('unauthenticated');
    const web = await fetch(`${open.httpUrl}/grpc.health.v1.Health/Check`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' }, body: new Uint8Array([0, 0, 0, 0, 0]) });
    expect(web.status).toBe(200);
    expect(web.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(list(web.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['grpc-status', 'grpc-message', 'grpc-status-details-bin']));
  });

  it('gives an origin not listed, and paths that are not procedures, no CORS', async () => {
    const other = await preflight(open, '/cadence.v1.IdentityService/GetJwks', 'https://evil.example', 'content-type');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${open.httpUrl}/cadence.v1.IdentityService/GetJwks`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    const metrics = await fetch(`${open.httpUrl}/metrics`, { headers: { origin: PAGE } });
    expect(metrics.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS on the HTTP face by default', () => {
  it('sends no CORS headers, to a preflight or a call', async () => {
    const res = await preflight(closed, '/cadence.v1.IdentityService/GetJwks', PAGE, 'content-type,connect-protocol-version');
    expect(res.status).not.toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(`${closed.httpUrl}/cadence.v1.IdentityService/GetJwks`, { method: 'POST', headers: { origin: PAGE, 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a malformed origin list at start', async () => {
    await expect(freshCore({ CADENCE_CORE_CORS_ORIGINS: 'page.example/path' })).rejects.toThrow(/CORS|corsOrigins|origin/i);
  });
});
