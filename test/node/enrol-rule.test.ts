// Which windows of a logged-in owner the core enrols (core/enrolment/enrol-rule.ts), and how the
// per-user evaluations split a person's windows (bench/lib/enrol-split.ts).
import { describe, expect, it } from 'vitest';
import { enrolAndTest } from '../../bench/lib/enrol-split.ts';
import { enrolmentVerdict } from '../../core/enrolment/enrol-rule.ts';
import { windowOf } from '../../core/enrolment/windows.ts';
import { DEFAULT_THRESHOLDS as T } from '../../scoring/policy.ts';
import { botTyping, typing } from '../helpers/batches.ts';

const window = windowOf(typing({ keys: 30, seed: 1 }));
const verdict = (score: number, ownModel: boolean, w = window) => enrolmentVerdict({ window: w, assessment: { score, judged: true }, ownModel }, T);

describe('enrolment rule', () => {
  it('before the user has a model, the population\'s monitor band is enrolled: it says how unusual, not whose', () => {
    expect(verdict(0.1, false)).toBe('enrolled');
    expect(verdict(0.55, false)).toBe('enrolled');
    expect(verdict(T.challenge, false)).toBe('risky');
  });
  it('once the user\'s own model is active, it decides at monitor', () => {
    expect(verdict(0.3, true)).toBe('enrolled');
    expect(verdict(T.monitor, true)).toBe('risky');
  });
  it('never enrols what cannot be judged or what a program typed', () => {
    expect(verdict(0.1, false, windowOf(typing({ keys: 3, seed: 2 })))).toBe('not_judged');
    const bot = windowOf(botTyping(30));
    expect(bot.automation.length).toBeGreaterThan(0);
    expect(verdict(0.1, false, bot)).toBe('automation');
    expect(enrolmentVerdict({ window, assessment: { score: 0.1, judged: false }, ownModel: false }, T)).toBe('not_judged');
  });
});

describe('enrolment split of the per-user evaluations', () => {
  it('enrols until enough judged windows were typed, skipping fragments, then tests on the next ones', () => {
    const full = (seed: number) => ({ events: typing({ keys: 20, seed }) });
    const fragment = (seed: number) => ({ events: typing({ keys: 3, seed }) });
    const batches = [full(1), fragment(2), full(3), fragment(4), full(5), full(6), full(7)];
    const split = enrolAndTest(batches, 3, 2)!;
    expect(split.enrol).toEqual(batches.slice(0, 5));
    expect(split.test).toEqual(batches.slice(5, 7));
    expect(enrolAndTest(batches, 3, 3)).toBeUndefined();
    expect(enrolAndTest(batches, 6, 0)).toBeUndefined();
  });
});
