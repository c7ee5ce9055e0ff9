// Node entry: compiles the kernel file, spools accepted batches to a local libSQL file drained to
// the core in the background, and serves the same app with @hono/node-server.
import process from 'node:process';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { getConnInfo } from '@hono/node-server/conninfo';
import { compileKernelModule } from '../wasm/node.ts';
import { buildEdge } from './build.ts';
import { geoFromHeaders } from './geo.ts';
import { createNodeBytesPost } from './node-post.ts';
import { Spool } from './spool.ts';
import { parseNodeEdgeEnv } from './node-config.ts';
import { openStream } from './stream.ts';

export async function serveEdge(env: Record<string, string | undefined>, port: number, host = '127.0.0.1') {
  const nodeEnv = parseNodeEdgeEnv(env);
  let spool: Spool | undefined;
  const { app, intake, config } = await buildEdge(await compileKernelModule(), env, {
    runtime: 'node',
    post: createNodeBytesPost(),
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
    delivery: async (forwarder, config) =>
      (spool = await Spool.open({
        url: nodeEnv.CADENCE_SPOOL_URL,
        sync: nodeEnv.CADENCE_SPOOL_SYNC,
        forwarder,
        retryCapMs: config.retryCapMs,
        log: (msg, fields) => process.stderr.write(`${JSON.stringify({ msg, ...fields })}\n`),
      })),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
  });
  // GET /v1/stream upgrades here, before the app; everything else on that path gets the app's 426.
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxBodyBytes * 2 });
  const geoOf = geoFromHeaders(config.geoCountryHeader, config.geoCityHeader);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://edge').pathname !== '/v1/stream') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stream = openStream(intake, { send: (t) => ws.send(t), close: (code, reason) => ws.close(code, reason) }, req.socket.remoteAddress ?? 'unknown', config.maxBodyBytes,
        geoOf?.((name) => [req.headers[name]].flat()[0]));
      let queue = Promise.resolve();
      ws.on('message', (data, isBinary) => {
        const payload = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
        queue = queue.then(() => stream.onMessage(payload));
      });
      ws.on('close', () => stream.onClose());
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    spool: spool!,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => server.close(() => r()));
      await spool?.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { PORT, HOST } = parseNodeEdgeEnv(process.env);
  const edge = await serveEdge(process.env, PORT, HOST);
  process.stdout.write(`${JSON.stringify({ ready: true, port: edge.port })}\n`);
  const stop = () => edge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
