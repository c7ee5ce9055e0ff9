// The Node edge's fetch for calls to the core (edge/node-fetch.ts), against a real HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from '../../edge/node-fetch.ts';
import { createConnectClient, EncodedJson } from '../../lib/connect-client.ts';

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

describe('createNodeFetch', () => {
  const f = createNodeFetch();

  it('sends method, headers and body, and returns status, headers and body', async () => {
    const res = await f(`${base}/x`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, body: '{"a":"é"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(await res.json()).toEqual({ echo: '{"a":"é"}', method: 'POST' });
    const last = seen.at(-1)!;
    expect(last.headers['x-api-key']).toBe('k');
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it('answers a 204 with no body, and an error status as it came', async () => {
    expect((await f(`${base}/empty`)).status).toBe(204);
    const res = await f(`${base}/fail`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('batch.seq');
  });

  it('rejects when aborted and when nothing listens', async () => {
    await expect(f(`${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    await expect(f('http://127.0.0.1:9/')).rejects.toThrow();
    await expect(f('ftp://127.0.0.1/')).rejects.toThrow(/protocol/);
  });

  it('carries the Connect client: its answers and its errors with their codes', async () => {
    const client = createConnectClient({ baseUrl: base, fetch: f, timeoutMs: 300 });
    expect(await client.unary<{ method: string }>('svc', 'M', { a: 1 })).toMatchObject({ method: 'POST', echo: '{"a":1}' });
    // A message already encoded (a spooled batch) goes out byte for byte.
    expect(await client.unary<{ echo: string }>('svc', 'M', new EncodedJson('{ "a" : 1 }'))).toMatchObject({ echo: '{ "a" : 1 }' });
    await expect(client.unary('svc', '../fail', {})).rejects.toMatchObject({ field: 'batch.seq' });
    const slow = createConnectClient({ baseUrl: `${base}/slow#`, fetch: f, timeoutMs: 100 });
    await expect(slow.unary('s', 'm', {})).rejects.toMatchObject({ message: expect.stringContaining('core unreachable') });
  });
});
