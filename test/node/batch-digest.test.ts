// The canonical form a batch's idempotency digest is taken over (lib/batch-digest.ts): independent
// of key order, only the batch's own fields, and the same text the core hashed before it existed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchKey, canonicalBatch, sha256, sha256Hex, sha256Implementation } from '../../lib/batch-digest.ts';
import { fromWireBatch, toWireBatch } from '../../lib/wire.ts';
import { parseBatch, type EventBatch } from '../../scoring/batch.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';

const ORDER = ['sessionId', 'batchId', 'seq', 'consent', 'events', 'type', 't', 'keyClass', 'field', 'position', 'x', 'y', 'dx', 'dy', 'button', 'pressure', 'pointerType', 'state',
  'context', 'page', 'deviceId', 'language', 'screen', 'width', 'height'];
const shuffled = (v: unknown, rand: () => number): unknown =>
  Array.isArray(v) ? v.map((x) => shuffled(x, rand)) : v && typeof v === 'object'
    ? Object.fromEntries(Object.entries(v).sort(() => rand() - 0.5).map(([k, x]) => [k, shuffled(x, rand)]))
    : v;

describe('canonical batch', () => {
  const samples: EventBatch[] = [
    batch(),
    batch({ events: botTyping(), context: undefined }),
    batch({ context: {} }),
    batch({ context: { screen: { width: 1, height: 2 } }, events: [{ type: 'pointermove', t: 0.5, x: -3.25, y: 1e-7, pressure: 0.5, pointerType: 'pen', button: 1, dx: 0, dy: -0 }] }),
    batch({ events: [...typing({ keys: 3 }), { type: 'wheel', t: 1e6, dy: 120, state: 'scroll' }, { type: 'focus', t: 1e6, field: 'näme "quoted" \\ 🙂' }] }),
  ];

  it('is JSON.stringify in the canonical key order, whatever order the keys came in, and parses back to the batch', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.integer(), (b, seed) => {
        let s = seed >>> 0;
        const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const mixed = parseBatch(shuffled(b, rand));
        expect(mixed.ok).toBe(true);
        const text = canonicalBatch((mixed as { batch: EventBatch }).batch);
        expect(text).toBe(JSON.stringify(b, ORDER));
        expect(text).toBe(canonicalBatch(b));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(b)));
      }),
      { numRuns: 200, seed: 16 },
    );
  });

  it('property: for any valid batch (free text with quotes, escapes, control characters; any finite numbers) it is JSON.stringify in that order', () => {
    const num = fc.oneof(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.constantFrom(-0, 1e-7, 5e-324, -999999.999, 123456.125));
    const text = fc.string({ maxLength: 12, unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u001f', '\u2028', 'é', '🙂', '/') });
    const event = fc.record(
      { type: fc.constantFrom('keydown', 'pointermove', 'focus'), t: fc.constant(5), keyClass: fc.constantFrom('letter', 'space'), field: text, position: fc.nat(100), x: num, y: num, dx: num, dy: num, button: fc.nat(31), pressure: fc.double({ min: 0, max: 1, noNaN: true }), pointerType: fc.constantFrom('mouse', 'pen'), state: text },
      { requiredKeys: ['type', 't', 'keyClass'] },
    );
    const arbitrary = fc.record(
      {
        sessionId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        batchId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        seq: fc.nat(1000),
        consent: fc.constant(true as const),
        context: fc.record({ page: text, deviceId: fc.stringMatching(/^[A-Za-z0-9._:-]{1,20}$/), language: text, screen: fc.record({ width: fc.nat(5000), height: fc.nat(5000) }) }, { requiredKeys: [] }),
        events: fc.array(event, { minLength: 1, maxLength: 8 }),
      },
      { requiredKeys: ['sessionId', 'batchId', 'seq', 'consent', 'events'] },
    );
    let checked = 0;
    fc.assert(
      fc.property(arbitrary, (input) => {
        const parsed = parseBatch(input);
        if (!parsed.ok) return; // e.g. a key event without keyClass, a lone surrogate: not a batch
        checked++;
        expect(canonicalBatch(parsed.batch)).toBe(JSON.stringify(parsed.batch, ORDER));
      }),
      { numRuns: 500, seed: 1616 },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it('is the text the core always hashed (its batch rebuilt from the wire), so stored digests still match a retry', () => {
    for (const b of samples) {
      const rebuilt = parseBatch(fromWireBatch(toWireBatch(b) as never));
      expect(rebuilt.ok).toBe(true);
      const core = (rebuilt as { batch: EventBatch }).batch;
      expect(canonicalBatch(core)).toBe(JSON.stringify(core));
    }
  });

  it('changes with any field of the batch, and hashes to hex SHA-256', async () => {
    const b = samples[0]!;
    const variants = [{ ...b, seq: 1 }, { ...b, sessionId: 'other' }, { ...b, events: b.events.slice(1) }, { ...b, context: { ...b.context, page: '/x' } }];
    for (const v of variants) expect(canonicalBatch(v)).not.toBe(canonicalBatch(b));
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // On Node the synchronous node:crypto (crypto.subtle would queue each digest to the thread pool).
    expect(sha256Implementation).toBe('node:crypto');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(batchKey('s-1', 'b-1')).toBe('s-1 b-1');
  });
});
