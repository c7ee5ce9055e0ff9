// workerd entry: the kernel arrives as a compiled WebAssembly.Module through the .wasm import;
// accepted batches go to the EVENTS queue, whose consumer (below) delivers them to the core.
import type { ExecutionContext } from 'hono';
import kernelModule from '../wasm/build/kernels.wasm';
import { buildEdge } from './build.ts';
import { geoFromCf } from './geo.ts';
import { consumeQueue, queueDelivery, type QueueMessage, type QueueProducer } from './queue.ts';
import type { StreamHandlers, StreamSocket } from './stream.ts';

declare const WebSocketPair: { new (): { 0: WebSocket; 1: WebSocket } };

/** workerd's WebSocket: a pair, one end returned to the client in a 101 response. */
function upgrade(_c: unknown, open: (socket: StreamSocket) => StreamHandlers): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  (server as WebSocket & { accept(): void }).accept();
  const handlers = open({ send: (t) => server.send(t), close: (code, reason) => server.close(code, reason) });
  // Messages are handled one at a time, in order.
  let queue = Promise.resolve();
  server.addEventListener('message', (e) => {
    queue = queue.then(() => handlers.onMessage(e.data as string | ArrayBuffer));
  });
  server.addEventListener('close', () => handlers.onClose());
  return new Response(null, { status: 101, webSocket: client } as ResponseInit);
}

interface Env extends Record<string, unknown> {
  EVENTS?: QueueProducer;
  DEAD_LETTERS?: QueueProducer;
}

type Edge = Awaited<ReturnType<typeof buildEdge>>;
let edge: Promise<Edge> | undefined;

const build = (env: Env) =>
  (edge ??= buildEdge(kernelModule, env, {
    runtime: 'workerd',
    clientIp: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    geo: geoFromCf,
    delivery: env.EVENTS ? () => queueDelivery(env.EVENTS!) : undefined,
    upgrade,
  }));

const log = (msg: string, fields: Record<string, unknown>) => console.error(JSON.stringify({ msg, ...fields }));

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return (await build(env)).app.fetch(request, env, ctx);
  },
  async queue(batch: { messages: readonly QueueMessage[] }, env: Env) {
    const { forwarder, config } = await build(env);
    await consumeQueue(batch.messages, forwarder, env.DEAD_LETTERS, log, config.retryCapMs);
  },
};
