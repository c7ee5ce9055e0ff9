// The durable record: sessions, their batches (unique by session id and batch id), events and risk scores.
import { sql } from 'drizzle-orm';
import { blob, foreignKey, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  userId: text('user_id'),
  deviceId: text('device_id'),
  page: text('page'),
  language: text('language'),
  screenWidth: integer('screen_width'),
  screenHeight: integer('screen_height'),
  firstSeenMs: integer('first_seen_ms').notNull(),
  lastSeenMs: integer('last_seen_ms').notNull(),
  // Counters kept in the same transaction as the rows they count, so reads need no scan.
  batchCount: integer('batch_count').notNull().default(0),
  eventCount: integer('event_count').notNull().default(0),
  // Identity sessions only (created by Login); null for anonymous behavioural sessions.
  status: text('status', { enum: ['active', 'challenged', 'blocked', 'ended'] }),
  statusChangedAtMs: integer('status_changed_at_ms'),
  // The session's accumulated evidence (scoring/session-evidence.ts), written with each batch.
  evidenceLlr: real('evidence_llr').notNull().default(0),
  evidenceWindows: integer('evidence_windows').notNull().default(0),
  evidenceFlagged: integer('evidence_flagged').notNull().default(0),
  evidenceSignals: text('evidence_signals', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  // The session's typing-dependence rank sums (scoring/features/typing-dependence.ts): four numbers, null before any keys.
  evidenceTyping: text('evidence_typing', { mode: 'json' }).$type<{ hf: number; hfInfo: number; sw: number; swInfo: number; overlaps: number }>(),
  // The session's judged reaches to a press and how many were one sub-movement (scoring/features/submovements.ts); null before any.
  evidenceReaches: text('evidence_reaches', { mode: 'json' }).$type<{ n: number; single: number; reversed?: number; moves?: number; flat?: number; bends?: number; fastBends?: number; curved?: number; unslowed?: number; singleUnslowed?: number; pending?: { s: number[]; up?: true; down?: true; rest?: true; drag?: true }; unraised?: { n: number; single: number; reversed?: number; moves?: number; flat?: number; bends?: number; fastBends?: number; curved?: number; unslowed?: number; singleUnslowed?: number } }>(),
  // Each fact family raised since the statistic last stood at 0: how many times it counts (up to 2) and the window that last raised it (scoring/session-evidence.ts `corroborated`); null before any.
  evidenceFacts: text('evidence_facts', { mode: 'json' }).$type<Record<string, { n: number; at: number }>>(),
  // Signals a verified MPIN or an analyst's clear answered in this session: their rate groups add no more evidence (scoring/session-evidence.ts `afterStepUp`); null before any.
  evidenceAnswered: text('evidence_answered', { mode: 'json' }).$type<string[]>(),
  // The level the session has reached (scoring/session-standing.ts): it sticks where the evidence
  // wears away. Written with the evidence; `standingVersion` is bumped by each deliberate lowering
  // (a verified MPIN, an analyst's clear) so that a batch judged on the older standing does not
  // write it back (compare-and-set in core/ingest/store.ts).
  standing: text('standing', { enum: ['allow', 'monitor', 'challenge', 'block'] }).notNull().default('allow'),
  standingReasons: text('standing_reasons', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  standingAtMs: integer('standing_at_ms'),
  standingVersion: integer('standing_version').notNull().default(0),
  // Where the first located request of the session came from (lib/geo.ts; the edge's platform says).
  country: text('country'),
  city: text('city'),
}, (t) => [
  // Login asks whether a device has signed in to an account before (a known device keeps a way in).
  index('sessions_user_device_idx').on(t.userId, t.deviceId),
]);

// A batch id is the browser's, unique only within its session: the key is (session id, batch id), so
// that another session's batch under the same id is another batch, never a duplicate of this one.
export const batches = sqliteTable(
  'batches',
  {
    batchId: text('batch_id').notNull(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    eventCount: integer('event_count').notNull(),
    // Lets a retry be told apart from a different batch that reuses an id: SHA-256 of the batch's
    // canonical JSON (lib/batch-digest.ts).
    payloadSha256: text('payload_sha256').notNull(),
    receivedAtMs: integer('received_at_ms').notNull(),
    storedAtMs: integer('stored_at_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.batchId] }), index('batches_session_idx').on(t.sessionId, t.seq)],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    batchId: text('batch_id').notNull(),
    idx: integer('idx').notNull(),
    type: text('type').notNull(),
    t: real('t').notNull(),
    keyClass: text('key_class'),
    field: text('field'),
    position: integer('position'),
    x: real('x'),
    y: real('y'),
    dx: real('dx'),
    dy: real('dy'),
    button: integer('button'),
    pressure: real('pressure'),
    pointerType: text('pointer_type'),
    state: text('state'),
  },
  (t) => [
    foreignKey({ columns: [t.sessionId, t.batchId], foreignColumns: [batches.sessionId, batches.batchId] }).onDelete('cascade'),
    index('events_session_idx').on(t.sessionId, t.t),
    index('events_batch_idx').on(t.sessionId, t.batchId),
  ],
);

export const scores = sqliteTable(
  'scores',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    batchId: text('batch_id'),
    // 'edge' for the pre-score the browser was answered with, 'core' for the authoritative one.
    source: text('source', { enum: ['edge', 'core'] }).notNull(),
    score: real('score').notNull(),
    decision: text('decision', { enum: ['allow', 'monitor', 'challenge', 'block'] }).notNull(),
    judged: integer('judged', { mode: 'boolean' }).notNull(),
    modelVersion: text('model_version').notNull(),
    reasons: text('reasons', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (t) => [index('scores_session_idx').on(t.sessionId, t.source, t.id)],
);

/** Accounts. Hashes are self-describing scrypt strings (parameters + salt + hash), never plain values. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  mpinHash: text('mpin_hash').notNull(),
  // Consecutive failed MPINs; reset by a right one. The configured maximum locks the account.
  mpinFailures: integer('mpin_failures').notNull().default(0),
  // MPIN checks reserved but not yet settled (core/identity/store.ts): failures + in flight never
  // exceed the maximum, so no more wrong MPINs are evaluated than the limit, whatever the concurrency.
  mpinInFlight: integer('mpin_in_flight').notNull().default(0),
  // When the newest reservation was made: once older than the reservation lifetime, every one in
  // flight is left from a crashed or stalled core and is dropped (the epoch moves on).
  mpinReservedAtMs: integer('mpin_reserved_at_ms').notNull().default(0),
  // Bumped when stale reservations are dropped: a late settle of one of them changes nothing.
  mpinEpoch: integer('mpin_epoch').notNull().default(0),
  lockedAtMs: integer('locked_at_ms'),
  createdAtMs: integer('created_at_ms').notNull(),
});

/**
 * Failed-login counters for backoff that survives restarts, per (account, device), per account and
 * per device. `key` is a keyed hash (HMAC-SHA256) of what is counted, never an email or address.
 */
export const loginThrottle = sqliteTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    lastFailureMs: integer('last_failure_ms').notNull(),
    lockedUntilMs: integer('locked_until_ms').notNull().default(0),
    // Attempts reserved and not yet settled, as for the MPIN (core/identity/throttle.ts).
    inFlight: integer('in_flight').notNull().default(0),
    reservedAtMs: integer('reserved_at_ms').notNull().default(0),
    epoch: integer('epoch').notNull().default(0),
    // Past this the row says nothing any more (no recent failure, lock or reservation): deleted.
    expiresAtMs: integer('expires_at_ms').notNull().default(0),
  },
  (t) => [index('login_throttle_expires_idx').on(t.expiresAtMs)],
);

/** Server secrets kept in the database, by name (the login throttle's HMAC key when CADENCE_KEY_SECRET is unset). */
export const identitySecrets = sqliteTable('identity_secrets', {
  name: text('name').primaryKey(),
  // base64url of random bytes.
  value: text('value').notNull(),
  createdAtMs: integer('created_at_ms').notNull(),
});

/** Refresh tokens, stored as sha256 of the token only; a family is every token rotated from one login. */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    tokenSha256: text('token_sha256').notNull().unique(),
    familyId: text('family_id').notNull(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
    expiresAtMs: integer('expires_at_ms').notNull(),
    // Set when this token was exchanged; presenting it again is reuse.
    rotatedAtMs: integer('rotated_at_ms'),
    revokedAtMs: integer('revoked_at_ms'),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId), index('refresh_tokens_session_idx').on(t.sessionId)],
);

/** Ed25519 signing keys by kid. The private key is encrypted when CADENCE_KEY_SECRET is set. */
export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: text('public_jwk', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  // 'plain:<pkcs8 pem>' or 'aes-256-gcm:<salt>:<iv>:<tag>:<ciphertext>' (base64url parts).
  privateKey: text('private_key').notNull(),
  createdAtMs: integer('created_at_ms').notNull(),
  // Only the newest active key signs; retired keys stay in the JWKS until their tokens expire.
  retiredAtMs: integer('retired_at_ms'),
});

/** Security decisions and identity events: challenges, blocks, MPIN outcomes, locks, logins, reuse. */
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', {
      enum: ['login', 'login_failed', 'monitor', 'challenge', 'block', 'mpin_verified', 'mpin_failed', 'account_locked', 'logout', 'refresh_reuse', 'revoke',
        // Refused attempts (core/policy/security-log.ts); a type-only enum: no migration.
        'token_invalid', 'token_expired', 'device_mismatch', 'refresh_invalid', 'refresh_other_device', 'admin_denied', 'service_denied', 'login_throttled',
        // Support actions (issue 21), naming the admin key in reasons.
        'account_unlocked', 'standing_cleared'],
    }).notNull(),
    userId: text('user_id'),
    sessionId: text('session_id'),
    severity: text('severity', { enum: ['none', 'low', 'medium', 'high'] }).notNull(),
    score: real('score'),
    modelVersion: text('model_version'),
    reasons: text('reasons', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    batchId: text('batch_id'),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (t) => [index('security_events_session_idx').on(t.sessionId, t.id), index('security_events_kind_idx').on(t.kind, t.createdAtMs)],
);

// --- Off-chain scoring endpoint (issue 7) ---

/** The off-chain endpoint's ed25519 signing key(s); the private key is sealed like `signing_keys`. */
export const offchainSigningKeys = sqliteTable('offchain_signing_keys', {
  id: text('id').primaryKey(),
  // Raw 32-byte public key, 0x hex, as published in every signed result.
  publicKey: text('public_key').notNull(),
  privateKey: text('private_key').notNull(),
  createdAtMs: integer('created_at_ms').notNull(),
});

/** Signed results by idempotency key (or request hash), returned again while within the window. */
export const offchainResults = sqliteTable(
  'offchain_results',
  {
    key: text('key').primaryKey(),
    did: text('did').notNull(),
    requestSha256: text('request_sha256').notNull(),
    response: text('response', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (t) => [index('offchain_results_created_idx').on(t.createdAtMs)],
);

/** A DID's enrolled sessions (its baseline): genuine-looking predictions only, newest kept. */
export const offchainHistory = sqliteTable(
  'offchain_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    did: text('did').notNull(),
    // did + request hash: the same request never enrols twice.
    dedupeKey: text('dedupe_key').notNull().unique(),
    typingSpeedWpm: real('typing_speed_wpm').notNull(),
    avgKeyHoldTimeMs: real('avg_key_hold_time_ms').notNull(),
    avgTransitionTimeMs: real('avg_transition_time_ms').notNull(),
    errorRatePercent: real('error_rate_percent').notNull(),
    anomalyScore: real('anomaly_score').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (t) => [index('offchain_history_did_idx').on(t.did, t.id)],
);

// --- Per-user enrolment and the model registry (issue 6) ---

/** A user's enrolment windows: feature vectors of genuine-looking windows, newest kept (a sliding window). */
export const enrolmentWindows = sqliteTable(
  'enrolment_windows',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    sessionId: text('session_id').notNull(),
    // One window per batch and kind (session id, batch id, keystroke or pointer): a retried batch never
    // enrols twice, and a batch with typing and mouse actions enrols once for each model.
    batchId: text('batch_id').notNull(),
    kind: text('kind', { enum: ['keystroke', 'pointer'] }).notNull(),
    vector: text('vector', { mode: 'json' }).$type<number[]>().notNull(),
    // Risk of the window under the model in force when it arrived (below the monitor threshold).
    risk: real('risk').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (t) => [index('enrolment_windows_user_idx').on(t.userId, t.kind, t.id), uniqueIndex('enrolment_windows_batch_kind_idx').on(t.sessionId, t.batchId, t.kind)],
);

/** Trained models: one row per version; at most one active per kind and scope ('global' or a user id). */
export const models = sqliteTable(
  'models',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['user-keystroke', 'user-pointer', 'population-keystroke-forest', 'session-forest', 'offchain-pair'] }).notNull(),
    scope: text('scope').notNull(),
    version: text('version').notNull(),
    // sha256 of `binary` (the model-format file), hex: the ETag edges cache by.
    sha256: text('sha256').notNull(),
    featureSchema: text('feature_schema', { mode: 'json' }).$type<string[]>().notNull(),
    metrics: text('metrics', { mode: 'json' }).$type<Record<string, number | null>>().notNull(),
    binary: blob('binary', { mode: 'buffer' }).notNull(),
    // What the core needs besides the binary to rebuild the fused scorer (normalisation, calibration).
    state: text('state', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    // The enrolment rows it was fitted on (float64, row-major), so a restart rebuilds it exactly.
    trainRows: blob('train_rows', { mode: 'buffer' }),
    trainedAtMs: integer('trained_at_ms').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    activatedAtMs: integer('activated_at_ms'),
    // Activated by an operator (Activate, Rollback): automatic retraining leaves the scope alone.
    pinned: integer('pinned', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('models_version_idx').on(t.kind, t.scope, t.version), index('models_scope_idx').on(t.scope, t.kind, t.active)],
);

/**
 * Severity webhook notifications, written before the batch that caused them is acknowledged and
 * sent from here (the outbox), so that a restart or a receiver away for a while loses none.
 */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // For a user's data deletion; null for an anonymous session.
    userId: text('user_id'),
    body: text('body').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptMs: integer('next_attempt_ms').notNull(),
    deliveredAtMs: integer('delivered_at_ms'),
    // Why it was given up: the receiver refused it for good, or every attempt failed.
    droppedReason: text('dropped_reason'),
  },
  (t) => [index('webhook_outbox_due_idx').on(t.deliveredAtMs, t.droppedReason, t.nextAttemptMs), index('webhook_outbox_user_idx').on(t.userId)],
);

/**
 * Analysts' labels of sessions (issue 19), append-only: the newest row of a session is its label,
 * the older ones its audit trail (who changed it, when, from what). Training data for the
 * supervised session model once session records are stored with sessions (not yet).
 */
export const sessionLabels = sqliteTable(
  'session_labels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    label: text('label', { enum: ['genuine', 'account_takeover', 'bot', 'unsure'] }).notNull(),
    analyst: text('analyst').notNull(),
    note: text('note').notNull().default(''),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (t) => [index('session_labels_session_idx').on(t.sessionId, t.id)],
);

/**
 * The session context a caller last sent with RiskService.PredictSession(s) for a session id
 * (issue 19): joined with analysts' labels, these are the supervised session model's training rows
 * for automatic retraining (core/risk/session-retrain.ts).
 */
export const sessionRecords = sqliteTable('session_records', {
  sessionId: text('session_id').primaryKey(),
  record: text('record', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
});
