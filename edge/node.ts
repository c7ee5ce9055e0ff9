// Node entry: compiles the kernel file, serves the same app with @hono/node-server.
import process from 'node:process';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { compileKernelModule } from '../wasm/node.ts';
import { buildEdge } from './build.ts';

export async function serveEdge(env: Record<string, unknown>, port: number, host = '127.0.0.1') {
  const app = await buildEdge(await compileKernelModule(), env, 'node');
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
  });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const edge = await serveEdge(process.env, Number(process.env.PORT ?? 8787), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ ready: true, port: edge.port })}\n`);
  const stop = () => edge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
