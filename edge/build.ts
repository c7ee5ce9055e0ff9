// Builds the edge app from a compiled kernel module and the runtime's variables: shared by both entries.
import type { Context } from 'hono';
import populationProfile from '../scoring/population-keystroke.json' with { type: 'json' };
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import { instantiateKernels } from '../wasm/kernels.ts';
import { createEdge, type EdgeDeps } from './app.ts';
import { createAuth } from './auth.ts';
import { ModelCache } from './models.ts';
import { parseEdgeConfig, type EdgeConfig } from './config.ts';
import type { Delivery } from './delivery.ts';
import { createCoreForwarder, type Forwarder, type OnCoreStanding } from './forward.ts';
import { directDelivery } from './queue.ts';
import { geoFromHeaders, type GeoSource } from './geo.ts';
import type { BytesPost } from '../client/unary-transport.ts';

export interface EdgeRuntime {
  runtime: string;
  clientIp: (c: Context) => string;
  /** Where a request came from, when the platform says it (workerd: request.cf); else the configured headers. */
  geo?: GeoSource;
  /** The durable delivery for this runtime; without one, batches go straight to the core. */
  delivery?: (forwarder: Forwarder, config: EdgeConfig) => Delivery | Promise<Delivery>;
  upgrade?: EdgeDeps['upgrade'];
  /** The clock; tests move it. */
  now?: () => number;
  /** How the edge's typed clients post to the core (through the runtime's fetch by default). */
  post?: BytesPost;
}

export async function buildEdge(module: WebAssembly.Module, env: Record<string, unknown>, rt: EdgeRuntime) {
  const config = parseEdgeConfig(env);
  const kernels = await instantiateKernels(module);
  const thresholds = { monitor: config.thresholdMonitor, challenge: config.thresholdChallenge, block: config.thresholdBlock };
  const scorer = createPreScorer(populationProfile as Profile, kernels.scaledManhattan, thresholds);
  // The core's standing after each forwarded batch raises this edge's mirror (bound once the intake exists).
  let adopt: OnCoreStanding | undefined;
  const onStanding: OnCoreStanding = (sessionId, level, reasons) => adopt?.(sessionId, level, reasons);
  const forwarder = createCoreForwarder({ coreUrls: config.coreUrls, timeoutMs: config.coreTimeoutMs, apiKey: config.coreApiKey, post: rt.post, onStanding });
  const delivery = rt.delivery ? await rt.delivery(forwarder, config) : directDelivery(forwarder);
  if (config.authMode === 'required' && !config.edgeSecret) {
    console.error(JSON.stringify({ msg: 'CADENCE_EDGE_SECRET is not set: anonymous session ids are signed with a key of this instance only' }));
  }
  const auth = createAuth({
    mode: config.authMode,
    jwksUrl: config.jwksUrl ?? `${config.coreUrls[0]}/.well-known/jwks.json`,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    secret: config.edgeSecret ?? Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join(''),
    anonymousTtlS: config.anonymousSessionTtlS,
  }, rt.now);
  const models =
    config.modelCacheBytes > 0
      ? new ModelCache({ coreUrls: config.coreUrls, apiKey: config.coreApiKey, kernels, ttlMs: config.modelTtlS * 1000, maxBytes: config.modelCacheBytes, now: rt.now, log: (msg, f) => console.error(JSON.stringify({ msg, ...f })) })
      : undefined;
  const { app, intake } = createEdge({
    auth,
    models,
    config,
    scorer,
    delivery,
    coreReachable: forwarder.reachable,
    runtime: rt.runtime,
    clientIp: rt.clientIp,
    geo: rt.geo ?? headerGeo(config),
    upgrade: rt.upgrade,
    now: rt.now,
  });
  adopt = (sessionId, level, reasons) => void intake.adopt(sessionId, level, reasons, true);
  return { app, intake, forwarder, config };
}

/** The location from the headers named in the configuration; none when no header is named. */
export function headerGeo(config: EdgeConfig): GeoSource | undefined {
  const read = geoFromHeaders(config.geoCountryHeader, config.geoCityHeader);
  return read && ((c) => read((name) => c.req.header(name)));
}
