import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, hasConsent, LIMITS, parseBatch } from '../../scoring/batch.ts';
import { batch } from '../helpers/batches.ts';

const problemOf = (input: unknown) => {
  const r = parseBatch(input);
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};

describe('batch validation', () => {
  it('accepts a well-formed batch', () => {
    const r = parseBatch(batch());
    expect(r.ok).toBe(true);
  });

  it.each([
    ['sessionId', { sessionId: '' }],
    ['sessionId', { sessionId: 'has space' }],
    ['batchId', { batchId: 'x'.repeat(LIMITS.maxIdLength + 1) }],
    ['seq', { seq: -1 }],
    ['seq', { seq: 1.5 }],
    ['events', { events: [] }],
    ['events', { events: Array.from({ length: LIMITS.maxEvents + 1 }, (_, i) => ({ type: 'focus', t: i })) }],
    ['events.0.type', { events: [{ type: 'keypress', t: 1, keyClass: 'letter' }] }],
    ['events.0.t', { events: [{ type: 'focus', t: -1 }] }],
    ['events.0.t', { events: [{ type: 'focus', t: Number.POSITIVE_INFINITY }] }],
    ['events.0.t', { events: [{ type: 'focus', t: '12' }] }],
    ['events.1.t', { events: [{ type: 'focus', t: 10 }, { type: 'blur', t: 9 }] }],
    ['events.0.keyClass', { events: [{ type: 'keydown', t: 1 }] }],
    ['events.0.keyClass', { events: [{ type: 'keydown', t: 1, keyClass: 'a' }] }],
    ['events.0.key', { events: [{ type: 'keydown', t: 1, keyClass: 'letter', key: 'a' }] }],
    ['events.0.x', { events: [{ type: 'pointermove', t: 1, x: 1e12, y: 0 }] }],
    ['events.0.field', { events: [{ type: 'focus', t: 1, field: 'name\ud800' }] }],
    ['context.screen.width', { context: { screen: { width: -1, height: 10 } } }],
    ['extra', { extra: 1 }],
  ])('names %s when it is wrong', (field, override) => {
    expect(problemOf({ ...batch(), ...override }).field).toBe(field);
  });

  it('treats consent as a separate, explicit check', () => {
    expect(hasConsent({ consent: true })).toBe(true);
    for (const v of [undefined, false, 'true', 1, null]) expect(hasConsent({ consent: v })).toBe(false);
    expect(hasConsent(null)).toBe(false);
    expect(problemOf({ ...batch(), consent: false }).field).toBe('consent');
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const r = parseBatch(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on batch-shaped input with hostile events', () => {
    const event = fc.record(
      {
        type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string()),
        t: fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN)),
        keyClass: fc.oneof(fc.constant('letter'), fc.string()),
        x: fc.double(),
      },
      { requiredKeys: ['type', 't'] },
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 50 }), (events) => {
        const r = parseBatch({ ...batch(), events });
        if (!r.ok) expect(r.problem.field.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
