// The durable record: sessions, their batches (unique by batch id), events and risk scores.
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
});

export const batches = sqliteTable(
  'batches',
  {
    batchId: text('batch_id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    eventCount: integer('event_count').notNull(),
    // Lets a retry be told apart from a different batch that reuses an id.
    payloadSha256: text('payload_sha256').notNull(),
    receivedAtMs: integer('received_at_ms').notNull(),
    storedAtMs: integer('stored_at_ms').notNull(),
  },
  (t) => [index('batches_session_idx').on(t.sessionId, t.seq)],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    batchId: text('batch_id')
      .notNull()
      .references(() => batches.batchId, { onDelete: 'cascade' }),
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
  (t) => [index('events_session_idx').on(t.sessionId, t.t), index('events_batch_idx').on(t.batchId)],
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
