// The Node edge's POSTs to the core (edge/node-post.ts) and the typed clients over them, against a real HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BytesPost } from '../../client/unary-transport.ts';
import { createCoreClients } from '../../edge/core-clients.ts';
import { createNodeBytesPost } from '../../edge/node-post.ts';
import { Code } from '../../lib/errors.ts';

let server: http.Server;
let base: string;
const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/empty') return res.writeHead(204).end();
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 2000);
      if (req.url === '/fail') return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'invalid_argument', message: 'bad field', field: 'batch.seq' }));
      res.writeHead(200, { 'content-type': 'application/json', 'x-extra': 'yes' }).end(JSON.stringify({ echo: body, method: req.method }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('createNodeBytesPost', () => {
  const post = createNodeBytesPost();
  const never = new AbortController().signal;
  const bytes = (t: string) => new TextEncoder().encode(t);
  const text = (b: Uint8Array) => new TextDecoder().decode(b);

  it('sends headers and body with its length, and returns status, content type and body', async () => {
    const res = await post(`${base}/x?q=1`, { 'content-type': 'application/json', 'x-api-key': 'k' }, bytes('{"a":"é"}'), never);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    expect(JSON.parse(text(res.body))).toEqual({ echo: '{"a":"é"}', method: 'POST' });
    const last = seen.at(-1)!;
    expect(last.headers['x-api-key']).toBe('k');
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it('answers a 204 with no body, and an error status as it came', async () => {
    const empty = await post(`${base}/empty`, {}, new Uint8Array(0), never);
    expect([empty.status, empty.body.length]).toEqual([204, 0]);
    const res = await post(`${base}/fail`, {}, bytes('{}'), never);
    expect(res.status).toBe(400);
    expect(JSON.parse(text(res.body)).field).toBe('batch.seq');
  });

  it('rejects when aborted and when nothing listens', async () => {
    await expect(post(`${base}/slow`, {}, new Uint8Array(0), AbortSignal.timeout(100))).rejects.toThrow();
    await expect(post('http://127.0.0.1:9/', {}, new Uint8Array(0), never)).rejects.toThrow();
    await expect(post('ftp://127.0.0.1/', {}, new Uint8Array(0), never)).rejects.toThrow(/protocol/);
  });

  // The edge's core calls: typed clients over the unary transport, errors read as CadenceErrors.
  const jwks = (baseUrl: string, p?: BytesPost, timeoutMs = 300) =>
    createCoreClients({ coreUrls: [baseUrl], timeoutMs, post: p }).once((core) => core.identity.getJwks({}));

  it('carries the typed client: Connect binary out, and its errors with their codes and fields', async () => {
    await expect(jwks(`${base}/fail#`, post)).rejects.toMatchObject({ code: Code.INVALID_ARGUMENT, field: 'batch.seq' });
    expect(seen.at(-1)!.headers['content-type']).toBe('application/proto');
    await expect(jwks(`${base}/slow#`, post, 100)).rejects.toMatchObject({ code: Code.UNAVAILABLE, message: expect.stringContaining('core unreachable') });
    await expect(jwks('http://127.0.0.1:9', post)).rejects.toMatchObject({ code: Code.UNAVAILABLE });
  });

  it('carries the same through fetch (the default, as on workerd)', async () => {
    await expect(jwks(`${base}/fail#`)).rejects.toMatchObject({ code: Code.INVALID_ARGUMENT, field: 'batch.seq' });
    await expect(jwks(`${base}/slow#`, undefined, 100)).rejects.toMatchObject({ code: Code.UNAVAILABLE, message: expect.stringContaining('core unreachable') });
  });
});
