// workerd entry: the kernel arrives as a compiled WebAssembly.Module through the .wasm import.
import type { ExecutionContext } from 'hono';
import kernelModule from '../wasm/build/kernels.wasm';
import { buildEdge } from './build.ts';

type App = Awaited<ReturnType<typeof buildEdge>>;
let app: Promise<App> | undefined;

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    app ??= buildEdge(kernelModule, env, 'workerd');
    return (await app).fetch(request, env, ctx);
  },
};
