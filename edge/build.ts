// Builds the edge app from a compiled kernel module and the runtime's variables: shared by both entries.
import type { Context } from 'hono';
import populationProfile from '../scoring/population-keystroke.json' with { type: 'json' };
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import { instantiateKernels } from '../wasm/kernels.ts';
import { createEdge, type EdgeDeps } from './app.ts';
import { parseEdgeConfig, type EdgeConfig } from './config.ts';
import type { Delivery } from './delivery.ts';
import { createCoreForwarder, type Forwarder } from './forward.ts';
import { directDelivery } from './queue.ts';

export interface EdgeRuntime {
  runtime: string;
  clientIp: (c: Context) => string;
  /** The durable delivery for this runtime; without one, batches go straight to the core. */
  delivery?: (forwarder: Forwarder, config: EdgeConfig) => Delivery | Promise<Delivery>;
  upgrade?: EdgeDeps['upgrade'];
}

export async function buildEdge(module: WebAssembly.Module, env: Record<string, unknown>, rt: EdgeRuntime) {
  const config = parseEdgeConfig(env);
  const kernels = await instantiateKernels(module);
  const scorer = createPreScorer(populationProfile as Profile, kernels.scaledManhattan);
  const forwarder = createCoreForwarder({ coreUrl: config.coreUrl, timeoutMs: config.coreTimeoutMs });
  const delivery = rt.delivery ? await rt.delivery(forwarder, config) : directDelivery(forwarder);
  const { app, intake } = createEdge({
    config,
    scorer,
    delivery,
    coreReachable: forwarder.reachable,
    runtime: rt.runtime,
    clientIp: rt.clientIp,
    upgrade: rt.upgrade,
  });
  return { app, intake, forwarder, config };
}
