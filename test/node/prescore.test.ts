import { describe, expect, it } from 'vitest';
import population from '../../scoring/population-keystroke.json' with { type: 'json' };
import { decide } from '../../scoring/policy.ts';
import { createPreScorer } from '../../scoring/prescore.ts';
import { calibrate, fitProfile, type Profile } from '../../scoring/profile.ts';
import { loadKernels } from '../../wasm/node.ts';
import { scaledManhattan } from '../../wasm/reference.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { botTyping, rng, typing } from '../helpers/batches.ts';

const profile = population as Profile;

describe('scaled Manhattan kernel', () => {
  it('matches its TypeScript twin on random rows with missing values', async () => {
    const kernels = await loadKernels();
    const rand = rng(42);
    for (const dims of [1, 6, 31]) {
      const rows = Float64Array.from({ length: dims * 257 }, () => (rand() < 0.1 ? Number.NaN : rand() * 500 - 100));
      const mean = Float64Array.from({ length: dims }, () => rand() * 200);
      const mad = Float64Array.from({ length: dims }, () => 1 + rand() * 50);
      const wasm = kernels.scaledManhattan(rows, dims, mean, mad);
      const ts = scaledManhattan(rows, dims, mean, mad);
      expect(wasm).toHaveLength(257);
      for (let i = 0; i < ts.length; i++) {
        if (Number.isNaN(ts[i]!)) expect(wasm[i]).toBeNaN();
        else expect(Math.abs(wasm[i]! - ts[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, ts[i]!));
      }
    }
  });

  it('computes the textbook distance', async () => {
    const kernels = await loadKernels();
    const d = kernels.scaledManhattan(Float64Array.of(3, 10), 2, Float64Array.of(1, 4), Float64Array.of(2, 3));
    expect(d[0]).toBeCloseTo((2 / 2 + 6 / 3) / 2, 12);
  });

  it('refuses rows that do not fit the profile', async () => {
    const kernels = await loadKernels();
    expect(() => kernels.scaledManhattan(new Float64Array(5), 2, new Float64Array(2), new Float64Array(2))).toThrow(/multiple of dims/);
    expect(() => kernels.scaledManhattan(new Float64Array(4), 2, new Float64Array(3), new Float64Array(2))).toThrow(/profile/);
  });
});

describe('pre-score', () => {
  it('calibrates distances monotonically into [0, 1] with the genuine 99th percentile at monitor', () => {
    const c = { q50: 1, q99: 2 };
    expect(calibrate(0, c)).toBe(0);
    expect(calibrate(2, c)).toBeCloseTo(0.4);
    expect(calibrate(4, c)).toBeCloseTo(0.7);
    expect(calibrate(6, c)).toBeCloseTo(0.9);
    expect(calibrate(1e9, c)).toBe(1);
    expect(calibrate(Number.NaN, c)).toBe(0);
    let last = -1;
    for (let d = 0; d < 20; d += 0.1) {
      const s = calibrate(d, c);
      expect(s).toBeGreaterThanOrEqual(last);
      last = s;
    }
  });

  it('allows human-paced typing and flags a zero-variance bot, naming its reasons', async () => {
    const kernels = await loadKernels();
    const scorer = createPreScorer(profile, kernels.scaledManhattan);
    const human = scorer.score(typing({ keys: 30, seed: 3 }));
    expect(human.judged).toBe(true);
    expect(human.decision).toBe('allow');
    const bot = scorer.score(botTyping());
    expect(bot.judged).toBe(true);
    expect(bot.score).toBeGreaterThan(human.score);
    expect(['monitor', 'challenge', 'block']).toContain(bot.decision);
    expect(bot.reasons.length).toBeGreaterThan(0);
    expect(bot.reasons.some((r) => r.startsWith('hold_mean_low') || r.startsWith('dd_mean_low'))).toBe(true);
  });

  it("leaves a phone's soft keyboard to the automation rules: the hardware keyboards' profile does not score it", async () => {
    const kernels = await loadKernels();
    const scorer = createPreScorer(profile, kernels.scaledManhattan);
    // A thumb's keys as a phone sends them: keydown and keyup 0-2 ms apart, 250-450 ms between keys,
    // and the page's word that its device has a touch screen (the collector's `touch` state).
    const rand = rng(9);
    const keys: BatchEvent[] = [];
    for (let i = 0, t = 1000; i < 20; i++, t += 250 + 200 * rand()) {
      keys.push({ type: 'keydown', t, keyClass: 'other', field: 'note', position: i }, { type: 'keyup', t: t + 2 * rand(), keyClass: 'other', field: 'note' });
    }
    const touch: BatchEvent = { type: 'environment', t: keys.at(-1)!.t + 1, state: 'touch' };
    const phone = [...keys, touch];
    expect(scorer.score(phone)).toMatchObject({ judged: true, decision: 'allow', score: 0, reasons: [] });
    // The same keys on a desktop (no touch screen): a script pressing and letting go at once, or an
    // on-screen keyboard; the profile still scores them, and its distance keeps them out of a new user's enrolment.
    const desktop = scorer.score(keys);
    expect(desktop.reasons.some((r) => r.startsWith('hold_'))).toBe(true);
    expect(desktop.score).toBeGreaterThan(0.4);
    // The same keys held as a hardware keyboard's would be, on the phone (a Bluetooth keyboard): the profile scores them.
    const held = phone.map((e) => (e.type === 'keyup' ? { ...e, t: e.t + 90 } : e));
    expect(scorer.score(held).reasons.some((r) => /^(dd|ud|hold)_/.test(r))).toBe(true);
    // A window mostly of held keys with a few soft ones: the median decides, the profile scores it.
    const mixed = phone.map((e, i) => (e.type === 'keyup' && i > 8 ? { ...e, t: e.t + 90 } : e));
    expect(scorer.score(mixed).score).toBeGreaterThan(0);
    // Holds of 5 ms are no soft keyboard's (its bound is 3 ms): scored.
    const five = phone.map((e) => (e.type === 'keyup' ? { ...e, t: e.t + 5 } : e));
    expect(scorer.score(five).score).toBeGreaterThan(0);
    // Keys at 10 ms intervals are no thumb's (the bound is a median of 25 ms): scored, and a program's anyway.
    const fast: BatchEvent[] = [...botTyping().map((e) => (e.type === 'keyup' ? { ...e, t: e.t + 1 } : e)), touch];
    const f = scorer.score(fast);
    expect(f.reasons).toContain('superhuman_typing');
    expect(f.reasons.some((r) => /^(dd|ud|hold)_/.test(r))).toBe(true);
    expect(['challenge', 'block']).toContain(f.decision);
    // Keys at a thumb's pace but one long gap in the window: the median, not the longest interval.
    const paced: BatchEvent[] = [];
    for (let i = 0, t = 1000; i < 20; i++, t += i === 10 ? 1400 : 15) paced.push({ type: 'keydown', t, keyClass: 'other', field: 'note', position: i }, { type: 'keyup', t: t + 1, keyClass: 'other', field: 'note' });
    expect(scorer.score([...paced, { ...touch, t: 5000 }]).reasons.some((r) => /^(dd|ud|hold)_/.test(r))).toBe(true);
  });

  it('does not judge a window that is too short', async () => {
    const kernels = await loadKernels();
    const a = createPreScorer(profile, kernels.scaledManhattan).score(typing({ keys: 2 }));
    expect(a).toMatchObject({ judged: false, decision: 'allow', score: 0, reasons: ['too_few_keystrokes'] });
  });

  it('fits a profile whose genuine 99th percentile lands at the monitor threshold', () => {
    const rows = Array.from({ length: 400 }, (_, i) => Float64Array.of(100 + (i % 20), 200 + (i % 37)));
    const p = fitProfile(rows, ['a', 'b'], scaledManhattan, { version: 't', source: 'test', transform: 'none', madFloor: 1 });
    expect(p.mean[0]).toBeCloseTo(109.5, 0);
    expect(p.calibration.q99).toBeGreaterThan(p.calibration.q50);
    expect(decide(calibrate(p.calibration.q99, p.calibration))).toBe('monitor');
  });
});
