// Session evidence (scoring/session-evidence.ts): one odd window never challenges, a consistent
// signal does, two independent facts in one window do, and clean windows wear old evidence away.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { OWNER_EVIDENCE, ownerLlr } from '../../scoring/owner-evidence.ts';
import { accumulate, afterStepUp, corroborated, FACT_FAMILIES, FACT_HORIZON, familyOfSignal, judgeInSession, NO_EVIDENCE, SIGNAL_FAMILY, windowLlr, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { fuseWithUser } from '../../scoring/user-model.ts';
import { AFTER_MPIN_LLR } from '../../scoring/session-standing.ts';

const w = (reasons: string[], score = reasons.length ? 0.8 : 0.1, judged = true): Assessment => ({ score, decision: 'allow', modelVersion: 'test', reasons, judged });
const run = (windows: Assessment[]) => {
  let e: SessionEvidence = NO_EVIDENCE;
  return windows.map((x) => judgeInSession((e = accumulate(e, x)), x, DEFAULT_THRESHOLDS));
};

describe('session evidence', () => {
  it('one flagged window is monitor at most, whatever its own score', () => {
    const [a] = run([w(['zero_variance_timing'], 0.99)]);
    expect(a!.decision).toBe('monitor');
    expect(a!.windowScore).toBe(0.99);
    expect(a!.reasons[0]).toBe('zero_variance_timing');
  });
  it('a metronome (holds and intervals both steady) challenges at once; one steady series is watched', () => {
    expect(run([w(['zero_variance_timing', 'metronome_timing'])])[0]!.decision).toBe('challenge');
    expect(windowLlr(w(['zero_variance_timing', 'metronome_timing']))).toBe(7);
  });
  it("a logged-in owner's model never hides an automation signal from the session (who types is not whether a program does)", () => {
    // A weak signal alone keeps the population's score under challenge: no veto, yet it still counts.
    const pop: Assessment = { ...w(['capital_without_shift', 'hold_mean_low'], 0.5) };
    const fused = fuseWithUser(pop, 0.05, 'user-keystroke@1', DEFAULT_THRESHOLDS);
    expect(fused.reasons).toEqual(['capital_without_shift']);
    expect(windowLlr(fused)).toBe(windowLlr(w(['capital_without_shift'])));
  });
  it('the same signal in the next window challenges, a third blocks', () => {
    expect(run([w(['teleport']), w(['teleport']), w(['teleport'])]).map((a) => a.decision)).toEqual(['monitor', 'challenge', 'block']);
  });
  it('a rate a person\'s device can repeat (a roughened path, a drifting owner) challenges but never blocks alone; a second fact blocks', () => {
    // A strong pointer acceleration over a low-resolution mouse roughens every fast path of a person.
    const rough = run(Array.from({ length: 6 }, () => w(['jittered_path'])));
    expect(rough.map((a) => a.decision)).toEqual(['monitor', 'challenge', 'challenge', 'challenge', 'challenge', 'challenge']);
    expect(rough.at(-1)!.evidence.llr).toBeGreaterThan(20);
    expect(rough.at(-1)!.score).toBeLessThan(DEFAULT_THRESHOLDS.block);
    // Whatever the operator's block threshold, and for every rate group alone.
    const lower = { ...DEFAULT_THRESHOLDS, block: 0.8 };
    let e: SessionEvidence = NO_EVIDENCE;
    for (let i = 0; i < 6; i++) e = accumulate(e, w(['jittered_path']));
    expect(judgeInSession(e, w(['jittered_path']), lower).decision).toBe('challenge');
    for (const signals of [['jittered_path', 'flat_speed', 'uncorrected_reaches', 'clean_pointer', 'overshooting_reaches'], ['typing_ignores_keys'], ['user_rhythm_unlike_owner'], ['capital_without_shift', 'case_without_shift'], ['centred_clicks'], ['keyless_fill', 'keyless_form_fill'], ['unprompted_focus'], [], ['hold_mean_low']]) {
      expect(corroborated({ signals }), signals.join()).toBe(false);
    }
    // A password manager's fill, unprompted focus, one centred press or one capital never make the second fact.
    for (const common of ['keyless_fill', 'keyless_form_fill', 'unprompted_focus', 'centred_click', 'capital_without_shift']) {
      expect(corroborated({ signals: ['jittered_path', common] }), common).toBe(false);
    }
    expect(corroborated({ signals: ['jittered_path', 'case_without_shift'] })).toBe(true);
    // Two groups of rates are two facts; any fact that is not a rate blocks on its own.
    expect(corroborated({ signals: ['jittered_path', 'typing_ignores_keys'] })).toBe(true);
    expect(corroborated({ signals: ['flat_speed', 'centred_clicks'] })).toBe(true);
    for (const fact of ['teleport', 'straight_path', 'superhuman_typing', 'implausible_holds', 'zero_variance_timing', 'metronome_timing', 'rapid_clicks', 'webdriver', 'detached_viewport', 'replayed_session']) {
      expect(corroborated({ signals: ['jittered_path', fact] }), fact).toBe(true);
      expect(corroborated({ signals: [fact] }), fact).toBe(true);
    }
    // Counted (evidence since session 17): a fact in one window is not the second fact; in two windows,
    // or two facts once each, it is. Without counts (evidence kept before), each fact named counts twice.
    expect(corroborated({ signals: ['jittered_path', 'straight_path'], facts: { pointer: { n: 1, at: 0 } } })).toBe(false);
    expect(corroborated({ signals: ['jittered_path', 'straight_path'], facts: { pointer: { n: 2, at: 0 } } })).toBe(true);
    expect(corroborated({ signals: ['straight_path', 'superhuman_typing'], facts: { pointer: { n: 1, at: 0 }, typing_speed: { n: 1, at: 0 } } })).toBe(true);
    expect(corroborated({ signals: ['jittered_path', 'typing_ignores_keys', 'straight_path'], facts: { pointer: { n: 1, at: 0 } } })).toBe(true);
    // A fact the signals no longer name (pushed out of the kept eight) does not count.
    expect(corroborated({ signals: ['jittered_path'], facts: { pointer: { n: 2, at: 0 } } })).toBe(false);
    const both = run([w(['jittered_path']), w(['jittered_path', 'centred_clicks']), w(['jittered_path'])]);
    expect(both.map((a) => a.decision)).toEqual(['monitor', 'block', 'block']);
    // Thresholds where challenge and block meet: still a challenge, not a monitor.
    const same = { ...DEFAULT_THRESHOLDS, challenge: 0.9, block: 0.9 };
    expect(judgeInSession(e, w(['jittered_path']), same).decision).toBe('challenge');
  });
  it("a person's device raising one rate window after window, and one chance fact in a long session, is stepped up, never blocked", () => {
    // A trackpoint's flat speed every window; a straight line once (2 of Balabit's 19,942 windows as recorded).
    const windows = Array.from({ length: 400 }, (_, i) => w(i === 250 ? ['jittered_path', 'straight_path'] : ['jittered_path']));
    const seen = run(windows);
    expect(seen.some((a) => a.decision === 'block')).toBe(false);
    expect(seen.at(-1)!.decision).toBe('challenge');
    expect(seen.at(-1)!.evidence.facts).toEqual({ pointer: { n: 1, at: 250 } });
    // The same line again within FACT_HORIZON windows is a second fact; a chance one much later is not.
    windows[250 + FACT_HORIZON] = w(['jittered_path', 'straight_path']);
    expect(run(windows).at(-1)!.decision).toBe('block');
    windows[250 + FACT_HORIZON] = w(['jittered_path']);
    windows[250 + FACT_HORIZON + 1] = w(['jittered_path', 'straight_path']);
    expect(run(windows).some((a) => a.decision === 'block')).toBe(false);
    expect(run(windows).at(-1)!.evidence.facts).toEqual({ pointer: { n: 1, at: 250 + FACT_HORIZON + 1 } });
    // A declared fact (webdriver, a page no screen shows, a replay) is two facts at once.
    expect(run([w(['jittered_path']), w(['jittered_path', 'webdriver']), w(['jittered_path'])]).at(-1)!.decision).toBe('block');
    // Counts restart with the statistic: a fact before the evidence wore away to 0 is not counted again.
    const apart = [w(['straight_path']), ...Array.from({ length: 30 }, () => w([])), w(['straight_path'])];
    expect(run(apart).at(-1)!.evidence.facts).toEqual({ pointer: { n: 1, at: 31 } });
  });
  it('a verified MPIN answers the rates behind the challenge for the session; another rate or a fact still counts', () => {
    const rough = Array.from({ length: 3 }, () => w(['jittered_path']));
    const challenged = run(rough).at(-1)!;
    expect(challenged.decision).toBe('challenge');
    let e = afterStepUp(challenged.evidence, AFTER_MPIN_LLR);
    expect(e.llr).toBe(AFTER_MPIN_LLR);
    expect(e.answered).toEqual(['jittered_path']);
    // The pointer's shape, in any of its tests, is answered: the evidence wears away as on clean windows.
    for (let i = 0; i < 40; i++) e = accumulate(e, w(i % 2 ? ['jittered_path'] : ['flat_speed', 'jittered_path']));
    expect(e.llr).toBe(0);
    expect(judgeInSession(e, w(['jittered_path']), DEFAULT_THRESHOLDS).decision).not.toMatch(/challenge|block/);
    // Another group still challenges, and the answered one does not corroborate it into a block.
    for (let i = 0; i < 6; i++) e = accumulate(e, w(['jittered_path', 'centred_clicks']));
    expect(e.signals).toEqual(['centred_clicks']);
    expect(judgeInSession(e, w([]), DEFAULT_THRESHOLDS).decision).toBe('challenge');
    expect(corroborated({ signals: ['jittered_path', 'centred_clicks'], answered: ['flat_speed'] })).toBe(false);
    expect(corroborated({ signals: ['jittered_path', 'centred_clicks'] })).toBe(true);
    // The owner's own model is never answered: a hand-over after the MPIN still counts.
    const drift = run(Array.from({ length: 6 }, () => owned(0.95, ['user_rhythm_unlike_owner']))).at(-1)!.evidence;
    const afterOwner = afterStepUp(drift, AFTER_MPIN_LLR);
    expect(afterOwner.answered).toBeUndefined();
    expect(accumulate(afterOwner, owned(0.999, ['user_rhythm_unlike_owner'])).llr).toBeGreaterThan(AFTER_MPIN_LLR);
    // A fact is never answered.
    const fact = afterStepUp(run([w(['straight_path']), w(['straight_path'])]).at(-1)!.evidence, AFTER_MPIN_LLR);
    expect(fact.answered).toBeUndefined();
    expect(accumulate(fact, w(['straight_path'])).llr).toBeGreaterThan(AFTER_MPIN_LLR);
  });
  it('every signal family is classed: a fact that blocks alone, or a rate', () => {
    const rates = new Set(['pointer_noise', 'submovements', 'flat_speed', 'clean_pointer', 'overshoots', 'typing_dependence', 'owner', 'keyboard_state', 'click_target', 'fill', 'form_fill', 'focus']);
    for (const family of new Set(Object.values(SIGNAL_FAMILY))) expect(FACT_FAMILIES.has(family) !== rates.has(family), family).toBe(true);
    for (const s of ['typing_ignores_keys', 'uncorrected_reaches', 'flat_speed', 'clean_pointer', 'overshooting_reaches', 'user_rhythm_unlike_owner', 'replayed_session']) expect(familyOfSignal(s), s).toBeDefined();
  });
  it("an owner's own odd window (about one in twenty) beside a rough mouse does not make a second fact", () => {
    // The owner's model names ~5 % of the owner's windows unlike the owner; the session's mean window says the owner.
    const windows = Array.from({ length: 12 }, (_, i) => owned(0.1, i === 3 ? ['jittered_path', 'user_rhythm_unlike_owner'] : ['jittered_path']));
    const seen = run(windows);
    expect(seen.some((a) => a.decision === 'block')).toBe(false);
    expect(seen.at(-1)!.decision).toBe('challenge');
    expect(seen.at(-1)!.evidence.signals).not.toContain('user_rhythm_unlike_owner');
    // A session whose mean window is unlike the owner does name it, and then it corroborates.
    const unlike = run(Array.from({ length: 12 }, () => owned(0.95, ['jittered_path', 'user_rhythm_unlike_owner'])));
    expect(unlike.at(-1)!.decision).toBe('block');
  });
  it('two families in one window challenge at once; two signals of one family count once', () => {
    expect(run([w(['superhuman_typing', 'implausible_holds'])])[0]!.decision).toBe('challenge');
    expect(windowLlr(w(['zero_variance_timing', 'replayed_timing']))).toBe(windowLlr(w(['zero_variance_timing'])));
  });
  it('clean windows wear a flagged window away: a person with one odd window an hour is never stepped up', () => {
    const windows = Array.from({ length: 1200 }, (_, i) => (i % 20 === 0 ? w(['straight_path']) : w([])));
    expect(run(windows).filter((a) => a.decision === 'challenge' || a.decision === 'block')).toHaveLength(0);
  });
  it('an unusual but human rhythm is never stepped up: the monitor band stays allow, far out is monitor', () => {
    const unusual = Array.from({ length: 200 }, () => w(['hold_mean_high', 'dd_sd_high'], 0.65));
    expect(new Set(run(unusual).map((a) => a.decision))).toEqual(new Set(['allow']));
    const farOut = Array.from({ length: 200 }, () => w(['hold_mean_high', 'dd_sd_high'], 0.95));
    expect(new Set(run(farOut).map((a) => a.decision))).toEqual(new Set(['monitor']));
  });
  it('a weak family (a script-moved focus: its rate among people is reasoned, not measured) needs three windows alone', () => {
    expect(run([w(['unprompted_focus'], 0.5), w(['unprompted_focus'], 0.5), w(['unprompted_focus'], 0.5)]).map((a) => a.decision)).toEqual(['allow', 'monitor', 'challenge']);
    expect(windowLlr(w(['unprompted_focus', 'implausible_holds']))).toBe(7.5);
  });
  it('windows without anything to judge add no evidence either way', () => {
    const flagged = accumulate(NO_EVIDENCE, w(['teleport']));
    expect(accumulate(flagged, w([], 0, false)).llr).toBe(flagged.llr);
  });
});

// A logged-in user's own model's risk of each window (scoring/owner-evidence.ts), as the core gives it.
const owned = (ownerRisk: number, reasons: string[] = []): Assessment => ({ ...w(reasons, ownerRisk), ownerRisk });
const decisions = (windows: Assessment[]) => run(windows).map((a) => a.decision);

describe('session evidence of the owner\'s own model', () => {
  it('is graded by the risk, from evidence for the owner to strong evidence against, and never alone challenges in one window', () => {
    const steps = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1].map((r) => ownerLlr(r));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(ownerLlr(0.1)).toBeLessThan(0);
    expect(ownerLlr(0.95)).toBeGreaterThan(0);
    expect(Math.max(...OWNER_EVIDENCE.llr)).toBeLessThan(6.9 / 3);
    expect(ownerLlr(Number.NaN)).toBe(Math.max(...OWNER_EVIDENCE.llr));
  });
  it('grows with the session: windows far from the owner challenge after a few, not after one', () => {
    const farOut = Array.from({ length: 8 }, () => owned(0.95, ['user_rhythm_unlike_owner']));
    const seen = decisions(farOut);
    expect(seen[0]).not.toBe('challenge');
    expect(seen.indexOf('challenge')).toBeGreaterThan(1);
    // The owner's rhythm alone is a rate (an owner drifts): a step-up, never a block.
    expect(seen.at(-1)).toBe('challenge');
    expect(run(farOut).at(-1)!.evidence.llr).toBeGreaterThan(11.5);
    // With a fact of automation beside it, seen in two windows, the same evidence blocks; in one, it may be chance.
    const line = owned(0.95, ['user_rhythm_unlike_owner', 'straight_path']);
    expect(decisions([...farOut.slice(0, 6), line]).at(-1)).toBe('challenge');
    expect(decisions([...farOut.slice(0, 6), line, line]).at(-1)).toBe('block');
  });
  it('an owner whose windows are mostly theirs, with an odd one in five, is never stepped up', () => {
    const windows = Array.from({ length: 500 }, (_, i) => owned(i % 5 === 0 ? 0.95 : 0.15));
    expect(decisions(windows).filter((d) => d === 'challenge' || d === 'block')).toHaveLength(0);
  });
  it('owner-like windows take nothing from automation evidence, and without a model the population rule is unchanged', () => {
    expect(windowLlr(owned(0.05, ['teleport']))).toBe(windowLlr(w(['teleport'])));
    expect(decisions([owned(0.05, ['teleport']), owned(0.05, ['teleport'])])).toEqual(['monitor', 'challenge']);
    expect(windowLlr(w([]))).toBe(-0.5);
    expect(windowLlr(w(['user_rhythm_unlike_owner']))).toBe(2.5);
    // The answer never carries the owner's risk.
    expect(run([owned(0.5)])[0]).not.toHaveProperty('ownerRisk');
  });
});
