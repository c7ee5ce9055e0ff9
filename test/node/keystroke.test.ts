import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { KEYSTROKE_FEATURES, keystrokeFeatures, keystrokeTimings, pairKeystrokes } from '../../scoring/features/keystroke.ts';
import { typing } from '../helpers/batches.ts';

describe('keystroke features', () => {
  it('pairs each keyup with the oldest open keydown of its class and field, with rollover', () => {
    const events: BatchEvent[] = [
      { type: 'keydown', t: 0, keyClass: 'letter' },
      { type: 'keydown', t: 50, keyClass: 'digit' },
      { type: 'keyup', t: 80, keyClass: 'letter' },
      { type: 'keyup', t: 130, keyClass: 'digit' },
    ];
    expect(pairKeystrokes(events)).toEqual([{ down: 0, up: 80 }, { down: 50, up: 130 }]);
    const { holds, dd, ud } = keystrokeTimings(events);
    expect(holds).toEqual([80, 80]);
    expect(dd).toEqual([50]);
    expect(ud).toEqual([-30]); // the second key went down before the first came up
  });

  it('measures hold and latency means that match the typing that produced them', () => {
    const w = keystrokeFeatures(typing({ keys: 200, hold: 100, gap: 200, jitter: 0.2, seed: 7 }));
    expect(w.judged).toBe(true);
    const [holdMean, , ddMean, , udMean] = w.vector;
    expect(holdMean).toBeGreaterThan(95);
    expect(holdMean).toBeLessThan(105);
    // One key in seven is a space, and the word after it starts 1.6 times later: 200 x 7.6 / 7 = 217.
    expect(ddMean).toBeGreaterThan(207);
    expect(ddMean).toBeLessThan(227);
    expect(udMean).toBeCloseTo(ddMean! - holdMean!, 0);
  });

  it('says a short window is not judged instead of guessing', () => {
    const w = keystrokeFeatures(typing({ keys: 3 }));
    expect(w.judged).toBe(false);
    expect(w.keystrokes).toBe(3);
  });

  it('ignores pauses and stuck keys', () => {
    const events: BatchEvent[] = [
      { type: 'keydown', t: 0, keyClass: 'letter' },
      { type: 'keyup', t: 5000, keyClass: 'letter' }, // held 5 s
      { type: 'keydown', t: 10_000, keyClass: 'letter' }, // after a long pause
      { type: 'keyup', t: 10_090, keyClass: 'letter' },
    ];
    const { holds, dd } = keystrokeTimings(events);
    expect(holds).toEqual([90]);
    expect(dd).toEqual([]);
  });

  it('is total: any sequence of key events gives finite values or NaN for "not measured", never Infinity', () => {
    const ev = fc.record({
      type: fc.constantFrom('keydown' as const, 'keyup' as const, 'pointermove' as const),
      t: fc.double({ min: 0, max: 1e9, noNaN: true }),
      keyClass: fc.constantFrom('letter' as const, 'digit' as const, 'shift' as const),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 300 }), (raw) => {
        const events = [...raw].sort((a, b) => a.t - b.t);
        const w = keystrokeFeatures(events);
        expect(w.vector).toHaveLength(KEYSTROKE_FEATURES.length);
        for (const v of w.vector) expect(Number.isNaN(v) || Number.isFinite(v)).toBe(true);
        if (w.judged) for (const v of w.vector.slice(0, 4)) expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
