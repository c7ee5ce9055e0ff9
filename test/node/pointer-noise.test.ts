// White noise across a pointer's path (scoring/features/pointer-noise.ts) in the live decision: a
// hand's path through a sensor passes (with its quantisation and a clock that slices its reports
// unevenly), a Bezier path with per-point Gaussian jitter fails, coarse sampling and pens abstain.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { automationSignals } from '../../scoring/features/automation.ts';
import { pointerNoise, POINTER_NOISE_RULES, roughnessLimit } from '../../scoring/features/pointer-noise.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import population from '../../scoring/population-keystroke.json' with { type: 'json' };
import { createPreScorer } from '../../scoring/prescore.ts';
import type { Profile } from '../../scoring/profile.ts';
import { accumulate, judgeInSession, NO_EVIDENCE, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { loadKernels } from '../../wasm/node.ts';
import { accelerated } from '../../bench/lib/people-variants.ts';

type Pt = [number, number];
const minJerk = (s: number) => 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;

/**
 * A person's reach as a mouse reports it: a curved primary sub-movement (peak speed early, long
 * deceleration) and a corrective one, sensed at `reportMs` in counts of `countPx`, delivered with
 * timestamps of a clock ticking every `clockMs` (each tick carries the reports since the last:
 * uneven steps along the path), positions rounded to pixels.
 */
function handReach(rng: Rng, from: Pt, to: Pt, t0: number, o: { reportMs?: number; clockMs?: number; countPx?: number; pointerType?: 'mouse' | 'pen' | 'touch'; dpr?: number; pace?: number } = {}): BatchEvent[] {
  const { reportMs = 8, clockMs = 8, countPx = 1, pointerType = 'mouse', dpr = 1, pace = 1 } = o;
  const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const [ux, uy] = [(to[0] - from[0]) / d, (to[1] - from[1]) / d];
  const bulge = 0.08 * d * (rng.float() < 0.5 ? -1 : 1);
  const primary = 0.93;
  const T1 = (250 + 120 * Math.log2(d / 20 + 1)) * pace;
  const T2 = 180 * pace;
  // Position (px, unrounded) at time t since the start; time-to-peak at ~40 % (a skewed clock).
  const at = (t: number): Pt => {
    let along: number;
    let side: number;
    if (t <= T1) {
      const s = minJerk((t / T1) ** 0.8);
      along = primary * d * s;
      side = bulge * Math.sin(Math.PI * s);
    } else {
      along = primary * d + (1 - primary) * d * minJerk(Math.min(1, (t - T1) / T2));
      side = 0;
    }
    return [from[0] + ux * along - uy * side, from[1] + uy * along + ux * side];
  };
  const out: BatchEvent[] = [];
  let lastTick = -1;
  let sensed: Pt = from;
  for (let t = reportMs; t <= T1 + T2; t += reportMs) {
    const p = at(t);
    // The sensor counts whole counts of motion.
    sensed = [from[0] + Math.round((p[0] - from[0]) / countPx) * countPx, from[1] + Math.round((p[1] - from[1]) / countPx) * countPx];
    const tick = Math.floor((t + 0.37 * clockMs) / clockMs);
    const stamp = t0 + tick * clockMs;
    if (tick === lastTick) out.pop();
    lastTick = tick;
    // Positions on the screen's device-pixel grid, in CSS pixels (fractional on a high-DPI screen).
    out.push({ type: 'pointermove', t: Math.round(stamp * 10) / 10, x: Math.round(sensed[0] * dpr) / dpr, y: Math.round(sensed[1] * dpr) / dpr, pointerType });
  }
  return out;
}

/** ghost-cursor's path: a cubic Bezier with random anchors, eased, every point jittered by `jitterPx`. */
function jitteredBezier(rng: Rng, from: Pt, to: Pt, t0: number, jitterPx: number, stepMs = 10): BatchEvent[] {
  const [dx, dy] = [to[0] - from[0], to[1] - from[1]];
  const len = Math.hypot(dx, dy);
  const n: Pt = [-dy / len, dx / len];
  const a1: Pt = [from[0] + dx * 0.3 + n[0] * 80 * rng.float(), from[1] + dy * 0.3 + n[1] * 80 * rng.float()];
  const a2: Pt = [from[0] + dx * 0.7 + n[0] * 80 * rng.float(), from[1] + dy * 0.7 + n[1] * 80 * rng.float()];
  const bez = (u: number): Pt => {
    const [a, b, c, e] = [(1 - u) ** 3, 3 * (1 - u) ** 2 * u, 3 * (1 - u) * u * u, u ** 3];
    return [a * from[0] + b * a1[0] + c * a2[0] + e * to[0], a * from[1] + b * a1[1] + c * a2[1] + e * to[1]];
  };
  const steps = 60;
  const out: BatchEvent[] = [];
  for (let i = 1; i <= steps; i++) {
    const [x, y] = bez(minJerk(i / steps));
    const t = t0 + i * stepMs + 0.5 * rng.float();
    out.push({ type: 'pointermove', t: Math.round(t * 10) / 10, x: Math.round(x + jitterPx * rng.normal()), y: Math.round(y + jitterPx * rng.normal()), pointerType: 'mouse' });
  }
  return out;
}

const reaches = (make: (from: Pt, to: Pt, t0: number) => BatchEvent[]): BatchEvent[] => [
  ...make([100, 600], [700, 300], 0),
  ...make([700, 300], [250, 420], 1400),
];

describe('pointer noise', () => {
  it('a hand through a sensor passes: 60-1000 Hz, 0.5-3 px counts (3 px not judged), high-DPI screens, a 15.6 ms clock slicing 8 ms reports', () => {
    const cases = [
      { reportMs: 8, clockMs: 8, countPx: 1 },
      { reportMs: 1, clockMs: 1, countPx: 1 },
      { reportMs: 8, clockMs: 15.625, countPx: 1 },
      { reportMs: 8, clockMs: 8, countPx: 3 },
      { reportMs: 4, clockMs: 15.625, countPx: 2 },
      { reportMs: 8, clockMs: 8, countPx: 0.5, dpr: 2 },
      { reportMs: 16.7, clockMs: 16.7, countPx: 1, dpr: 1.25 },
    ];
    for (const [i, o] of cases.entries()) {
      const events = reaches((a, b, t0) => handReach(new Rng(11 + i), a, b, t0, o));
      const r = pointerNoise(events);
      // Counts coarser than 2.5 px are not judged (their quantisation is as large as the jitter sought).
      expect(r.judged, JSON.stringify(o)).toBe(o.countPx <= POINTER_NOISE_RULES.maxGridPx);
      expect(r.roughness, JSON.stringify(o)).toBeLessThanOrEqual(roughnessLimit(r));
      expect(automationSignals(events).signals).not.toContain('jittered_path');
    }
  });

  it('a strong pointer acceleration passes: counts of a pixel where the hand is slow, of 2-3 where it is fast', () => {
    // Fast reaches (0.5 of the usual time) with a gain rising to 3x at speed (bench/lib/people-variants.ts,
    // the model of `npx cadence eval people-stress`): the recording's own grain, multiplied at speed.
    for (let seed = 50; seed < 58; seed++) {
      const events = accelerated(2)(reaches((a, b, t0) => handReach(new Rng(seed), a, b, t0, { pace: 0.5 })), new Rng(1));
      const r = pointerNoise(events);
      expect(r.roughness <= roughnessLimit(r) || !r.judged, `seed ${seed}: ${JSON.stringify(r)}`).toBe(true);
      expect(automationSignals(events).signals).not.toContain('jittered_path');
    }
  });

  it('counts of 2-5 px (a high pointer speed without acceleration): the bound grows with the grid, past 2.5 px the window is not judged', () => {
    // Quantisation alone is about c^2 / 3: at 2 px counts near the 1 px bound, under the grid's.
    const two = reaches((a, b, t0) => handReach(new Rng(30), a, b, t0, { countPx: 2 }));
    const r2 = pointerNoise(two);
    expect(r2.judged).toBe(true);
    expect(r2.grid).toBe(2);
    expect(roughnessLimit(r2)).toBe(4 * POINTER_NOISE_RULES.maxRoughness);
    expect(r2.roughness).toBeLessThanOrEqual(roughnessLimit(r2));
    for (const [i, countPx] of [4, 5].entries()) {
      const events = reaches((a, b, t0) => handReach(new Rng(31 + i), a, b, t0, { countPx }));
      const r = pointerNoise(events);
      expect(r.grid).toBe(countPx);
      expect(r.judged).toBe(false);
      // Judged against the 1 px bound, quantisation alone would pass for jitter.
      expect(r.pairs).toBeGreaterThanOrEqual(POINTER_NOISE_RULES.minPairs);
      expect(automationSignals(events).signals).not.toContain('jittered_path');
    }
    // Jitter on whole pixels has a grid of 1 px: the bound stays where it was.
    const jittered = reaches((a, b, t0) => jitteredBezier(new Rng(4), a, b, t0, 1.5));
    expect(pointerNoise(jittered).grid).toBe(1);
    expect(roughnessLimit(pointerNoise(jittered))).toBe(POINTER_NOISE_RULES.maxRoughness);
  });

  it('a jittered Bezier fails; the same curve without jitter passes (below a sensor grain it cannot be told)', () => {
    for (const seed of [1, 2, 3]) {
      const jittered = reaches((a, b, t0) => jitteredBezier(new Rng(seed), a, b, t0, 1.5));
      const r = pointerNoise(jittered);
      expect(r.judged).toBe(true);
      expect(r.roughness).toBeGreaterThan(POINTER_NOISE_RULES.maxRoughness);
      expect(automationSignals(jittered).signals).toContain('jittered_path');
      const smooth = reaches((a, b, t0) => jitteredBezier(new Rng(seed), a, b, t0, 0));
      expect(automationSignals(smooth).signals).not.toContain('jittered_path');
    }
  });

  it('abstains on coarse or irregular sampling, on pens and touch, and on garbage', () => {
    const coarse = reaches((a, b, t0) => handReach(new Rng(5), a, b, t0, { reportMs: 100, clockMs: 100 }));
    expect(pointerNoise(coarse).judged).toBe(false);
    // A jittered bot seen through coarse sampling: not judged either (the signal cannot support it).
    const bot = reaches((a, b, t0) => jitteredBezier(new Rng(5), a, b, t0, 1.5, 50));
    expect(pointerNoise(bot).judged).toBe(false);
    const pen = reaches((a, b, t0) => jitteredBezier(new Rng(6), a, b, t0, 1.5)).map((e) => ({ ...e, pointerType: 'pen' as const }));
    expect(pointerNoise(pen).judged).toBe(false);
    const junk: BatchEvent[] = [{ type: 'pointermove', t: NaN, x: 1, y: 2 }, { type: 'pointermove', t: 5, x: Infinity, y: 0 }, { type: 'pointermove', t: 5, x: 3, y: 3 }];
    expect(pointerNoise(junk)).toEqual({ judged: false, roughness: 0, pairs: 0, grid: 0 });
  });

  it('in the live decision: named in the reasons, two jittered windows challenge the session, a hand never does', async () => {
    const kernels = await loadKernels();
    const scorer = createPreScorer(population as unknown as Profile, kernels.scaledManhattan);
    const judge = (windows: BatchEvent[][]) => {
      let e: SessionEvidence = NO_EVIDENCE;
      return windows.map((w) => {
        const a = scorer.score(w);
        e = accumulate(e, a);
        return judgeInSession(e, a, DEFAULT_THRESHOLDS);
      });
    };
    const bot = judge([1, 2].map((s) => reaches((a, b, t0) => jitteredBezier(new Rng(s), a, b, t0, 1.2))));
    expect(bot[0]!.reasons).toContain('jittered_path');
    expect(bot[1]!.decision).toBe('challenge');
    const person = judge([1, 2, 3, 4].map((s) => reaches((a, b, t0) => handReach(new Rng(s), a, b, t0, { clockMs: 15.625 }))));
    expect(person.map((a) => a.decision)).toEqual(['allow', 'allow', 'allow', 'allow']);
  });
});
