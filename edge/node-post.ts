// The Node edge's calls to the core: POSTs over node:http with kept-alive connections. Node's fetch
// (undici) builds a Request, Headers, a Response and web streams per call, and even a fetch-shaped
// wrapper over node:http still built Headers and a Response: at hundreds of forwards a second that
// garbage was a large share of the edge's scavenges, which pause every request in flight.
import http from 'node:http';
import https from 'node:https';
import type { BytesPost } from '../client/unary-transport.ts';

interface Target {
  module: typeof http | typeof https;
  agent: http.Agent;
  hostname: string;
  port: string;
  path: string;
}

/** The posts createNodeBytesPost makes: kept-alive agents, each URL parsed once. */
function nodeRequester() {
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };
  // The edge calls a handful of URLs (one per core and method): each is parsed once.
  const targets = new Map<string, Target>();
  const target = (url: string): Target => {
    let t = targets.get(url);
    if (!t) {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`unsupported protocol ${u.protocol}`);
      t = { module: u.protocol === 'https:' ? https : http, agent: agents[u.protocol], hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: u.pathname + u.search };
      if (targets.size < 64) targets.set(url, t);
    }
    return t;
  };
  return (url: string, headers: Readonly<Record<string, string>>, body: Uint8Array, signal: AbortSignal, onResponse: (res: http.IncomingMessage) => void, onError: (err: Error) => void) => {
    const t = target(url);
    const request = t.module.request(
      { hostname: t.hostname, port: t.port, path: t.path, method: 'POST', agent: t.agent, signal, headers: { ...headers, 'content-length': body.byteLength } },
      onResponse,
    );
    request.on('error', onError);
    request.end(body);
  };
}

/** Posts with bytes in and out, for client/unary-transport.ts (the typed clients' binary calls to the core). */
export function createNodeBytesPost(): BytesPost {
  const post = nodeRequester();
  return (url, headers, body, signal) =>
    new Promise((resolve, reject) => {
      post(url, headers, body, signal, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 502, contentType: res.headers['content-type'] ?? '', body: parts.length === 1 ? parts[0]! : Buffer.concat(parts) }));
      }, reject);
    });
}
