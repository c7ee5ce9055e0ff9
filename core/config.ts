// The core's configuration: parsed once from the environment into a typed object, passed down.
import { z } from 'zod';
import { DEFAULT_DB_URL } from '../db/client.ts';
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
  host: z.string().default('127.0.0.1'),
  grpcPort: port.default(50051),
  httpPort: port.default(8080),
  dbUrl: z.string().regex(/^(file:|libsql:|https?:|wss?:|:memory:)/, 'must be a file:, libsql:, http(s): or ws(s): URL').default(DEFAULT_DB_URL),
  dbAuthToken: z.string().optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Largest request the HTTP face reads, in bytes. */
  maxBodyBytes: z.coerce.number().int().min(1024).default(1 << 20),
  /** Risk policy (seed 002): score thresholds for monitor, challenge (MPIN step-up) and block. */
  thresholds: z
    .object({
      monitor: z.coerce.number().default(DEFAULT_THRESHOLDS.monitor),
      challenge: z.coerce.number().default(DEFAULT_THRESHOLDS.challenge),
      block: z.coerce.number().default(DEFAULT_THRESHOLDS.block),
    })
    .refine(validThresholds, 'need 0 < monitor <= challenge <= block <= 1')
    .default(DEFAULT_THRESHOLDS),
  /** Windows kept in this core's replay index (scoring/replay-guard.ts); 0 turns replay detection off. */
  replayWindows: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  identity: z
    .object({
      /** Minutes of inactivity after which a session expires. */
      sessionIdleMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
      accessTokenTtlS: z.coerce.number().int().min(30).max(24 * 3600).default(300),
      refreshTokenTtlS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(12 * 3600),
      jwtIssuer: z.string().min(1).default('cadence-core'),
      jwtAudience: z.string().min(1).default('cadence'),
      /** Encrypts the stored Ed25519 private keys (AES-256-GCM, key derived with scrypt). */
      keySecret: z.string().min(16, 'must be at least 16 characters').optional(),
      mpinLength: z.coerce.number().int().min(4).max(12).default(4),
      mpinMaxFailures: z.coerce.number().int().min(1).max(10).default(3),
      /** Failed logins per (account, device) and per device before backoff starts. */
      loginMaxFailures: z.coerce.number().int().min(1).max(100).default(5),
      /**
       * Failed logins per account from all devices together before backoff starts (unset: 4x the
       * per-device limit). Higher than the per-device limit, so that guessing from many devices is
       * capped while the owner's known devices keep a way in (with MPIN step-up).
       */
      loginAccountMaxFailures: z.coerce.number().int().min(2).max(1000).optional(),
      /** First lock after the limit; doubles with each further failure, up to 15 minutes. */
      loginLockSeconds: z.coerce.number().int().min(1).max(3600).default(30),
      /**
       * Self-service unlock of an account locked by failed MPINs: a right password after
       * loginLockSeconds (doubled for each further lock within a day) unlocks it and signs in with
       * MPIN step-up. Off: only an admin unlocks (AdminService.UnlockAccount).
       */
      selfUnlock: z
        .enum(['true', 'false', '1', '0'])
        .optional()
        .transform((v) => v === 'true' || v === '1'),
      /** scrypt cost N (a power of two); r = 8, p = 1. 2^15 uses 32 MiB per hash. */
      scryptN: z.coerce
        .number()
        .int()
        .min(16)
        .max(1 << 20)
        .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
        .default(1 << 15),
    })
    .transform((o) => ({ ...o, loginAccountMaxFailures: o.loginAccountMaxFailures ?? Math.min(1000, o.loginMaxFailures * 4) }))
    .refine((o) => o.loginAccountMaxFailures > o.loginMaxFailures, {
      message: 'CADENCE_LOGIN_ACCOUNT_MAX_FAILURES must be greater than CADENCE_LOGIN_MAX_FAILURES',
      path: ['loginAccountMaxFailures'],
    })
    .default({} as never),
  /** The off-chain scoring endpoint (issue 7, POST /predict); see the README's off-chain section. */
  offchain: z
    .object({
      /** `name:key` or `key` entries, comma-separated; unset = open endpoint (a warning at start), read-only unless openEnrolment. */
      apiKeys: apiKeys(),
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
        }),
      /** With no API keys configured, whether anonymous callers may enrol sessions (off: open mode is read-only). */
      openEnrolment: z
        .enum(['true', 'false', '1', '0'])
        .optional()
        .transform((v) => v === 'true' || v === '1'),
      /** Seconds during which the same request (or idempotency key) gets the same signed result. */
      idempotencyWindowS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(600),
      ratePerKeyPerMinute: z.coerce.number().int().min(1).default(6000),
      ratePerDidPerMinute: z.coerce.number().int().min(1).default(60),
      maxPatterns: z.coerce.number().int().min(1).max(1000).default(100),
      /** Sessions before a DID's history (stored or sent) is its baseline instead of the population. */
      minHistory: z.coerce.number().int().min(3).max(1000).default(5),
      /** Newest enrolled sessions kept per DID. */
      maxHistory: z.coerce.number().int().min(5).max(5000).default(200),
    })
    .superRefine((o, ctx) => {
      const names = new Set((o.apiKeys ?? []).map((k) => k.name));
      for (const name of o.keyDids?.keys() ?? []) {
        if (!names.has(name)) ctx.addIssue({ code: 'custom', path: ['keyDids'], message: `CADENCE_OFFCHAIN_KEY_DIDS names ${name}, which is not a key in CADENCE_OFFCHAIN_API_KEYS` });
      }
    })
    .default({} as never),
  /** Per-user models (issue 6): enrolment and automatic training; see the README's per-user models section. */
  enrolment: z
    .object({
      minWindows: z.coerce.number().int().min(5).max(1000).default(50),
      maxWindows: z.coerce.number().int().min(10).max(5000).default(200),
      retrainEvery: z.coerce.number().int().min(1).max(10_000).default(10),
      retrainIntervalS: z.coerce.number().int().min(0).max(7 * 24 * 3600).default(300),
    })
    .refine((e) => e.maxWindows >= e.minWindows, 'CADENCE_ENROL_MAX_WINDOWS must be at least CADENCE_ENROL_MIN_WINDOWS')
    .default({} as never),
  /** The supervised session model (issue 19): automatic retraining from analysts' labels. */
  sessionModel: z
    .object({
      /** Sessions labelled (with a stored PredictSession record) since the last training that start a new one; 0 = off. */
      retrainLabels: z.coerce.number().int().min(0).max(1_000_000).default(50),
      trees: z.coerce.number().int().min(1).max(1000).default(100),
    })
    .default({} as never),
  /** AdminService and the ModelService calls that change models: `name:key` or `key` entries; unset = refused. */
  adminApiKeys: apiKeys(),
  /** IngestService, RiskService and the model binaries for edges: `name:key` or `key` entries; unset = the core refuses to start (see insecureOpenServices). */
  serviceApiKeys: apiKeys(),
  /** CADENCE_INSECURE_OPEN_SERVICES=1: start without service or off-chain keys, those faces open to anyone (a warning). */
  insecureOpenServices: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  /** Severity webhook: medium and high decisions are POSTed here (JSON), with retries. */
  webhook: z
    .object({
      url: z.url({ protocol: /^https?$/ }).optional(),
      /** HMAC-SHA256 key for the x-cadence-signature header. */
      secret: z.string().min(16, 'must be at least 16 characters').optional(),
      maxAttempts: z.coerce.number().int().min(1).max(20).default(6),
      timeoutMs: z.coerce.number().int().min(100).max(60_000).default(3000),
    })
    .default({} as never),
});

export type CoreConfig = z.infer<typeof configSchema>;

/** Variables the core reads, named CADENCE_*; see the README's configuration table. */
export function parseCoreConfig(env: Record<string, string | undefined>): CoreConfig {
  const result = configSchema.safeParse({
    host: env.CADENCE_HOST,
    grpcPort: env.CADENCE_GRPC_PORT,
    httpPort: env.CADENCE_HTTP_PORT,
    dbUrl: env.CADENCE_DB_URL,
    dbAuthToken: env.CADENCE_DB_AUTH_TOKEN,
    logLevel: env.CADENCE_LOG_LEVEL,
    maxBodyBytes: env.CADENCE_MAX_BODY_BYTES,
    replayWindows: env.CADENCE_REPLAY_WINDOWS,
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
  });
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
