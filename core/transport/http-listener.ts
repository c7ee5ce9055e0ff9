// The HTTP face's listener: HTTP/1.1 and HTTP/2 with prior knowledge (h2c) on one port, as
// connect-es and gRPC clients expect of a Connect server (plain-text HTTP/2 has no ALPN to choose
// by, and Node's http2.createServer cannot fall back to HTTP/1.1). The first bytes of a connection
// tell: the HTTP/2 preface starts "PRI * HTTP/2.0"; the socket is then handed, bytes unread, to
// the matching server. Both run the same Hono app.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';

const PREFACE = Buffer.from('PRI * HTTP/2.0');

export interface HttpListener {
  port: number;
  /** Stops accepting; lets requests in flight finish for up to `graceMs`, then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

/**
 * `before`: a route answered on node:http ahead of the app (true when it answered), over HTTP/1.1
 * (seed 003's POST /predict: core/offchain/http.ts, the hot path); HTTP/2 requests go to the app.
 */
export async function listenHttp(
  fetch: (req: Request, env: unknown) => Response | Promise<Response>,
  host: string,
  port: number,
  before?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<HttpListener> {
  const listener = getRequestListener(fetch);
  const h1 = http.createServer(before ? (req, res) => void (before(req, res) || listener(req, res)) : listener);
  const h2 = http2.createServer(listener);
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.Http2Session>();
  h2.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const first: Buffer | null = socket.read();
      if (!first) return; // closed before a byte came
      socket.unshift(first);
      const isH2 = first.length >= 3 && first.subarray(0, PREFACE.length).equals(PREFACE.subarray(0, Math.min(first.length, PREFACE.length)));
      (isH2 ? h2 : h1).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close(graceMs = 5000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      h1.closeIdleConnections();
      for (const s of sessions) s.close(); // GOAWAY: streams in flight finish
      const timer = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, graceMs);
      timer.unref();
      // Keep-alive sockets that become idle are closed as they do.
      const idle = setInterval(() => h1.closeIdleConnections(), 100);
      idle.unref();
      await closed;
      clearTimeout(timer);
      clearInterval(idle);
    },
  };
}
