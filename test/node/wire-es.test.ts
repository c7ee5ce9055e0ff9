// lib/wire-es.ts builds the edge's IngestBatch request as protobuf-es messages by hand (literals,
// for speed): it must be the very message protobuf-es makes of lib/wire.ts's request, for every
// event type, key class and optional field, with and without context and geo, down to the bytes.
import { equals, fromJson, toBinary, type JsonValue } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { IngestBatchRequestSchema } from '../../client/gen/cadence/v1/ingest_pb.ts';
import { ingestRequest } from '../../edge/delivery.ts';
import { esIngestRequest } from '../../lib/wire-es.ts';
import type { BatchEvent, EventBatch } from '../../scoring/batch.ts';
import { EVENT_TYPES, KEY_CLASSES } from '../../scoring/batch-limits.ts';
import type { Assessment } from '../../scoring/prescore.ts';

const events: BatchEvent[] = [
  ...EVENT_TYPES.map((type, i) => ({ type, t: 1000 + i * 7.25 })),
  ...KEY_CLASSES.map((keyClass, i) => ({ type: 'keydown' as const, t: 2000 + i, keyClass, field: 'username', position: i })),
  { type: 'pointermove', t: 3000.5, x: 12.5, y: -3, dx: 0, dy: 1.25, pointerType: 'mouse', pressure: 0 },
  { type: 'pointerdown', t: 3001, x: 0, y: 0, button: 2, pressure: 0.5, pointerType: 'pen' },
  { type: 'visibility', t: 3002, state: 'hidden' },
];
const assessments: Assessment[] = (['allow', 'monitor', 'challenge', 'block'] as const).map((decision, i) => ({ score: i / 4, decision, modelVersion: `m-${i}`, reasons: i ? ['fast_typing', 'x'] : [], judged: i % 2 === 0 }) as Assessment);

describe('esIngestRequest', () => {
  it.each([
    { name: 'full context and geo', context: { deviceId: 'd-1', page: '/login', language: 'en-GB', screen: { width: 1280, height: 0 } }, geo: { country: 'GB', city: 'Leeds' } },
    { name: 'partial context, geo without city', context: { deviceId: 'd-2' }, geo: { country: 'FR' } },
    { name: 'no context, no geo', context: undefined, geo: undefined },
  ])('is the message of lib/wire.ts\'s request ($name)', ({ context, geo }) => {
    for (const a of assessments) {
      const batch = { sessionId: 's-1', batchId: 'b-1', seq: 3, consent: true, context, events } as EventBatch;
      const mine = esIngestRequest(batch, a, 1_765_000_000_123, geo);
      const theirs = fromJson(IngestBatchRequestSchema, ingestRequest(batch, a, 1_765_000_000_123, geo) as unknown as JsonValue);
      expect(equals(IngestBatchRequestSchema, mine, theirs)).toBe(true);
      expect(toBinary(IngestBatchRequestSchema, mine)).toEqual(toBinary(IngestBatchRequestSchema, theirs));
    }
  });
});
