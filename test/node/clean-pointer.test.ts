// The joint pointer test (scoring/features/clean-pointer.ts, `clean_pointer` in the session's
// evidence): reaches of one sub-movement and flat movements added up under each test's own bound,
// so a short session that shows a little of both is raised before either test alone would be.
import { describe, expect, it } from 'vitest';
import { cleanPointerTail, pointerTooClean } from '../../scoring/features/clean-pointer.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { accumulate, CLEAN_POINTER, FLAT_SPEED, judgeInSession, NO_EVIDENCE, UNCORRECTED_REACHES, type SessionEvidence } from '../../scoring/session-evidence.ts';

/** P(Bin(n, p) = k) by the textbook formula, for the check. */
const pmf = (n: number, p: number, k: number): number => {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c * p ** k * (1 - p) ** (n - k);
};
/** P(Bin(n, 0.4) + Bin(m, 0.05) >= s) by summing every pair of outcomes. */
const bruteTail = (n: number, m: number, s: number): number => {
  let t = 0;
  for (let i = 0; i <= n; i++) for (let j = 0; j <= m; j++) if (i + j >= s) t += pmf(n, 0.4, i) * pmf(m, 0.05, j);
  return t;
};

describe('clean pointer: the joint tail', () => {
  it('is the tail of the sum of the two binomials at the tests bounds', () => {
    // Three clean reaches of three and one flat movement of one: 0.4^3 x 0.05.
    expect(cleanPointerTail({ n: 3, single: 3, moves: 1, flat: 1 })).toBeCloseTo(0.0032, 10);
    for (const [n, single, moves, flat] of [[5, 4, 3, 1], [7, 5, 4, 2], [12, 8, 6, 1], [2, 2, 9, 2]] as const) {
      expect(cleanPointerTail({ n, single, moves, flat })).toBeCloseTo(bruteTail(n, moves, single + flat), 10);
    }
  });

  it('needs both kinds, and says nothing of a session at a person\'s rates however long', () => {
    expect(pointerTooClean({ n: 3, single: 3, moves: 1, flat: 1 })).toBe(true);
    expect(pointerTooClean({ n: 2, single: 2, moves: 1, flat: 1 })).toBe(true); // 0.16 x 0.05 = 0.008
    expect(pointerTooClean({ n: 3, single: 2, moves: 1, flat: 1 })).toBe(false);
    expect(pointerTooClean({ n: 9, single: 9 })).toBe(false); // reaches alone: uncorrected_reaches' business
    expect(pointerTooClean({ n: 0, single: 0, moves: 4, flat: 4 })).toBe(false);
    // Balabit's user 20, its highest share of one-sub-movement reaches: 30 of 87, 4 flat of 676.
    expect(pointerTooClean({ n: 87, single: 30, moves: 676, flat: 4 })).toBe(false);
    // Thousands of each, just over the bounds: finite, no underflow, and not raised.
    const t = cleanPointerTail({ n: 4000, single: 1650, moves: 6000, flat: 320 });
    expect(t).toBeGreaterThan(0.01);
    expect(t).toBeLessThanOrEqual(1);
    expect(cleanPointerTail({ n: 4000, single: 4000, moves: 6000, flat: 6000 })).toBe(0);
  });

  it('past 150 trials the tail is bounded from above (never raises what the exact sum would not) and still raises a program', () => {
    // The exact law of Bin(100, 0.4) + Bin(80, 0.05), summed here pair by pair.
    for (const [single, flat] of [[48, 6], [52, 8], [60, 10]] as const) {
      const exact = bruteTail(100, 80, single + flat);
      const bounded = cleanPointerTail({ n: 100, single, moves: 80, flat });
      expect(bounded).toBeGreaterThanOrEqual(exact);
      expect(bounded).toBeLessThan(Math.max(1e-12, exact * 50)); // a bound, not a constant
    }
    expect(pointerTooClean({ n: 120, single: 120, moves: 90, flat: 90, bends: 60, fastBends: 60 })).toBe(true);
  });
});

describe('clean pointer in the session evidence', () => {
  const w = (single: number, n: number, flat: number, moves: number, judged = true): Assessment => ({ score: 0, decision: 'allow', modelVersion: 'test', reasons: [], judged, reaches: { n, single, moves, flat } });
  const run = (windows: Assessment[]) => {
    let e: SessionEvidence = NO_EVIDENCE;
    return windows.map((x) => judgeInSession((e = accumulate(e, x)), x, DEFAULT_THRESHOLDS));
  };

  it('a WindMouse-like session (one clean reach a window, a flat movement now and then) is challenged before either test alone', () => {
    // Reaches 1, 2, 3 (all clean), flat 1 of 1 from the first window.
    const answers = run([w(1, 1, 1, 1), w(1, 1, 0, 0), w(1, 1, 0, 0), w(1, 1, 0, 0)]);
    // The pointer's shape alone challenges, and never blocks (scoring/session-evidence.ts: a rate).
    expect(answers.map((a) => a.decision)).toEqual(['allow', 'monitor', 'challenge', 'challenge']);
    expect(answers[1]!.reasons[0]).toBe(CLEAN_POINTER);
    // Neither alone: two clean reaches (0.16) and one flat movement (0.05) are over alpha.
    expect(answers[1]!.reasons).not.toContain(UNCORRECTED_REACHES);
    expect(answers[1]!.reasons).not.toContain(FLAT_SPEED);
  });

  it('a test that holds raises only windows adding trials of its own kind, clean_pointer only windows adding a clean outcome; unjudged windows raise nothing', () => {
    // Two flat movements of two: flat_speed holds (one chance crossing, say). Later windows with only
    // corrected reaches, or movements at a varying speed, add no evidence: never a challenge.
    const answers = run([w(0, 0, 2, 2), w(0, 1, 0, 0), w(0, 1, 0, 0), w(0, 2, 0, 0), w(0, 1, 0, 1), w(0, 0, 0, 2)]);
    expect(answers[0]!.decision).toBe('monitor');
    expect(answers.every((a) => a.decision === 'monitor' || a.decision === 'allow')).toBe(true);
    // A window that adds a flat movement raises it again.
    const again = run([w(0, 0, 2, 2), w(0, 1, 0, 0), w(0, 0, 1, 1)]);
    expect(again.map((a) => a.decision)).toEqual(['monitor', 'monitor', 'challenge']);
    expect(again[2]!.reasons[0]).toBe(FLAT_SPEED);
    expect(again[2]!.reasons).not.toContain(CLEAN_POINTER); // not counted twice
    const quiet = run([w(1, 1, 1, 1, false), w(1, 1, 0, 0, false), w(1, 1, 0, 0, false)]);
    expect(quiet.map((a) => a.decision)).toEqual(['allow', 'allow', 'allow']);
  });

  it('a person-like session (a third of reaches clean, flat movements rare) is never raised', () => {
    const answers = run(Array.from({ length: 300 }, (_, i) => w(i % 3 === 0 ? 1 : 0, 1, i % 60 === 5 ? 1 : 0, 2)));
    expect(answers.some((a) => a.reasons.includes(CLEAN_POINTER) || a.decision !== 'allow')).toBe(false);
  });
});
