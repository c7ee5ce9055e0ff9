// The allocation-free batch check must give zod's answer on every input: valid batches, batches
// with one thing wrong (each field, each bound, unknown keys, order), and anything at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBatch } from '../../scoring/batch-check.ts';
import { batchSchema, EVENT_TYPES, KEY_CLASSES, LIMITS, parseBatch } from '../../scoring/batch.ts';

const zodSays = (input: unknown) => batchSchema.safeParse(input).success;

/** Values near and across every bound the schema has, and of every JSON type. */
const tricky = fc.oneof(
  fc.constantFrom(
    undefined, null, true, false, 0, -0, -1, 0.5, 1, 1.5, 31, 32, 100_000, 100_001, LIMITS.maxSeq, LIMITS.maxSeq + 1,
    LIMITS.maxCoordinate, LIMITS.maxCoordinate + 1, -LIMITS.maxCoordinate - 1, LIMITS.maxTimestampMs, LIMITS.maxTimestampMs + 1,
    Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '', 'a', 'has space', 'x'.repeat(LIMITS.maxIdLength),
    'x'.repeat(LIMITS.maxIdLength + 1), 'y'.repeat(33), 'z'.repeat(65), 'ok\ud83d\ude00', 'lone\ud800', '\udc00',
    'mouse', 'pen', 'touch', 'letter', 'keydown', 'focus', [], {}, [1], { width: 1, height: 2 }, { width: 1, height: 2, depth: 3 },
  ),
  fc.constantFrom(...EVENT_TYPES, ...KEY_CLASSES),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
);

const long = (n: number) => 'x'.repeat(n);
const id = ['', 'a b', 'a.b_c:d-e', long(LIMITS.maxIdLength), long(LIMITS.maxIdLength + 1)];
const coordinate = [LIMITS.maxCoordinate, LIMITS.maxCoordinate + 1, -LIMITS.maxCoordinate, -LIMITS.maxCoordinate - 0.5];
const count = (max: number) => [0, -1, max, max + 1, 1.5];
const text = (max: number) => [long(max), long(max + 1), 'ok\ud83d\ude00', 'lone\ud800'];
/** For each field, values just inside and just outside what it allows. */
const BOUNDS: Record<string, unknown[]> = {
  sessionId: id, batchId: id, deviceId: id,
  seq: count(LIMITS.maxSeq), consent: [true, false, 'true', 1],
  type: ['keydown', 'focus', 'keypress', 'KEYDOWN'], keyClass: ['letter', 'other', 'a', 'Letter'],
  t: [0, -0.001, LIMITS.maxTimestampMs, LIMITS.maxTimestampMs + 1, '12'],
  position: count(100_000), button: count(31), pressure: [0, 1, 1.0001, -0.0001, 0.5],
  x: coordinate, y: coordinate, dx: coordinate, dy: coordinate,
  pointerType: ['mouse', 'pen', 'touch', 'finger'],
  field: text(LIMITS.maxFieldLength), state: text(32), page: text(LIMITS.maxPageLength), language: text(35),
  width: count(100_000), height: count(100_000),
  screen: [{ width: 1, height: 2 }, { width: 1 }, { width: 1, height: 2, depth: 3 }, null],
  events: [[], [{ type: 'focus', t: 1 }], Array.from({ length: LIMITS.maxEvents + 1 }, (_, i) => ({ type: 'focus', t: i }))],
  context: [{}, null, []],
};
/** The keys each place may hold, and a few it may not. */
const KEYS: Record<string, string[]> = {
  batch: ['sessionId', 'batchId', 'seq', 'consent', 'context', 'events', 'extra', 'token'],
  context: ['page', 'deviceId', 'language', 'screen', 'userAgent'],
  screen: ['width', 'height', 'depth'],
  event: ['type', 't', 'keyClass', 'field', 'position', 'x', 'y', 'dx', 'dy', 'button', 'pressure', 'pointerType', 'state', 'key', 'code'],
};

const event = fc.oneof(
  fc.record({ type: fc.constantFrom('keydown', 'keyup'), t: fc.double({ min: 0, max: 1e6, noNaN: true }), keyClass: fc.constantFrom(...KEY_CLASSES), field: fc.constantFrom('username', 'password'), position: fc.nat(200) }, { requiredKeys: ['type', 't', 'keyClass'] }),
  fc.record({ type: fc.constantFrom('pointermove', 'pointerdown', 'pointerup', 'wheel', 'touchmove'), t: fc.double({ min: 0, max: 1e6, noNaN: true }), x: fc.double({ min: -1e4, max: 1e4, noNaN: true }), y: fc.double({ min: -1e4, max: 1e4, noNaN: true }), dx: fc.integer({ min: -500, max: 500 }), button: fc.nat(31), pressure: fc.double({ min: 0, max: 1, noNaN: true }), pointerType: fc.constantFrom('mouse', 'pen', 'touch') }, { requiredKeys: ['type', 't'] }),
  fc.record({ type: fc.constantFrom('focus', 'blur', 'navigation', 'visibility'), t: fc.double({ min: 0, max: 1e6, noNaN: true }), state: fc.constantFrom('visible', 'hidden'), field: fc.string({ maxLength: 10 }) }, { requiredKeys: ['type', 't'] }),
);

const validBatch = fc
  .record(
    {
      sessionId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
      batchId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
      seq: fc.nat(LIMITS.maxSeq),
      consent: fc.constant(true as const),
      context: fc.record({ page: fc.constant('/login'), deviceId: fc.constant('device-1'), language: fc.constant('en'), screen: fc.record({ width: fc.nat(5000), height: fc.nat(5000) }) }, { requiredKeys: [] }),
      events: fc.array(event, { minLength: 1, maxLength: 30 }),
    },
    { requiredKeys: ['sessionId', 'batchId', 'seq', 'consent', 'events'] },
  )
  .map((b) => ({ ...b, events: [...b.events].sort((x, y) => x.t - y.t) }));

type Json = Record<string, unknown>;
/** One change to a valid batch: a field set to a tricky value (or added, or removed), anywhere. */
const mutation = fc
  .constantFrom('batch', 'context', 'screen', 'event')
  .chain((where) => fc.record({ where: fc.constant(where), key: fc.constantFrom(...KEYS[where]!) }))
  .chain(({ where, key }) =>
    fc.record({
      where: fc.constant(where),
      key: fc.constant(key),
      index: fc.nat(40),
      value: fc.oneof({ arbitrary: fc.constantFrom(...(BOUNDS[key] ?? [1])), weight: 3 }, { arbitrary: tricky, weight: 1 }),
      remove: fc.nat(4).map((n) => n === 0),
    }),
  );

function mutate(b: Json, m: { where: string; index: number; key: string; value: unknown; remove: boolean }): Json {
  const out = structuredClone(b) as Json;
  let target: Json | undefined = out;
  if (m.where === 'context') target = (out.context ??= {}) as Json;
  if (m.where === 'screen') target = ((out.context ??= {}) as Json).screen as Json | undefined;
  if (m.where === 'event') {
    const events = out.events;
    if (!Array.isArray(events) || events.length === 0) return out;
    target = events[m.index % events.length] as Json;
  }
  if (!target || typeof target !== 'object') return out;
  if (m.remove) delete target[m.key];
  else target[m.key] = m.value;
  return out;
}

describe('allocation-free batch check', () => {
  it('accepts what zod accepts: generated valid batches', () => {
    fc.assert(
      fc.property(validBatch, (b) => {
        expect(zodSays(b)).toBe(true);
        expect(checkBatch(b)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('gives zod\'s answer on batches with one or two things changed', () => {
    let refused = 0;
    fc.assert(
      fc.property(validBatch, fc.array(mutation, { minLength: 1, maxLength: 2 }), (b, ms) => {
        const changed = ms.reduce(mutate, b as Json);
        const expected = zodSays(changed);
        if (!expected) refused++;
        expect(checkBatch(changed)).toBe(expected);
      }),
      { numRuns: 4000 },
    );
    expect(refused).toBeGreaterThan(500); // the mutations do break batches, so both answers are exercised
  });

  it('gives zod\'s answer on anything at all', () => {
    fc.assert(fc.property(fc.anything(), (x) => {
      expect(checkBatch(x)).toBe(zodSays(x));
    }), { numRuns: 1000 });
  });

  it('hands back the batch it was given, not a copy', () => {
    fc.assert(
      fc.property(validBatch, (b) => {
        const r = parseBatch(b);
        expect(r.ok && r.batch).toBe(b);
      }),
      { numRuns: 50 },
    );
  });
});
