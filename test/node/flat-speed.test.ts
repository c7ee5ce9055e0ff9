// Flat speed (scoring/features/flat-speed.ts) and the session test built on it (`flat_speed`,
// scoring/session-evidence.ts), on self-made movements: a constant-speed glide (what WindMouse with
// waits in proportion to each step, or a constant-speed spline, produces), a hand-like movement
// whose speed rises, wavers and falls, each on a fine and on Balabit's coarse irregular clock.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { flatMoves } from '../../scoring/features/flat-speed.ts';
import { reachesUncorrected } from '../../scoring/features/submovements.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import population from '../../scoring/population-keystroke.json' with { type: 'json' };
import { createPreScorer } from '../../scoring/prescore.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import type { Profile } from '../../scoring/profile.ts';
import { pointerWindow } from '../../scoring/features/pointer-window.ts';
import { accumulate, FLAT_SPEED, judgeInSession, NO_EVIDENCE, reachesOfSession, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { loadKernels } from '../../wasm/node.ts';

/** Distance along a 700-px path after `ms` of a movement lasting `dur`. */
type Profile1D = (ms: number, dur: number) => number;
const glide: Profile1D = (ms, dur) => (700 * ms) / dur;
// A hand: a bell (minimum jerk) with a sub-movement wave on top; speed never holds.
const minJerk = (s: number) => 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;
const hand: Profile1D = (ms, dur) => {
  const s = Math.min(1, ms / dur);
  return 700 * (minJerk(s) + 0.03 * Math.sin(6 * Math.PI * s));
};

/** One movement of `dur` ms along an arc (radius 600 px; a straight line is a signal of its own), sampled at the clock's instants, from `t0`. */
function movement(p: Profile1D, dur: number, clock: (t: number) => number, t0 = 1000, pointerType: 'mouse' | 'pen' = 'mouse'): BatchEvent[] {
  const out: BatchEvent[] = [];
  for (let ms = 0; ms <= dur; ms = clock(ms)) {
    const d = p(ms, dur);
    const a = d / 600;
    out.push({ type: 'pointermove', t: Math.round((t0 + ms) * 10) / 10, x: Math.round(100 + 600 * Math.sin(a)), y: Math.round(100 + 600 * (1 - Math.cos(a))), pointerType });
  }
  return out;
}
const fine = (t: number) => t + 8;
const coarse = (rng: Rng) => (t: number) => t + 100 * (0.5 + rng.float());

describe('flat speed of a movement', () => {
  it('a constant-speed glide is flat on a fine and on a coarse irregular clock', () => {
    expect(flatMoves(movement(glide, 900, fine))).toEqual({ moves: 1, flat: 1 });
    expect(flatMoves(movement(glide, 1500, coarse(new Rng(3))))).toEqual({ moves: 1, flat: 1 });
  });

  it('a hand-like movement is not flat, and coarse sampling does not make it so', () => {
    expect(flatMoves(movement(hand, 900, fine))).toEqual({ moves: 1, flat: 0 });
    for (let s = 1; s <= 5; s++) expect(flatMoves(movement(hand, 1500, coarse(new Rng(s))))).toEqual({ moves: 1, flat: 0 });
  });

  it('a rest, a press or a release ends a movement; short movements, pens and junk are not judged', () => {
    const two = [...movement(glide, 600, fine, 1000), ...movement(glide, 600, fine, 2000)];
    expect(flatMoves(two)).toEqual({ moves: 2, flat: 2 });
    const a = movement(glide, 600, fine, 1000);
    const pressed: BatchEvent[] = [...a.slice(0, 40), { type: 'pointerdown', t: a[39]!.t, x: a[39]!.x, y: a[39]!.y, button: 0, pointerType: 'mouse' }, ...a.slice(40)];
    expect(flatMoves(pressed)).toEqual({ moves: 2, flat: 2 }); // 320 ms before the press, 280 ms after
    expect(flatMoves(movement(glide, 150, fine))).toEqual({ moves: 0, flat: 0 });
    expect(flatMoves(movement(glide, 900, fine, 1000, 'pen'))).toEqual({ moves: 0, flat: 0 });
    const junk: BatchEvent[] = [{ type: 'pointermove', t: NaN, x: 1, y: 2 }, { type: 'pointermove', t: 5, x: Infinity, y: 0 }, { type: 'pointermove', t: 5, x: 3, y: 3 }];
    expect(flatMoves(junk)).toEqual({ moves: 0, flat: 0 });
    // The pointer at rest, nudged by a pixel now and then: no speed to judge.
    const drift = Array.from({ length: 60 }, (_, i): BatchEvent => ({ type: 'pointermove', t: 1000 + i * 50, x: 100 + (i % 2), y: 100, pointerType: 'mouse' }));
    expect(flatMoves(drift)).toEqual({ moves: 0, flat: 0 });
  });
});

describe('the session test (p0 0.05, alpha 0.01)', () => {
  it('two flat movements of two, three of nine, four of 17 are too flat for a hand; three of ten, four of 18 are not', () => {
    const test = { p0: 0.05, alpha: 0.01 };
    expect(reachesUncorrected({ n: 1, single: 1 }, test)).toBe(false);
    expect(reachesUncorrected({ n: 2, single: 2 }, test)).toBe(true);
    expect(reachesUncorrected({ n: 9, single: 3 }, test)).toBe(true);
    expect(reachesUncorrected({ n: 10, single: 3 }, test)).toBe(false);
    expect(reachesUncorrected({ n: 17, single: 4 }, test)).toBe(true);
    expect(reachesUncorrected({ n: 18, single: 4 }, test)).toBe(false);
  });

  const w = (flat: number, moves = 1, judged = true): Assessment => ({ score: 0, decision: 'allow', modelVersion: 'test', reasons: [], judged, reaches: { n: 0, single: 0, moves, flat } });
  const run = (windows: Assessment[]) => {
    let e: SessionEvidence = NO_EVIDENCE;
    return windows.map((x) => judgeInSession((e = accumulate(e, x)), x, DEFAULT_THRESHOLDS));
  };

  it('flat windows raise flat_speed from the second and challenge at the third, with the counts kept in the reaches record', () => {
    const answers = run([w(1), w(1), w(1)]);
    expect(answers.map((a) => a.decision)).toEqual(['allow', 'monitor', 'challenge']);
    expect(answers[2]!.reasons[0]).toBe(FLAT_SPEED);
    expect(answers[2]!.evidence.reaches).toEqual({ n: 0, single: 0, moves: 3, flat: 3 });
  });

  it("a person with one flat movement in 50 is never raised over a long session; windows without movements or not judged raise nothing", () => {
    const answers = run(Array.from({ length: 500 }, (_, i) => w(i % 50 === 7 ? 1 : 0)));
    expect(answers.filter((a) => a.reasons.includes(FLAT_SPEED))).toHaveLength(0);
    let e: SessionEvidence = NO_EVIDENCE;
    e = accumulate(e, w(1, 1, false));
    e = accumulate(e, w(1, 1, false));
    expect(e.signals).not.toContain(FLAT_SPEED);
    expect(e.reaches).toEqual({ n: 0, single: 0, moves: 2, flat: 2, unraised: { n: 0, single: 0, moves: 2, flat: 2 } });
  });

  it('a movement finished by a batch too small to judge still raises the test, at the next judged window', () => {
    // A glide, a rest, a glide that ends the batch (so it waits); a batch of one move 500 ms later
    // (not judged: it only says the pointer had rested); then a judged batch with a press.
    const a = [...movement(glide, 900, fine, 1000), ...movement(glide, 900, fine, 2400)];
    const b: BatchEvent[] = [{ type: 'pointermove', t: 3800, x: 5, y: 5 }];
    const c: BatchEvent[] = [{ type: 'pointerdown', t: 4500, x: 5, y: 5, button: 0 }, { type: 'pointerup', t: 4600, x: 5, y: 5, button: 0 }];
    const as = (events: BatchEvent[], judged: boolean) => ({ judged, reaches: pointerWindow(events)! });
    let e: SessionEvidence = NO_EVIDENCE;
    const raised: boolean[] = [];
    for (const [w, judged] of [[a, true], [b, false], [c, true]] as const) {
      raised.push(reachesOfSession(e, as(w, judged)).flat);
      e = accumulate(e, { reasons: [], ...as(w, judged) });
    }
    expect(e.reaches).toMatchObject({ moves: 2, flat: 2 });
    expect(raised).toEqual([false, false, true]);
  });

  it('in the live decision: a glider is challenged on flat_speed alone, a hand is not', async () => {
    const kernels = await loadKernels();
    const scorer = createPreScorer(population as unknown as Profile, kernels.scaledManhattan);
    const judge = (windows: BatchEvent[][]) => {
      let e: SessionEvidence = NO_EVIDENCE;
      return windows.map((win) => {
        const a = scorer.score(win);
        e = accumulate(e, a);
        return judgeInSession(e, a, DEFAULT_THRESHOLDS);
      });
    };
    // Each 3-s window: two movements with a rest between.
    const windows = (p: Profile1D, seed: number) => Array.from({ length: 4 }, (_, i) => [...movement(p, 900, fine, i * 3000 + 100), ...movement(p, 700, coarse(new Rng(seed + i)), i * 3000 + 1500)]);
    const bot = judge(windows(glide, 1));
    // Each window ends on its second movement, which may go on in the next batch: it is counted once
    // the next window shows the pointer had rested (scoring/features/pointer-window.ts). Two flat
    // movements of two, and three of three, raise it from the second window. A flat speed alone is a
    // rate (a trackpoint, a keyboard-driven pointer): it challenges and never blocks (scoring/session-evidence.ts).
    expect(bot.map((a) => a.decision)).toEqual(['allow', 'monitor', 'challenge', 'challenge']);
    expect(bot[3]!.evidence.llr).toBeGreaterThan(11.5);
    expect(bot[2]!.reasons).toEqual([FLAT_SPEED]);
    const person = judge(windows(hand, 1));
    expect(person.map((a) => a.decision)).toEqual(['allow', 'allow', 'allow', 'allow']);
  });
});
