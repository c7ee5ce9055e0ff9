// Sub-movements of reaches (scoring/features/submovements.ts) and the session test built on them
// (`uncorrected_reaches`, scoring/session-evidence.ts), on self-made reaches: a generated one-bell
// path, a person-like primary sub-movement with a correction, each on fine and coarse clocks.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { reaches, reachesOvershoot, reachesUncorrected } from '../../scoring/features/submovements.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { accumulate, judgeInSession, NO_EVIDENCE, OVERSHOOTING_REACHES, sessionAnswer, UNCORRECTED_REACHES, type SessionEvidence } from '../../scoring/session-evidence.ts';

type Pt = [number, number];
/** The sub-movement counts of reaches(); speed against curvature has its own test (speed-curvature.test.ts). */
const aimed = (...args: Parameters<typeof reaches>) => {
  const { curved: _c, unslowed: _u, singleUnslowed: _s, ...counts } = reaches(...args);
  return counts;
};
const minJerk = (s: number) => 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;

/** Positions at time `ms` into a reach: one min-jerk stroke, or a primary to 92 % then a pause and a correction. */
function oneBell(from: Pt, to: Pt, dur: number): (ms: number) => Pt {
  return (ms) => {
    const s = minJerk(Math.min(1, Math.max(0, ms / dur)));
    return [from[0] + (to[0] - from[0]) * s, from[1] + (to[1] - from[1]) * s];
  };
}
function corrected(from: Pt, to: Pt, dur: number): (ms: number) => Pt {
  const aim: Pt = [from[0] + (to[0] - from[0]) * 0.92, from[1] + (to[1] - from[1]) * 0.92 + 6];
  const primary = oneBell(from, aim, dur * 0.65);
  const correction = oneBell(aim, to, dur * 0.2);
  return (ms) => (ms < dur * 0.65 ? primary(ms) : ms < dur * 0.8 ? aim : correction(ms - dur * 0.8));
}

/** A primary past the target (110 %, a little to the side), a pause, and a correction back onto it: an overshoot. */
function overshot(from: Pt, to: Pt, dur: number, past = 1.1, side = 6): (ms: number) => Pt {
  const aim: Pt = [from[0] + (to[0] - from[0]) * past, from[1] + (to[1] - from[1]) * past + side];
  const primary = oneBell(from, aim, dur * 0.65);
  const correction = oneBell(aim, to, dur * 0.2);
  return (ms) => (ms < dur * 0.65 ? primary(ms) : ms < dur * 0.8 ? aim : correction(ms - dur * 0.8));
}

/** A window: a release at `from`, a rest, the reach sampled at the given instants, a press at `to`. */
function reachWindow(path: (ms: number) => Pt, dur: number, instants: (dur: number) => number[], from: Pt, start = 1000, withRelease = true): BatchEvent[] {
  const events: BatchEvent[] = [];
  if (withRelease) events.push({ type: 'pointerup', t: start - 500, x: from[0], y: from[1], button: 0, pointerType: 'mouse' });
  let last = -1;
  for (const ms of instants(dur)) {
    const [x, y] = path(ms);
    const t = Math.round((start + ms) * 10) / 10;
    if (t <= last) continue;
    last = t;
    events.push({ type: 'pointermove', t, x: Math.round(x), y: Math.round(y), pointerType: 'mouse' });
  }
  const [x, y] = path(dur);
  events.push({ type: 'pointerdown', t: start + dur + 120, x: Math.round(x), y: Math.round(y), button: 0, pointerType: 'mouse' });
  return events;
}

const every = (step: number) => (dur: number) => Array.from({ length: Math.floor(dur / step) + 1 }, (_, i) => i * step);
/** A Windows-like 15.6 ms tick that skips every third tick. */
const tick = (dur: number) => every(15.625)(dur).filter((_, i) => i % 3 !== 2).concat(dur);
/** Remote-desktop sampling: about every 100 ms, irregular. */
const coarse = (dur: number) => [0, 90, 210, 300, 420, 500, 610, 700, 820, 900].filter((t) => t < dur).concat(dur);

const A: Pt = [100, 400];
const B: Pt = [520, 220];

describe('reaches in a window', () => {
  it('a one-bell reach is one sub-movement; a primary with a correction is not', () => {
    expect(aimed(reachWindow(oneBell(A, B, 450), 450, every(8), A))).toEqual({ n: 1, single: 1 });
    expect(aimed(reachWindow(corrected(A, B, 700), 700, every(8), A))).toEqual({ n: 1, single: 0 });
  });
  it('counts the same on a 1000 Hz mouse, a 60 Hz one and a skipping 15.6 ms tick: the grid, not the device rate', () => {
    for (const clock of [every(1), every(16.7), tick]) {
      expect(aimed(reachWindow(oneBell(A, B, 450), 450, clock, A))).toEqual({ n: 1, single: 1 });
      expect(aimed(reachWindow(corrected(A, B, 700), 700, clock, A))).toEqual({ n: 1, single: 0 });
    }
  });
  it('abstains on coarse sampling instead of calling a person clean', () => {
    expect(aimed(reachWindow(corrected(A, B, 900), 900, coarse, A))).toEqual({ n: 0, single: 0 });
    expect(aimed(reachWindow(oneBell(A, B, 900), 900, coarse, A))).toEqual({ n: 0, single: 0 });
  });
  it('a pause of the pointer inside a reach (no moves, no distance) does not make it coarse', () => {
    // The corrected reach's pause is 105 ms without a move: a still pointer sends nothing.
    const still = (dur: number) => every(8)(dur).filter((ms) => ms < dur * 0.66 || ms > dur * 0.8);
    expect(aimed(reachWindow(corrected(A, B, 700), 700, still, A))).toEqual({ n: 1, single: 0 });
  });
  it('a window opening on a reach counts it only if it starts from rest; one cut mid-flight is not judged', () => {
    const fromRest = reachWindow(oneBell(A, B, 450), 450, every(8), A, 1000, false);
    expect(aimed(fromRest)).toEqual({ n: 1, single: 1 });
    const midFlight = fromRest.filter((e) => e.type !== 'pointermove' || e.t >= 1200);
    expect(aimed(midFlight)).toEqual({ n: 0, single: 0 });
  });
  it('short moves, drags, pens and touch are not reaches of a mouse', () => {
    expect(aimed(reachWindow(oneBell(A, [130, 380], 300), 300, every(8), A)).n).toBe(0);
    const bell = reachWindow(oneBell(A, B, 450), 450, every(8), A);
    expect(aimed(bell.map((e) => (e.type === 'pointermove' ? { ...e, state: 'drag' } : e))).n).toBe(0);
    expect(aimed(bell.map((e) => ({ ...e, pointerType: 'touch' as const }))).n).toBe(0);
    expect(aimed(bell.map((e) => ({ ...e, pointerType: 'pen' as const }))).n).toBe(0);
  });
  it('a correction that comes back against the primary movement is a reversal, on fine clocks; one that carries on is not', () => {
    for (const clock of [every(1), every(8), every(16.7), tick]) {
      expect(aimed(reachWindow(overshot(A, B, 700), 700, clock, A))).toEqual({ n: 1, single: 0, reversed: 1 });
      expect(aimed(reachWindow(corrected(A, B, 700), 700, clock, A))).toEqual({ n: 1, single: 0 });
    }
    // Sideways rather than back (about 90 degrees): not a reversal.
    const sideways: Pt = [B[0] + 30, B[1] + 30];
    const turn = (ms: number): Pt => (ms < 455 ? oneBell(A, sideways, 455)(ms) : ms < 560 ? sideways : oneBell(sideways, [sideways[0] + 15, sideways[1] + 45], 140)(ms - 560));
    expect(aimed(reachWindow(turn, 700, every(8), A))).toEqual({ n: 1, single: 0 });
    // Coarse sampling abstains on reversals too.
    expect(aimed(reachWindow(overshot(A, B, 900), 900, coarse, A))).toEqual({ n: 0, single: 0 });
  });
  it('on a coarse coordinate grid one step of settling back is not a reversal; a real overshoot still is', () => {
    const grid = (events: BatchEvent[], g: number) => events.map((e) => (e.x === undefined ? e : { ...e, x: Math.round(e.x / g) * g, y: Math.round(e.y! / g) * g }));
    // A one-bell reach that ends with the pointer a grid step back from where it stopped.
    const settle = (ms: number): Pt => (ms < 450 ? oneBell(A, B, 450)(ms) : ms < 560 ? [B[0] + 10, B[1] - 10] : B);
    expect(aimed(grid(reachWindow(settle, 700, every(8), A), 10)).reversed ?? 0).toBe(0);
    expect(aimed(grid(reachWindow(overshot(A, B, 700, 1.15), 700, every(8), A), 10))).toEqual({ n: 1, single: 0, reversed: 1 });
  });
  it('a pointer settling back a pixel or two after a one-bell reach is not a reversal', () => {
    const settle = (ms: number): Pt => (ms < 450 ? oneBell(A, B, 450)(ms) : ms < 560 ? B : [B[0] - 2, B[1] + 1]);
    const r = reaches(reachWindow(settle, 600, every(8), A));
    expect(r.reversed ?? 0).toBe(0);
  });
  it('holds several reaches of one window apart', () => {
    const first = reachWindow(oneBell(A, B, 450), 450, every(8), A, 1000);
    const second = reachWindow(corrected(B, A, 700), 700, every(8), B, 3000).slice(1);
    const up: BatchEvent = { type: 'pointerup', t: 1700, x: B[0], y: B[1], button: 0, pointerType: 'mouse' };
    expect(aimed([...first, up, ...second])).toEqual({ n: 2, single: 1 });
  });
});

describe('the session test', () => {
  it('six clean reaches of six are too clean for a person (p0 0.4, alpha 0.01), five are not; nine of ten, 53 of 100', () => {
    expect(reachesUncorrected({ n: 5, single: 5 })).toBe(false);
    expect(reachesUncorrected({ n: 6, single: 6 })).toBe(true);
    expect(reachesUncorrected({ n: 10, single: 9 })).toBe(true);
    expect(reachesUncorrected({ n: 10, single: 8 })).toBe(false);
    expect(reachesUncorrected({ n: 100, single: 53 })).toBe(true);
    expect(reachesUncorrected({ n: 100, single: 52 })).toBe(false);
    expect(reachesUncorrected({ n: 400, single: 100 })).toBe(false);
    expect(reachesUncorrected({ n: 400, single: 200 })).toBe(true);
    expect(reachesUncorrected({ n: 0, single: 0 })).toBe(false);
  });

  it('reversed corrections: five of five come back too often for a person (p0 0.3, alpha 0.01, at least five), four of four do not; six of seven, eight of ten', () => {
    expect(reachesOvershoot({ n: 3, single: 0, reversed: 3 })).toBe(false);
    // 0.3^4 is under alpha, but a run of four overshoots is a person's slip, not yet a program.
    expect(reachesOvershoot({ n: 4, single: 0, reversed: 4 })).toBe(false);
    expect(reachesOvershoot({ n: 5, single: 0, reversed: 5 })).toBe(true);
    expect(reachesOvershoot({ n: 7, single: 1, reversed: 6 })).toBe(true);
    expect(reachesOvershoot({ n: 8, single: 2, reversed: 6 })).toBe(false);
    expect(reachesOvershoot({ n: 10, single: 0, reversed: 8 })).toBe(true);
    expect(reachesOvershoot({ n: 10, single: 0, reversed: 7 })).toBe(false);
    // A person's one reach in eight coming back (Balabit: 6-13 %) is never too often.
    expect(reachesOvershoot({ n: 400, single: 60, reversed: 50 })).toBe(false);
    expect(reachesOvershoot({ n: 5, single: 5 })).toBe(false);
  });

  const w = (single: number, n = 1, judged = true): Assessment => ({ score: 0, decision: 'allow', modelVersion: 'test', reasons: [], judged, reaches: { n, single } });
  const run = (windows: Assessment[]) => {
    let e: SessionEvidence = NO_EVIDENCE;
    return windows.map((x) => judgeInSession((e = accumulate(e, x)), x, DEFAULT_THRESHOLDS));
  };

  it('a session of one-bell reaches is monitored at the sixth and challenged at the seventh, naming the signal', () => {
    const answers = run(Array.from({ length: 7 }, () => w(1)));
    expect(answers.map((a) => a.decision)).toEqual(['allow', 'allow', 'allow', 'allow', 'allow', 'monitor', 'challenge']);
    expect(answers[6]!.reasons[0]).toBe(UNCORRECTED_REACHES);
    expect(answers[6]!.evidence.reaches).toEqual({ n: 7, single: 7 });
  });
  it('a session whose reaches all overshoot and come back is monitored at the fifth and challenged at the sixth, naming the signal; only windows adding a reversal raise it', () => {
    const back = (judged = true): Assessment => ({ score: 0, decision: 'allow', modelVersion: 'test', reasons: [], judged, reaches: { n: 1, single: 0, reversed: 1 } });
    const answers = run([back(), back(), back(), back(), back(), back()]);
    expect(answers.map((a) => a.decision)).toEqual(['allow', 'allow', 'allow', 'allow', 'monitor', 'challenge']);
    expect(answers[5]!.reasons[0]).toBe(OVERSHOOTING_REACHES);
    expect(answers[5]!.evidence.reaches).toEqual({ n: 6, single: 0, reversed: 6 });
    // Once the test holds, a window whose reach carries on forward adds nothing of this kind.
    let e: SessionEvidence = NO_EVIDENCE;
    for (let i = 0; i < 5; i++) e = accumulate(e, back());
    const before = e.llr;
    e = accumulate(e, w(0));
    expect(e.llr).toBeLessThan(before);
    // An undershooting person (one reach in eight comes back) is never raised over a long session.
    const person = run(Array.from({ length: 400 }, (_, i) => ({ ...w(i % 4 === 0 ? 1 : 0), reaches: { n: 1, single: i % 4 === 0 ? 1 : 0, ...(i % 8 === 1 ? { reversed: 1 } : {}) } })));
    expect(person.filter((a) => a.reasons.includes(OVERSHOOTING_REACHES))).toHaveLength(0);
  });
  it('a person whose reaches are corrected three times in four is never raised over a long session', () => {
    const answers = run(Array.from({ length: 400 }, (_, i) => w(i % 4 === 0 ? 1 : 0)));
    expect(answers.filter((a) => a.reasons.includes(UNCORRECTED_REACHES))).toHaveLength(0);
    expect(answers.at(-1)!.evidence.reaches).toEqual({ n: 400, single: 100 });
  });
  it('windows without reaches of their own, or not judged, raise nothing; the counts never reach the answer', () => {
    let e: SessionEvidence = NO_EVIDENCE;
    for (let i = 0; i < 6; i++) e = accumulate(e, w(1));
    expect(e.signals).toContain(UNCORRECTED_REACHES);
    const llr = e.llr;
    const quiet: Assessment = { score: 0, decision: 'allow', modelVersion: 'test', reasons: [], judged: true };
    expect(accumulate(e, quiet).llr).toBeLessThan(llr);
    expect(accumulate(e, w(1, 1, false)).llr).toBe(llr);
    // Counted, and held for the session's next judged window (scoring/features/pointer-window.ts).
    expect(accumulate(e, w(1, 1, false)).reaches).toEqual({ n: 7, single: 7, unraised: { n: 1, single: 1 } });
    expect('reaches' in sessionAnswer(e, w(1), DEFAULT_THRESHOLDS)).toBe(false);
  });
});
