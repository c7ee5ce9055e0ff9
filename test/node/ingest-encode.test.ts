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

const num = fc.oneof(fc.constant(0), fc.constant(-0), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5000, max: 5000 }));
// Any UTF-16 (lone surrogates, characters of four UTF-8 bytes), not only ASCII.
const text = fc.oneof(fc.constant(''), fc.string({ maxLength: 12, unit: 'binary' }), fc.constantFrom('état', '東京', 'a\u0000b', '\ud83d\ude00', '\ud800x'));
const event: fc.Arbitrary<BatchEvent> = fc.record(
  {
    type: fc.constantFrom(...EVENT_TYPES),
    t: fc.oneof(fc.constant(-0), fc.double({ min: 0, max: 1e9, noNaN: true })),
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
  score: fc.oneof(fc.constant(-0), fc.double({ min: 0, max: 1, noNaN: true })),
  decision: fc.constantFrom('allow', 'monitor', 'challenge', 'block'),
  modelVersion: text,
  reasons: fc.array(text, { maxLength: 4 }),
  judged: fc.boolean(),
}) as fc.Arbitrary<Assessment>;
const geo = fc.option(fc.record({ country: fc.constantFrom('DE', 'GB', ''), city: text }, { requiredKeys: [] }), { nil: undefined });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (x: unknown): boolean =>
  typeof x === 'string' ? !LONE_SURROGATE.test(x) : Array.isArray(x) ? x.every(wellFormed) : x !== null && typeof x === 'object' ? Object.values(x).every(wellFormed) : true;

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
          // A lone surrogate has no UTF-8 form: it is written as U+FFFD (as toBinary does) and cannot come back.
          if (wellFormed(m)) expect(equals(IngestBatchRequestSchema, fromBinary(IngestBatchRequestSchema, bytes), m)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('writes a request larger than its reused buffer, and does not hand out that buffer', () => {
    const events = Array.from({ length: 5000 }, (_, i) => ({ type: 'pointermove', t: i * 7.5, x: i, y: -i, pointerType: 'mouse', field: 'é'.repeat(i % 3) }) as BatchEvent);
    const a: Assessment = { score: 0.5, decision: 'allow', modelVersion: 'v', reasons: ['r'], judged: true };
    const big = esIngestRequest({ sessionId: 's', batchId: 'b', seq: 1, consent: true, events } as unknown as EventBatch, a, 1);
    const bytes = encodeIngestBatchRequest(big);
    expect(bytes.byteLength).toBeGreaterThan(100_000);
    expect(Buffer.from(bytes).equals(Buffer.from(toBinary(IngestBatchRequestSchema, big)))).toBe(true);
    const copy = Uint8Array.from(bytes);
    encodeIngestBatchRequest(esIngestRequest({ sessionId: 'other', batchId: 'c', seq: 2, consent: true, events: events.slice(0, 3) } as unknown as EventBatch, a, 2));
    expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true); // the next encode left it alone
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
