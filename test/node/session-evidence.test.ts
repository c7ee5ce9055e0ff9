// Session evidence (scoring/session-evidence.ts): one odd window never challenges, a consistent
// signal does, two independent facts in one window do, and clean windows wear old evidence away.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { accumulate, judgeInSession, NO_EVIDENCE, windowLlr, type SessionEvidence } from '../../scoring/session-evidence.ts';

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
  it('the same signal in the next window challenges, a third blocks', () => {
    expect(run([w(['teleport']), w(['teleport']), w(['teleport'])]).map((a) => a.decision)).toEqual(['monitor', 'challenge', 'block']);
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
