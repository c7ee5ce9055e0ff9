// The Node edge's POSTs to the core (edge/node-post.ts), against a real HTTP server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePost } from '../../edge/node-post.ts';
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

describe('createNodePost', () => {
  const post = createNodePost();
  const never = new AbortController().signal;

  it('sends headers and body with its length, and returns status and body', async () => {
    const res = await post(`${base}/x?q=1`, { 'content-type': 'application/json', 'x-api-key': 'k' }, '{"a":"é"}', never);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ echo: '{"a":"é"}', method: 'POST' });
    const last = seen.at(-1)!;
    expect(last.headers['x-api-key']).toBe('k');
    expect(last.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it('answers a 204 with no body, and an error status as it came', async () => {
    expect(await post(`${base}/empty`, {}, '', never)).toEqual({ status: 204, text: '' });
    const res = await post(`${base}/fail`, {}, '{}', never);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).field).toBe('batch.seq');
  });

  it('rejects when aborted and when nothing listens', async () => {
    await expect(post(`${base}/slow`, {}, '', AbortSignal.timeout(100))).rejects.toThrow();
    await expect(post('http://127.0.0.1:9/', {}, '', never)).rejects.toThrow();
    await expect(post('ftp://127.0.0.1/', {}, '', never)).rejects.toThrow(/protocol/);
  });

  it('carries the Connect client: its answers and its errors with their codes', async () => {
    const client = createConnectClient({ baseUrl: base, post, timeoutMs: 300 });
    expect(await client.unary<{ method: string }>('svc', 'M', { a: 1 })).toMatchObject({ method: 'POST', echo: '{"a":1}' });
    // A message already encoded (a spooled batch) goes out byte for byte.
    expect(await client.unary<{ echo: string }>('svc', 'M', new EncodedJson('{ "a" : 1 }'))).toMatchObject({ echo: '{ "a" : 1 }' });
    await expect(client.unary('svc', '../fail', {})).rejects.toMatchObject({ field: 'batch.seq' });
    const slow = createConnectClient({ baseUrl: `${base}/slow#`, post, timeoutMs: 100 });
    await expect(slow.unary('s', 'm', {})).rejects.toMatchObject({ message: expect.stringContaining('core unreachable') });
  });

  it('carries the same through fetch (the default, as on workerd)', async () => {
    const client = createConnectClient({ baseUrl: base, timeoutMs: 300 });
    expect(await client.unary<{ echo: string }>('svc', 'M', { a: 2 })).toMatchObject({ echo: '{"a":2}' });
    await expect(client.unary('svc', '../fail', {})).rejects.toMatchObject({ field: 'batch.seq' });
  });
});
