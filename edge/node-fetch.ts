// The Node edge's calls to the core over node:http with kept-alive connections, behind the fetch
// signature the portable forwarder takes. Node's fetch (undici) builds streams, signals and
// registry entries per call; at hundreds of forwards a second that garbage outlived the young
// generation and made every scavenge a pause of several milliseconds on the request path.
import http from 'node:http';
import https from 'node:https';

export function createNodeFetch(): typeof fetch {
  const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };
  return ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new TypeError(`unsupported protocol ${url.protocol}`));
      const body = init?.body;
      if (body !== undefined && body !== null && typeof body !== 'string') return reject(new TypeError('only string bodies are supported'));
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      if (body) headers['content-length'] = String(Buffer.byteLength(body));
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        { method: init?.method ?? 'GET', headers, agent: agents[url.protocol], signal: init?.signal ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
            const status = res.statusCode ?? 502;
            // A Response may not carry a body with these statuses.
            const empty = status === 204 || status === 304 || init?.method === 'HEAD';
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: out }));
          });
        },
      );
      request.on('error', reject);
      request.end(body ?? undefined);
    })) as typeof fetch;
}
