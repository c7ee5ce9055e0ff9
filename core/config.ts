// The core's configuration: parsed once from the environment into a typed object, passed down.
import { z } from 'zod';
import { DEFAULT_DB_URL, DEFAULT_DB_WRITERS } from '../db/client.ts';
import { DEFAULT_THRESHOLDS, validThresholds } from '../scoring/policy.ts';
import { parseApiKeys, parseDidScopes } from './offchain/limits.ts';

const port = z.coerce.number().int().min(0).max(65535);

/** `name:key` or `key` entries, comma-separated (keys of 16+ characters); one parsing for every key variable. */
const apiKeys = () =>
  z.string().optional().transform((spec, ctx) => {
    const keys = parseApiKeys(spec);
    if ('error' in keys) {
      ctx.addIssue({ code: 'custom', message: keys.error });
      return z.NEVER;
    }
    return keys;
  });

export const configSchema = z.object({
  host: z.string().default('127.0.0.1').describe("address both faces (native gRPC and HTTP) bind to"),
  grpcPort: port.default(50051).describe("native gRPC port (0 picks a free one)"),
  httpPort: port.default(8080).describe("HTTP port: Connect JSON, /healthz, /metrics, JWKS, model binaries, /predict, the dashboard (0 picks a free one)"),
  dbUrl: z.string().regex(/^(file:|libsql:|https?:|wss?:|:memory:)/, 'must be a file:, libsql:, http(s): or ws(s): URL').default(DEFAULT_DB_URL).describe("libSQL URL: `file:` (embedded), `:memory:`, or a libSQL server (`http://`, `libsql://`)"),
  dbAuthToken: z.string().optional().describe("token for a remote libSQL server; never logged"),
  dbWriters: z.coerce.number().int().min(1).max(64).default(DEFAULT_DB_WRITERS).describe("write requests this core keeps in flight to a libSQL server (the rest wait in the core; reads are not held back): sqld takes one writer at a time, and a flood of concurrent writes (a login storm) made it answer SQLITE_BUSY after its 5 s lock wait. Ignored for an embedded file (one connection)"),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info').describe("JSON log lines on stderr at this level and above"),
  /** Largest request the HTTP face reads, in bytes. */
  /** Origins whose pages may call the HTTP face's procedures (CORS, core/transport/cors.ts); empty = none. */
  corsOrigins: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'each origin is * or scheme://host[:port]')))
    .describe("comma-separated origins whose pages may call the HTTP face's procedures from a browser (connect-web's Connect and gRPC-Web), or `*` for any; CORS with Connect's and gRPC-Web's headers plus `x-api-key` and `authorization`, never credentials (cookies). Empty: no CORS (the default; pages then reach the core through the edge or a proxy)"),
  maxBodyBytes: z.coerce.number().int().min(1024).default(1 << 20).describe("largest Connect JSON request the HTTP face reads, in bytes"),
  /** Risk policy (seed 002): score thresholds for monitor, challenge (MPIN step-up) and block. */
  thresholds: z
    .object({
      monitor: z.coerce.number().default(DEFAULT_THRESHOLDS.monitor).describe("risk policy: score from which a batch is monitored (need 0 < monitor <= challenge <= block <= 1)"),
      challenge: z.coerce.number().default(DEFAULT_THRESHOLDS.challenge).describe("risk policy: score from which a session is challenged (MPIN step-up)"),
      block: z.coerce.number().default(DEFAULT_THRESHOLDS.block).describe("risk policy: score from which a session is blocked (its tokens revoked)"),
    })
    .refine(validThresholds, 'need 0 < monitor <= challenge <= block <= 1')
    .default(DEFAULT_THRESHOLDS),
  /** Windows kept in this core's replay index (scoring/replay-guard.ts); 0 turns replay detection off. */
  replayWindows: z.coerce.number().int().min(0).max(10_000_000).default(100_000).describe("windows kept in the core's replay index (oldest sessions forgotten first); 0 turns replay detection off"),
  /**
   * Memory the replay index may hold, in MB (estimated; oldest sessions evicted beyond it). 16 MB
   * keeps 5,000-8,000 windows of 50 events (about 2-3 KB each), a minute of a steady 200 batches/s;
   * more memory, a longer memory of sessions to match replays against (docs/operations.md).
   */
  replayMemoryMb: z.coerce.number().min(1).max(65_536).default(16).describe("memory the core's replay index may hold, in MB (estimated; oldest sessions forgotten beyond it): 16 MB keeps 5,000-8,000 windows of 50 events, about a minute of a steady 200 batches/s; more memory, a longer memory of sessions to match replays against"),
  /**
   * Scored windows kept for ScoreSession (core/risk/window-cache.ts, least recently used evicted):
   * about 1 KB each. A window not kept is scored again from its stored events when asked for.
   */
  windowCacheEntries: z.coerce.number().int().min(0).max(10_000_000).default(10_000).describe("scored windows kept in memory for ScoreSession (least recently used evicted; about 1 KB each); a window not kept is scored again from its stored events"),
  identity: z
    .object({
      /** Minutes of inactivity after which a session expires. */
      sessionIdleMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60).describe("a session expires after this many minutes without a batch, a refresh or an MPIN check"),
      accessTokenTtlS: z.coerce.number().int().min(30).max(24 * 3600).default(300).describe("lifetime of an access token (EdDSA JWT), in seconds"),
      refreshTokenTtlS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(12 * 3600).describe("lifetime of a refresh token, in seconds; each Refresh issues a new one"),
      jwtIssuer: z.string().min(1).default('cadence-core').describe("`iss` of the access tokens the core signs (the edge checks it: set both alike)"),
      jwtAudience: z.string().min(1).default('cadence').describe("`aud` of the access tokens the core signs (the edge checks it: set both alike)"),
      /** Encrypts the stored Ed25519 private keys (AES-256-GCM, key derived with scrypt). */
      keySecret: z.string().min(16, 'must be at least 16 characters').optional().describe("encrypts the stored Ed25519 private keys (access tokens, off-chain results; AES-256-GCM, key from scrypt) and keys the login throttle's HMAC; never logged. Unset: keys stored unencrypted, with a warning at start"),
      mpinLength: z.coerce.number().int().min(4).max(12).default(4).describe("digits in an MPIN"),
      mpinMaxFailures: z.coerce.number().int().min(1).max(10).default(3).describe("failed MPINs in a row that lock the account; each check is reserved in the database before the MPIN is hashed, so no more are ever evaluated, across cores"),
      /** Failed logins per (account, device) and per device before backoff starts. */
      loginMaxFailures: z.coerce.number().int().min(1).max(100).default(5).describe("failed logins per (account, device) and per device before backoff; attempts are reserved in the database before the password is hashed"),
      /**
       * Failed logins per account from all devices together before backoff starts (unset: 4x the
       * per-device limit). Higher than the per-device limit, so that guessing from many devices is
       * capped while the owner's known devices keep a way in (with MPIN step-up).
       */
      loginAccountMaxFailures: z.coerce.number().int().min(2).max(1000).optional().describe("failed logins per account over all devices before backoff; unset: 4x CADENCE_LOGIN_MAX_FAILURES, and it must be higher. Past it a device that signed in to the account before still gets in, with MPIN step-up. Throttle rows are keyed by HMAC-SHA256 of the email and device (key from CADENCE_KEY_SECRET, else a random one kept in the database) and deleted an hour after their last use"),
      /** First lock after the limit; doubles with each further failure, up to 15 minutes. */
      loginLockSeconds: z.coerce.number().int().min(1).max(3600).default(30).describe("first temporary login lock after the limit, in seconds; doubles with each further failure, up to 15 minutes"),
      /**
       * Self-service unlock of an account locked by failed MPINs: a right password after
       * loginLockSeconds (doubled for each further lock within a day) unlocks it and signs in with
       * MPIN step-up. Off: only an admin unlocks (AdminService.UnlockAccount).
       */
      selfUnlock: z
        .enum(['true', 'false', '1', '0'])
        .optional()
        .transform((v) => v === 'true' || v === '1').describe("`true`: an account locked by failed MPINs unlocks itself at a right password once the lock is CADENCE_LOGIN_LOCK_SECONDS old (doubled for each further lock within a day) and signs in with MPIN step-up; unset or `false`: only an admin unlocks"),
      /** scrypt cost N (a power of two); r = 8, p = 1. 2^15 uses 32 MiB per hash. */
      scryptN: z.coerce
        .number()
        .int()
        .min(16)
        .max(1 << 20)
        .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
        .default(1 << 15).describe("scrypt cost N for passwords and MPINs (a power of two; r = 8, p = 1: 32 MiB per hash at the default); stored with each hash, so it can be raised later (the tests use 1024)"),
    })
    .transform((o) => ({ ...o, loginAccountMaxFailures: o.loginAccountMaxFailures ?? Math.min(1000, o.loginMaxFailures * 4) }))
    .refine((o) => o.loginAccountMaxFailures > o.loginMaxFailures, {
      message: 'CADENCE_LOGIN_ACCOUNT_MAX_FAILURES must be greater than CADENCE_LOGIN_MAX_FAILURES',
      path: ['loginAccountMaxFailures'],
    })
    .default({} as never),
  /** The off-chain scoring endpoint (issue 7, POST /predict); see docs/api.md (the off-chain scoring endpoint). */
  offchain: z
    .object({
      /** `name:key` or `key` entries, comma-separated; unset = open endpoint (a warning at start), read-only unless openEnrolment. */
      apiKeys: apiKeys().describe("API keys of `POST /predict` and OffchainService: `name:key` or `key` entries (16+ characters), comma-separated. Unset: the core refuses to start unless CADENCE_INSECURE_OPEN_SERVICES=1, and then serves it open and read-only. A bare `key` is named by its hash; keys are compared by sha256 in constant time and never logged; the name appears in rate-limit messages. `npm start` generates one, bound to every DID"),
      /**
       * Which DIDs each key may write history for: `name=did1|did2` or `name=*` entries, comma-separated.
       * A key without an entry scores read-only (never enrols into a DID's history).
       */
      keyDids: z
        .string()
        .optional()
        .transform((spec, ctx) => {
          const scopes = parseDidScopes(spec);
          if ('error' in scopes) {
            ctx.addIssue({ code: 'custom', message: scopes.error });
            return z.NEVER;
          }
          return scopes;
        }).describe("the DIDs whose history each off-chain key may write: `name=did1|did2` or `name=*` entries, comma-separated, naming keys of CADENCE_OFFCHAIN_API_KEYS; a key without an entry scores read-only. DIDs here cannot contain `,` `|` `=`; a name that is not a key stops the core at start"),
      /** With no API keys configured, whether anonymous callers may enrol sessions (off: open mode is read-only). */
      openEnrolment: z
        .enum(['true', 'false', '1', '0'])
        .optional()
        .transform((v) => v === 'true' || v === '1').describe("`1` or `true`: with no off-chain API key configured, anonymous callers may write any DID's history (local trials only, never in production)"),
      /** Seconds during which the same request (or idempotency key) gets the same signed result. */
      idempotencyWindowS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(600).describe("seconds during which the same request (or Idempotency-Key) returns the same signed result"),
      ratePerKeyPerMinute: z.coerce.number().int().min(1).default(6000).describe("off-chain requests per minute per API key"),
      ratePerDidPerMinute: z.coerce.number().int().min(1).default(60).describe("new off-chain predictions per minute per DID (and as many again for callers not bound to it)"),
      maxPatterns: z.coerce.number().int().min(1).max(1000).default(100).describe("most `historical_patterns` in one `/predict` request"),
      /** Sessions before a DID's history (stored or sent) is its baseline instead of the population. */
      minHistory: z.coerce.number().int().min(3).max(1000).default(5).describe("sessions before a DID's history (stored or sent) is its baseline instead of the population"),
      /** Newest enrolled sessions kept per DID. */
      maxHistory: z.coerce.number().int().min(5).max(5000).default(200).describe("newest enrolled sessions kept per DID"),
    })
    .superRefine((o, ctx) => {
      const names = new Set((o.apiKeys ?? []).map((k) => k.name));
      for (const name of o.keyDids?.keys() ?? []) {
        if (!names.has(name)) ctx.addIssue({ code: 'custom', path: ['keyDids'], message: `CADENCE_OFFCHAIN_KEY_DIDS names ${name}, which is not a key in CADENCE_OFFCHAIN_API_KEYS` });
      }
    })
    .default({} as never),
  /** Per-user models (issue 6): enrolment and automatic training; see docs/models.md (per-user models). */
  enrolment: z
    .object({
      minWindows: z.coerce.number().int().min(5).max(1000).default(50).describe("enrolment windows (judged batches) before a user's own model is trained and used"),
      maxWindows: z.coerce.number().int().min(10).max(5000).default(200).describe("newest enrolment windows kept per user (older ones slide out, against drift); at least CADENCE_ENROL_MIN_WINDOWS"),
      retrainEvery: z.coerce.number().int().min(1).max(10_000).default(10).describe("new enrolled windows after which a user's model is retrained"),
      retrainIntervalS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(300).describe("at most one retraining of a user's model per this many seconds"),
      pointerModels: z.enum(['on', 'off']).default('off').describe("`on`: logged-in users also get a per-user pointer model (the mean mouse action of a batch; enrolled, trained, gated and fused like the keystroke model). Off by default: on Balabit's ten users it flags 5-9 % of owners' second sessions held out (10 % live) against the keystroke model's 0-2.4 % (docs/accuracy.md, per-user pointer models)"),
      qualityGate: z.enum(['on', 'off']).default('on').describe("`on`: a newly trained user model is activated only when its held-back metrics pass the quality gate (core/models/quality-gate.ts: the owner's held-back windows at most 25 % at or above monitor; with 20+ impostor windows, EER at most 0.25 and AUC at least 0.75); otherwise it is kept inactive and the user stays on the population model. `off`: activated whatever its metrics (the gate's verdict is still recorded)"),
    })
    .refine((e) => e.maxWindows >= e.minWindows, 'CADENCE_ENROL_MAX_WINDOWS must be at least CADENCE_ENROL_MIN_WINDOWS')
    .default({} as never),
  /** The supervised session model (issue 19): automatic retraining from analysts' labels. */
  sessionModel: z
    .object({
      /** Sessions labelled (with a stored PredictSession record) since the last training that start a new one; 0 = off. */
      retrainLabels: z.coerce.number().int().min(0).max(1_000_000).default(50).describe("labelled sessions (with a context stored by PredictSession) since the last training after which the session model is retrained in a worker thread; activated only if no worse than the active one on its held-out split; 0 = no automatic retraining"),
      trees: z.coerce.number().int().min(1).max(1000).default(100).describe("trees of an automatically retrained session model"),
    })
    .default({} as never),
  /** AdminService and the ModelService calls that change models: `name:key` or `key` entries; unset = refused. */
  adminApiKeys: apiKeys().describe("admin keys: `name:key` or `key` entries (16+ characters), comma-separated, sent as `x-api-key` to AdminService and ModelService's Train, Retrain, Activate and Rollback, and typed into the dashboard's sign-in. Missing key: UNAUTHENTICATED; wrong key, or none configured: PERMISSION_DENIED. Compared in constant time; never logged. Unset: admin calls refused (`cadence start` generates one for the run)"),
  /** IngestService, RiskService and the model binaries for edges: `name:key` or `key` entries; unset = the core refuses to start (see insecureOpenServices). */
  serviceApiKeys: apiKeys().describe("service keys, parsed like the admin keys: required by IngestService, RiskService, ModelService's reads and `GET /v1/models/...` (`x-api-key` or `authorization: Bearer`), on both faces. Missing key: UNAUTHENTICATED (401); wrong key: PERMISSION_DENIED (403); each refusal is a `service_denied` security event. Checked before the request is read, so a caller without the key learns nothing of the request's shape; compared in constant time; never logged. Unset: the core refuses to start unless CADENCE_INSECURE_OPEN_SERVICES=1 (`cadence start` generates one)"),
  /** CADENCE_INSECURE_OPEN_SERVICES=1: start without service or off-chain keys, those faces open to anyone (a warning). */
  insecureOpenServices: z.enum(['0', '1']).default('0').transform((v) => v === '1').describe("`1`: start without CADENCE_SERVICE_API_KEYS or CADENCE_OFFCHAIN_API_KEYS, leaving those faces open to anyone who reaches the core (a warning at start)"),
  /** Severity webhook: medium and high decisions are POSTed here (JSON), with retries. */
  webhook: z
    .object({
      url: z.url({ protocol: /^https?$/ }).optional().describe("http(s) URL that receives a JSON POST for every medium (challenge) and high (block) decision, from a durable outbox; unset: no webhook"),
      /** HMAC-SHA256 key for the x-cadence-signature header. */
      secret: z.string().min(16, 'must be at least 16 characters').optional().describe("HMAC-SHA256 key for the webhook: each POST carries `x-cadence-signature: sha256=<hex of the body's HMAC>`"),
      maxAttempts: z.coerce.number().int().min(1).max(20).default(6).describe("attempts per webhook notification (exponential backoff with full jitter from 0.5 s, capped at 60 s; 5xx, 408, 429 and network errors are retried)"),
      timeoutMs: z.coerce.number().int().min(100).max(60_000).default(3000).describe("timeout of one webhook attempt, in ms"),
    })
    .default({} as never),
});

export type CoreConfig = z.infer<typeof configSchema>;

/**
 * Which variable feeds which field of configSchema: the one mapping, read by parseCoreConfig and by
 * `cadence docs config` (which calls it with each variable's name as its value).
 */
export function coreConfigInput(env: Record<string, string | undefined>) {
  return {
    host: env.CADENCE_HOST,
    grpcPort: env.CADENCE_GRPC_PORT,
    httpPort: env.CADENCE_HTTP_PORT,
    dbUrl: env.CADENCE_DB_URL,
    dbAuthToken: env.CADENCE_DB_AUTH_TOKEN,
    dbWriters: env.CADENCE_DB_WRITERS,
    logLevel: env.CADENCE_LOG_LEVEL,
    corsOrigins: env.CADENCE_CORE_CORS_ORIGINS,
    maxBodyBytes: env.CADENCE_MAX_BODY_BYTES,
    replayWindows: env.CADENCE_REPLAY_WINDOWS,
    replayMemoryMb: env.CADENCE_REPLAY_MEMORY_MB,
    windowCacheEntries: env.CADENCE_WINDOW_CACHE_ENTRIES,
    thresholds: {
      monitor: env.CADENCE_THRESHOLD_MONITOR,
      challenge: env.CADENCE_THRESHOLD_CHALLENGE,
      block: env.CADENCE_THRESHOLD_BLOCK,
    },
    identity: {
      sessionIdleMinutes: env.CADENCE_SESSION_IDLE_MINUTES,
      accessTokenTtlS: env.CADENCE_ACCESS_TOKEN_TTL_S,
      refreshTokenTtlS: env.CADENCE_REFRESH_TOKEN_TTL_S,
      jwtIssuer: env.CADENCE_JWT_ISSUER,
      jwtAudience: env.CADENCE_JWT_AUDIENCE,
      keySecret: env.CADENCE_KEY_SECRET,
      mpinLength: env.CADENCE_MPIN_LENGTH,
      mpinMaxFailures: env.CADENCE_MPIN_MAX_FAILURES,
      loginMaxFailures: env.CADENCE_LOGIN_MAX_FAILURES,
      loginAccountMaxFailures: env.CADENCE_LOGIN_ACCOUNT_MAX_FAILURES,
      loginLockSeconds: env.CADENCE_LOGIN_LOCK_SECONDS,
      selfUnlock: env.CADENCE_SELF_UNLOCK,
      scryptN: env.CADENCE_SCRYPT_N,
    },
    offchain: {
      apiKeys: env.CADENCE_OFFCHAIN_API_KEYS,
      keyDids: env.CADENCE_OFFCHAIN_KEY_DIDS,
      openEnrolment: env.CADENCE_OFFCHAIN_OPEN_ENROLMENT,
      idempotencyWindowS: env.CADENCE_OFFCHAIN_IDEMPOTENCY_S,
      ratePerKeyPerMinute: env.CADENCE_OFFCHAIN_RATE_PER_KEY,
      ratePerDidPerMinute: env.CADENCE_OFFCHAIN_RATE_PER_DID,
      maxPatterns: env.CADENCE_OFFCHAIN_MAX_PATTERNS,
      minHistory: env.CADENCE_OFFCHAIN_MIN_HISTORY,
      maxHistory: env.CADENCE_OFFCHAIN_MAX_HISTORY,
    },
    enrolment: {
      minWindows: env.CADENCE_ENROL_MIN_WINDOWS,
      maxWindows: env.CADENCE_ENROL_MAX_WINDOWS,
      retrainEvery: env.CADENCE_RETRAIN_EVERY,
      retrainIntervalS: env.CADENCE_RETRAIN_INTERVAL_S,
      qualityGate: env.CADENCE_MODEL_QUALITY_GATE,
      pointerModels: env.CADENCE_POINTER_MODELS,
    },
    sessionModel: {
      retrainLabels: env.CADENCE_SESSION_RETRAIN_LABELS,
      trees: env.CADENCE_SESSION_RETRAIN_TREES,
    },
    adminApiKeys: env.CADENCE_ADMIN_API_KEYS,
    serviceApiKeys: env.CADENCE_SERVICE_API_KEYS,
    insecureOpenServices: env.CADENCE_INSECURE_OPEN_SERVICES || undefined,
    webhook: {
      url: env.CADENCE_WEBHOOK_URL || undefined,
      secret: env.CADENCE_WEBHOOK_SECRET,
      maxAttempts: env.CADENCE_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: env.CADENCE_WEBHOOK_TIMEOUT_MS,
    },
  };
}

/** Variables the core reads, named CADENCE_*; reference: docs/configuration.md (generated from this schema). */
export function parseCoreConfig(env: Record<string, string | undefined>): CoreConfig {
  const result = configSchema.safeParse(coreConfigInput(env));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    // Never echo the value: some variables are secrets.
    throw new Error(`invalid configuration: ${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Internal faces are closed by default: the core process does not start while IngestService,
 * RiskService, /v1/models or /predict would be open to anyone who reaches it, unless the operator
 * opts out explicitly. Returns the error to print, or undefined.
 */
export function openServicesRefusal(config: CoreConfig): string | undefined {
  const missing = [
    ...(config.serviceApiKeys?.length ? [] : ['CADENCE_SERVICE_API_KEYS (IngestService, RiskService, /v1/models)']),
    ...(config.offchain.apiKeys?.length ? [] : ['CADENCE_OFFCHAIN_API_KEYS (/predict, OffchainService)']),
  ];
  if (missing.length === 0 || config.insecureOpenServices) return undefined;
  return `refusing to serve open internal services: set ${missing.join(' and ')}, or CADENCE_INSECURE_OPEN_SERVICES=1 to run them open (\`cadence start\` generates the keys)`;
}
