// The edge's configuration, from Worker vars or process.env alike, parsed once into a typed object.
import { z } from 'zod';

const count = z.coerce.number().int().min(0);

export const edgeConfigSchema = z.object({
  /** The core's HTTP face; several instances sharing one database as a comma-separated list. */
  coreUrls: z
    .string()
    .default('http://127.0.0.1:8080')
    .transform((s) => s.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean))
    .pipe(z.array(z.string().url()).min(1)).describe("the core's HTTP face (Connect JSON); several instances on one database as a comma-separated list, spread round-robin with failover"),
  /** Sent as x-api-key to the core (batches, model downloads) when the core sets CADENCE_SERVICE_API_KEYS. */
  coreApiKey: z.string().min(16, 'must be at least 16 characters').optional().describe("sent as `x-api-key` with every batch and model download: one of the core's CADENCE_SERVICE_API_KEYS (on workerd: `npx wrangler secret put CADENCE_CORE_API_KEY`). A missing or wrong key is refused by the core, and the edge keeps the batches and retries them (never dead letters) until the key is fixed"),
  /** Largest event batch body the edge reads, in bytes. */
  maxBodyBytes: z.coerce.number().int().min(1024).max(1 << 20).default(64 * 1024).describe("largest event batch body the edge reads, in bytes (413 beyond)"),
  /** How long one call to the core may take before it counts as failed. */
  coreTimeoutMs: z.coerce.number().int().min(50).max(60_000).default(3000).describe("how long one delivery attempt to the core may take, in ms"),
  /** Longest wait between two delivery attempts to the core (backoff cap). */
  retryCapMs: z.coerce.number().int().min(100).max(3_600_000).default(60_000).describe("longest wait between two delivery attempts to the core (exponential backoff with jitter up to it), in ms"),
  /** Decision thresholds; keep them the same as the core's (CADENCE_THRESHOLD_*). */
  thresholdMonitor: z.coerce.number().gt(0).lte(1).default(0.4).describe("the edge's monitor threshold; set it as on the core"),
  thresholdChallenge: z.coerce.number().gt(0).lte(1).default(0.7).describe("the edge's challenge threshold; set it as on the core"),
  thresholdBlock: z.coerce.number().gt(0).lte(1).default(0.9).describe("the edge's block threshold; set it as on the core"),
  /** Per-user models cached at the edge: bytes in all, and how long one is trusted before revalidation. */
  modelCacheBytes: z.coerce.number().int().min(0).default(16 << 20).describe("bytes of users' own models kept at the edge (0 turns per-user models at the edge off)"),
  modelTtlS: z.coerce.number().int().min(1).default(60).describe("seconds a user's model is trusted before the edge revalidates it (ETag)"),
  /**
   * Windows kept for replay detection at the edge (scoring/replay-guard.ts); 0 (the default) leaves
   * it to the core: matching costs up to 0.5-0.9 ms a window, over the edge's CPU budget per batch.
   */
  replayWindows: z.coerce.number().int().min(0).max(10_000_000).default(0).describe("windows kept for replay detection at the edge; 0 leaves it to the core (matching costs up to 0.5-0.9 ms a window, over the edge's budget per batch)"),
  /** Memory the edge's replay index may hold, in MB (see the core's replayMemoryMb). */
  replayMemoryMb: z.coerce.number().min(1).max(65_536).default(16).describe("memory the edge's replay index may hold, in MB (when CADENCE_REPLAY_WINDOWS is not 0; see the core's)"),
  /** Memory the edge's mirror of sessions' evidence may hold, in MB (edge/session-evidence-cache.ts). */
  // At most 1 GB: past about 250 MB the 100,000 sessions bound first, and a workerd isolate has 128 MB.
  sessionCacheMb: z.coerce.number().min(1).max(1024).default(32).describe("memory the edge's mirror of sessions' evidence may hold, in MB, at most 1024 (estimated; least recently seen sessions forgotten beyond it, and beyond 100,000 sessions; sessions held at challenge last): the core's copy is the authority, a forgotten session's answers rest on its new windows and the core's standing"),
  /** Batches per minute per session and per client address (0 = no limit), with bursts. */
  // 240: a 1000 Hz mouse moving without pause fills 120 batches of 500 samples a minute (see docs/collector.md).
  sessionPerMinute: count.default(240).describe("batches per minute per session (0 = no limit)"),
  sessionBurst: count.default(20).describe("burst of batches per session above CADENCE_RATE_SESSION_PER_MIN"),
  ipPerMinute: count.default(1200).describe("batches per minute per client address (0 = no limit)"),
  ipBurst: count.default(100).describe("burst of batches per client address above CADENCE_RATE_IP_PER_MIN"),
  /** Requests per minute per client address to /v1/auth/* (the core throttles logins and MPINs besides). */
  authPerMinute: count.default(60).describe("requests per minute per client address to `/v1/auth/*` (0 = no limit); the core's login throttle applies behind it"),
  authBurst: count.default(10).describe("burst of `/v1/auth/*` requests per client address above CADENCE_RATE_AUTH_PER_MIN"),
  /** 'required': batches need the core's access token or an edge-signed anonymous session id. */
  authMode: z.enum(['required', 'off']).default('required').describe("`required`: each batch needs the core's access token (`Authorization: Bearer`, or `token` in a stream message) for its own session and device, or an anonymous session id from `POST /v1/session`; `off`: session ids are taken as given"),
  /** Where the core publishes its signing keys; default: the core's /.well-known/jwks.json. */
  jwksUrl: z.string().url().optional().describe("where the core's public keys are fetched (cached 10 min, refetched for an unknown `kid`); unset: the first core URL's `/.well-known/jwks.json`"),
  jwtIssuer: z.string().min(1).default('cadence-core').describe("`iss` the edge requires of access tokens (as on the core)"),
  jwtAudience: z.string().min(1).default('cadence').describe("`aud` the edge requires of access tokens (as on the core)"),
  /** HMAC secret for anonymous session ids, shared by all edge instances (a Worker secret). */
  edgeSecret: z.string().min(32, 'must be at least 32 characters').optional().describe("HMAC key for anonymous session ids, set the same on every edge instance (on workerd: `npx wrangler secret put CADENCE_EDGE_SECRET`); unset: random per instance"),
  anonymousSessionTtlS: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(2 * 3600).describe("lifetime of an anonymous session id, in seconds"),
  /**
   * Headers a trusted proxy sets with the client's country and city (Node; edge/geo.ts). Unset:
   * no header is trusted. workerd uses Cloudflare's request.cf instead.
   */
  geoCountryHeader: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name').transform((s) => s.toLowerCase()).optional().describe("Node only: header a trusted proxy sets with the client's country (ISO 3166-1 alpha-2), e.g. `CF-IPCountry` or a GeoIP module's; set it only when every request passes that proxy, since a client can send the same header. Unset: no header trusted (workerd reads `request.cf`)"),
  geoCityHeader: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name').transform((s) => s.toLowerCase()).optional().describe("Node only: header a trusted proxy sets with the client's city; as CADENCE_GEO_COUNTRY_HEADER"),
  /** Origins allowed to post from the browser (CORS); empty means same origin only. */
  corsOrigins: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'each origin is * or scheme://host[:port]'))).describe("comma-separated origins allowed to post from the browser, or `*`; empty: same origin only. `/v1/auth/*` allows credentials for the listed origins only, never `*`"),
});

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;

/**
 * Which variable feeds which field of edgeConfigSchema (an empty variable counts as unset): the one
 * mapping, read by parseEdgeConfig and by `cadence docs config`.
 */
export function edgeConfigInput(env: Record<string, unknown>) {
  const pick = (name: string) => (env[name] === '' ? undefined : env[name]);
  return {
    coreUrls: pick('CADENCE_CORE_URL'),
    coreApiKey: pick('CADENCE_CORE_API_KEY'),
    maxBodyBytes: pick('CADENCE_EDGE_MAX_BODY_BYTES'),
    coreTimeoutMs: pick('CADENCE_CORE_TIMEOUT_MS'),
    retryCapMs: pick('CADENCE_RETRY_CAP_MS'),
    thresholdMonitor: pick('CADENCE_THRESHOLD_MONITOR'),
    thresholdChallenge: pick('CADENCE_THRESHOLD_CHALLENGE'),
    thresholdBlock: pick('CADENCE_THRESHOLD_BLOCK'),
    modelCacheBytes: pick('CADENCE_MODEL_CACHE_BYTES'),
    modelTtlS: pick('CADENCE_MODEL_TTL_S'),
    replayWindows: pick('CADENCE_REPLAY_WINDOWS'),
    replayMemoryMb: pick('CADENCE_REPLAY_MEMORY_MB'),
    sessionCacheMb: pick('CADENCE_EDGE_SESSION_CACHE_MB'),
    sessionPerMinute: pick('CADENCE_RATE_SESSION_PER_MIN'),
    sessionBurst: pick('CADENCE_RATE_SESSION_BURST'),
    ipPerMinute: pick('CADENCE_RATE_IP_PER_MIN'),
    ipBurst: pick('CADENCE_RATE_IP_BURST'),
    authPerMinute: pick('CADENCE_RATE_AUTH_PER_MIN'),
    authBurst: pick('CADENCE_RATE_AUTH_BURST'),
    corsOrigins: pick('CADENCE_CORS_ORIGINS'),
    geoCountryHeader: pick('CADENCE_GEO_COUNTRY_HEADER'),
    geoCityHeader: pick('CADENCE_GEO_CITY_HEADER'),
    authMode: pick('CADENCE_EDGE_AUTH'),
    jwksUrl: pick('CADENCE_JWKS_URL'),
    jwtIssuer: pick('CADENCE_JWT_ISSUER'),
    jwtAudience: pick('CADENCE_JWT_AUDIENCE'),
    edgeSecret: pick('CADENCE_EDGE_SECRET'),
    anonymousSessionTtlS: pick('CADENCE_ANON_SESSION_TTL_S'),
  };
}

/** Variables the edge reads (Worker vars or process.env); reference: docs/configuration.md. */
export function parseEdgeConfig(env: Record<string, unknown>): EdgeConfig {
  const result = edgeConfigSchema.safeParse(edgeConfigInput(env));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`invalid edge configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const c = result.data;
  if (!(c.thresholdMonitor <= c.thresholdChallenge && c.thresholdChallenge <= c.thresholdBlock)) {
    throw new Error('invalid edge configuration: thresholds must satisfy monitor <= challenge <= block');
  }
  return c;
}
