// workerd entry: the kernel arrives as a compiled WebAssembly.Module through the .wasm import;
// accepted batches go to the EVENTS queue, whose consumer (below) delivers them to the core.
import type { ExecutionContext } from 'hono';
import kernelModule from '../wasm/build/kernels.wasm';
import { buildEdge } from './build.ts';
import { consumeQueue, queueDelivery, type QueueMessage, type QueueProducer } from './queue.ts';

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
    delivery: env.EVENTS ? () => queueDelivery(env.EVENTS!) : undefined,
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
