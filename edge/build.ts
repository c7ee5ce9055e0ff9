// Builds the edge app from a compiled kernel module and the runtime's variables: shared by both entries.
import populationProfile from '../scoring/population-keystroke.json' with { type: 'json' };
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import { instantiateKernels } from '../wasm/kernels.ts';
import { createApp } from './app.ts';
import { parseEdgeConfig } from './config.ts';
import { createCoreForwarder } from './forward.ts';

export async function buildEdge(module: WebAssembly.Module, env: Record<string, unknown>, runtime: string) {
  const config = parseEdgeConfig(env);
  const kernels = await instantiateKernels(module);
  const scorer = createPreScorer(populationProfile as Profile, kernels.scaledManhattan);
  const forwarder = createCoreForwarder({ coreUrl: config.coreUrl, timeoutMs: config.coreTimeoutMs });
  return createApp({ config, scorer, forwarder, runtime });
}
