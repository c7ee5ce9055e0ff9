// lib/ingest-encode.ts writes the edge's IngestBatchRequest field by field: its bytes must be
// toBinary's for any batch the edge accepts (every event type and key class, optional fields set to
// zero or absent, negative and fractional numbers, empty and non-ASCII strings, context and geo
// present or not), and decode back to the same message.
import { equals, fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchContextSchema, EventBatchSchema, EventSchema, ScreenSchema } from '../../client/gen/cadence/v1/events_pb.ts';
import { IngestBatchRequestSchema, RequestGeoSchema } from '../../client/gen/cadence/v1/ingest_pb.ts';
import { RiskAssessmentSchema } from '../../client/gen/cadence/v1/risk_pb.ts';
import { encodeIngestBatchRequest } from '../../lib/ingest-encode.ts';
import { esIngestRequest } from '../../lib/wire-es.ts';
import type { BatchEvent, EventBatch } from '../../scoring/batch.ts';
import { EVENT_TYPES, KEY_CLASSES, POINTER_TYPES } from '../../scoring/batch-limits.ts';
import type { Assessment } from '../../scoring/prescore.ts';

const num = fc.oneof(fc.constant(0), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5000, max: 5000 }));
const text = fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.constantFrom('état', '東京', 'a\u0000b'));
const event: fc.Arbitrary<BatchEvent> = fc.record(
  {
    type: fc.constantFrom(...EVENT_TYPES),
    t: fc.double({ min: 0, max: 1e9, noNaN: true }),
    keyClass: fc.constantFrom(...KEY_CLASSES),
    field: text,
    position: fc.integer({ min: 0, max: 100_000 }),
    x: num,
    y: num,
    dx: num,
    dy: num,
    button: fc.integer({ min: 0, max: 31 }),
    pressure: fc.double({ min: 0, max: 1, noNaN: true }),
    pointerType: fc.constantFrom(...POINTER_TYPES),
    state: text,
  },
  { requiredKeys: ['type', 't'] },
) as fc.Arbitrary<BatchEvent>;
const context = fc.option(
  fc.record({ page: text, deviceId: text, language: text, screen: fc.record({ width: fc.nat(100_000), height: fc.nat(100_000) }) }, { requiredKeys: [] }),
  { nil: undefined },
);
const assessment: fc.Arbitrary<Assessment> = fc.record({
  score: fc.double({ min: 0, max: 1, noNaN: true }),
  decision: fc.constantFrom('allow', 'monitor', 'challenge', 'block'),
  modelVersion: text,
  reasons: fc.array(text, { maxLength: 4 }),
  judged: fc.boolean(),
}) as fc.Arbitrary<Assessment>;
const geo = fc.option(fc.record({ country: fc.constantFrom('DE', 'GB', ''), city: text }, { requiredKeys: [] }), { nil: undefined });

describe('encodeIngestBatchRequest', () => {
  it("writes toBinary's bytes for any request the edge builds, and they decode to the same message", () => {
    fc.assert(
      fc.property(
        fc.record({ sessionId: text, batchId: text, seq: fc.nat(2 ** 31 - 1), consent: fc.boolean(), context, events: fc.array(event, { maxLength: 12 }) }),
        assessment,
        fc.integer({ min: 0, max: 2 ** 52 }),
        geo,
        (b, a, receivedAtMs, g) => {
          const m = esIngestRequest(b as unknown as EventBatch, a, receivedAtMs, g);
          const bytes = encodeIngestBatchRequest(m);
          expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(toBinary(IngestBatchRequestSchema, m)).toString('hex'));
          expect(equals(IngestBatchRequestSchema, fromBinary(IngestBatchRequestSchema, bytes), m)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('knows every field of the messages it writes: a field added in proto/ fails here until lib/ingest-encode.ts writes it', () => {
    const fields = (schema: { fields: readonly { number: number; name: string }[] }) => schema.fields.map((f) => `${f.number} ${f.name}`).join(', ');
    // What lib/ingest-encode.ts writes, message by message (the random requests above cannot
    // exercise a field the edge's builder does not set yet).
    expect({
      IngestBatchRequest: fields(IngestBatchRequestSchema),
      EventBatch: fields(EventBatchSchema),
      Event: fields(EventSchema),
      BatchContext: fields(BatchContextSchema),
      Screen: fields(ScreenSchema),
      RiskAssessment: fields(RiskAssessmentSchema),
      RequestGeo: fields(RequestGeoSchema),
    }).toEqual({
      IngestBatchRequest: '1 batch, 2 edge_assessment, 3 received_at_ms, 4 geo',
      EventBatch: '1 session_id, 2 batch_id, 3 seq, 4 context, 5 events, 6 consent',
      Event: '1 type, 2 t, 3 key_class, 4 field, 5 position, 6 x, 7 y, 8 dx, 9 dy, 10 button, 11 pressure, 12 pointer_type, 13 state',
      BatchContext: '1 page, 2 device_id, 3 language, 4 screen',
      Screen: '1 width, 2 height',
      RiskAssessment: '1 score, 2 decision, 3 model_version, 4 reasons, 5 judged',
      RequestGeo: '1 country, 2 city',
    });
  });
});
