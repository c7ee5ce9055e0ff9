// Every extractor is total: arbitrary (even invalid) event streams never throw and never emit NaN/Infinity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, KEY_CLASSES, type BatchEvent } from '../../scoring/batch.ts';
import { automationSignals } from '../../scoring/features/automation.ts';
import { contextFeatures } from '../../scoring/features/context.ts';
import { fixedTextFeatures } from '../../scoring/features/fixed-text.ts';
import { FREE_TEXT_FEATURES, freeTextFeatures } from '../../scoring/features/free-text.ts';
import { POINTER_FEATURES, pointerFeatures } from '../../scoring/features/pointer.ts';
import { TOUCH_SCROLL_FEATURES, touchScrollFeatures } from '../../scoring/features/touch-scroll.ts';

const num = fc.oneof(fc.double(), fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(0, Number.NaN, Infinity, -Infinity, 1e308));
const event = fc.record(
  {
    type: fc.constantFrom(...EVENT_TYPES),
    t: num,
    keyClass: fc.constantFrom(...KEY_CLASSES),
    field: fc.constantFrom('a', 'b'),
    position: fc.integer({ min: 0, max: 20 }),
    x: num,
    y: num,
    dx: num,
    dy: num,
    pressure: num,
    pointerType: fc.constantFrom('mouse' as const, 'pen' as const, 'touch' as const),
  },
  { requiredKeys: ['type', 't'] },
) as fc.Arbitrary<BatchEvent>;
const streams = fc.array(event, { maxLength: 80 });
const allFinite = (v: ArrayLike<number>) => Array.from(v).every(Number.isFinite);

describe('feature extractors are total', () => {
  it('keystroke, pointer, touch/scroll, context and automation never throw or emit non-finite values', () => {
    fc.assert(
      fc.property(streams, fc.integer({ min: -3, max: 40 }), (events, length) => {
        const free = freeTextFeatures(events);
        expect(free.vector).toHaveLength(FREE_TEXT_FEATURES.length);
        expect(allFinite(free.vector)).toBe(true);
        expect(allFinite(fixedTextFeatures(events, length).vector)).toBe(true);
        const p = pointerFeatures(events);
        expect(p.vector).toHaveLength(POINTER_FEATURES.length);
        expect(allFinite(p.vector)).toBe(true);
        const ts = touchScrollFeatures(events);
        expect(ts.vector).toHaveLength(TOUCH_SCROLL_FEATURES.length);
        expect(allFinite(ts.vector)).toBe(true);
        expect(allFinite(contextFeatures({ events, context: { language: 'xx', screen: { width: 0, height: 0 } } }).vector)).toBe(true);
        const a = automationSignals(events);
        expect(allFinite(Object.values(a.measures))).toBe(true);
        expect(a.score).toBeGreaterThanOrEqual(0);
        expect(a.score).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('windows too short to judge say so instead of guessing', () => {
    expect(freeTextFeatures([]).judged).toBe(false);
    expect(freeTextFeatures([]).reason).toBe('too_few_keystrokes');
    expect(pointerFeatures([{ type: 'pointermove', t: 1, x: 0, y: 0 }]).reason).toBe('too_few_actions');
    expect(touchScrollFeatures([]).reason).toBe('no_touch_or_scroll');
    expect(fixedTextFeatures([], 10).reason).toBe('too_few_keystrokes');
  });
});
