// Per-user detectors and their fusion on synthetic users: the owner's new windows score below
// other users', risk stays in [0, 1], reasons name the feature that moved, enrolment rules hold.
import { describe, expect, it } from 'vitest';
import { fitFusion, calibrateRisk } from '../../scoring/detectors/fusion.ts';
import { userDetectorFits } from '../../scoring/detectors/recipe.ts';
import { considerWindow, DEFAULT_ENROLMENT, hasOwnModel } from '../../scoring/detectors/enrolment.ts';
import { scaledManhattan } from '../../scoring/detectors/scaled-manhattan.ts';
import type { Rows } from '../../scoring/detectors/types.ts';
import { scoreForest, scaledManhattan as smTwin } from '../../wasm/reference.ts';
import { rng } from '../helpers/batches.ts';

const DIMS = 12;

/** A user = a personal rhythm (log-normal per feature); windows jitter around it. */
function user(seed: number) {
  const r = rng(seed);
  const centre = Array.from({ length: DIMS }, () => 80 + r() * 200);
  return (n: number, s: number): Rows => {
    const rr = rng(s);
    const data = new Float64Array(n * DIMS);
    for (let i = 0; i < n; i++) for (let j = 0; j < DIMS; j++) data[i * DIMS + j] = centre[j]! * Math.exp(0.15 * (rr() + rr() + rr() - 1.5));
    return { data, dims: DIMS };
  };
}

const kernels = { scaledManhattan: smTwin, loadForest: (m: Parameters<typeof scoreForest>[0]) => ({ score: (rows: Float64Array) => scoreForest(m, rows) }) };
const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;

describe('fusion', () => {
  for (const enrolled of [5, 20, 60]) {
    it(`separates the owner from others with ${enrolled} enrolment windows`, () => {
      const owner = user(1);
      const fused = fitFusion(owner(enrolled, 10), userDetectorFits(kernels, enrolled));
      expect(fused.members.length).toBe(enrolled >= 50 ? 4 : enrolled >= 10 ? 3 : 2);
      const genuine = fused.risk(owner(30, 11));
      const others = [2, 3, 4].map((s) => fused.risk(user(s)(10, 12)));
      for (const v of [genuine, ...others]) for (const x of v) expect(x >= 0 && x <= 1).toBe(true);
      expect(mean(genuine)).toBeLessThan(0.4);
      for (const o of others) expect(mean(o)).toBeGreaterThan(0.7);
      fused.dispose?.();
    });
  }

  it('names the moved feature and its direction', () => {
    const owner = user(5);
    const fused = fitFusion(owner(20, 1), [scaledManhattan(smTwin)]);
    const w = owner(1, 2).data;
    w[3] = w[3]! * 4;
    expect(fused.reasons(w)[0]).toMatchObject({ feature: 3, direction: 'high' });
  });

  it('calibration is monotone and anchored at the owner edge', () => {
    let last = -1;
    for (let v = -3; v <= 8; v += 0.25) {
      const r = calibrateRisk(v, 0, 1);
      expect(r).toBeGreaterThanOrEqual(last);
      last = r;
    }
    expect(calibrateRisk(1, 0, 1)).toBeCloseTo(0.4);
    expect(calibrateRisk(Number.NaN, 0, 1)).toBe(1);
  });
});

describe('enrolment rules', () => {
  const v = Float64Array.of(1, 2, 3);
  it('never enrols a risky, unjudged or automated window, and slides out the oldest', () => {
    expect(considerWindow([], { vector: v, judged: true, risk: 0.5, automationSignals: [] })).toMatchObject({ enrolled: false, reason: 'risky' });
    expect(considerWindow([], { vector: v, judged: false, risk: 0, automationSignals: [] })).toMatchObject({ enrolled: false, reason: 'not_judged' });
    expect(considerWindow([], { vector: v, judged: true, risk: 0, automationSignals: ['teleport'] })).toMatchObject({ enrolled: false, reason: 'automation' });
    let windows: Float64Array[] = [];
    const rules = { ...DEFAULT_ENROLMENT, maxWindows: 3 };
    for (let i = 0; i < 5; i++) windows = considerWindow(windows, { vector: Float64Array.of(i), judged: true, risk: 0.1, automationSignals: [] }, rules).windows;
    expect(windows.map((w) => w[0])).toEqual([2, 3, 4]);
    expect(hasOwnModel(windows, rules)).toBe(false);
    expect(hasOwnModel(windows, { ...rules, minWindows: 3 })).toBe(true);
  });
});
