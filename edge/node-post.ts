// The Node edge's calls to the core: POSTs over node:http with kept-alive connections. Node's fetch
// (undici) builds a Request, Headers, a Response and web streams per call, and even a fetch-shaped
// wrapper over node:http still built Headers and a Response: at hundreds of forwards a second that
// garbage was a large share of the edge's scavenges, which pause every request in flight.
import http from 'node:http';
import https from 'node:https';
import type { HttpPost } from '../lib/connect-client.ts';

interface Target {
  module: typeof http | typeof https;
  agent: http.Agent;
  hostname: string;
  port: string;
  path: string;
}

export function createNodePost(): HttpPost {
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
  return (url, headers, body, signal) =>
    new Promise((resolve, reject) => {
      const t = target(url);
      const request = t.module.request(
        { hostname: t.hostname, port: t.port, path: t.path, method: 'POST', agent: t.agent, signal, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 502, text }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
}
