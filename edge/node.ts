// Node entry: compiles the kernel file, spools accepted batches to a local libSQL file drained to
// the core in the background, and serves the same app with @hono/node-server.
import process from 'node:process';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { compileKernelModule } from '../wasm/node.ts';
import { buildEdge } from './build.ts';
import { Spool } from './spool.ts';

export async function serveEdge(env: Record<string, string | undefined>, port: number, host = '127.0.0.1') {
  let spool: Spool | undefined;
  const { app } = await buildEdge(await compileKernelModule(), env, {
    runtime: 'node',
    clientIp: (c) => getConnInfo(c).remote.address ?? 'unknown',
    delivery: async (forwarder, config) =>
      (spool = await Spool.open({
        url: env.CADENCE_SPOOL_URL ?? 'file:./data/edge-spool.db',
        sync: env.CADENCE_SPOOL_SYNC === 'full' ? 'full' : 'normal',
        forwarder,
        retryCapMs: config.retryCapMs,
        log: (msg, fields) => process.stderr.write(`${JSON.stringify({ msg, ...fields })}\n`),
      })),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    spool: spool!,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await spool?.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const edge = await serveEdge(process.env, Number(process.env.PORT ?? 8787), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ ready: true, port: edge.port })}\n`);
  const stop = () => edge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
