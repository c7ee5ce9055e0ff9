// Speed against curvature (scoring/features/speed-curvature.ts): a hand slows where its path bends
// (v ~ curvature^-1/3); a curve whose speed is laid over it by an easing along its length does not.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { cleanPointerTail, pointerTooClean } from '../../scoring/features/clean-pointer.ts';
import { NOT_JUDGED, SPEED_CURVATURE_RULES, speedCurvatureSlope, speedIgnoresBends, type SpeedCurvatureRules } from '../../scoring/features/speed-curvature.ts';
import { addedPerWindow } from '../../scoring/features/pointer-window.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { accumulate, CLEAN_POINTER, judgeInSession, NO_EVIDENCE, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { addReaches, reaches } from '../../scoring/features/submovements.ts';

type Pt = { t: number; x: number; y: number };

/** Samples every `dt` ms of a path p(s) (s its arc length in px, 0..L) walked at speed v(s) px/ms. */
function walk(p: (s: number) => { x: number; y: number }, L: number, v: (s: number) => number, dt = 8, round = true): Pt[] {
  const out: Pt[] = [];
  let s = 0, t = 0;
  while (s < L) {
    const q = p(s);
    out.push({ t, x: round ? Math.round(q.x) : q.x, y: round ? Math.round(q.y) : q.y });
    s += Math.max(0.01, v(s)) * dt;
    t += dt;
  }
  const q = p(L);
  out.push({ t, x: round ? Math.round(q.x) : q.x, y: round ? Math.round(q.y) : q.y });
  return out;
}

/** A path whose curvature varies: half an ellipse by arc length (numerically). */
function ellipse(a: number, b: number) {
  const table: { s: number; th: number }[] = [];
  // From one end of the minor axis to the other, round the sharp end of the major one: the path bends most midway.
  let s = 0, th = -Math.PI / 2;
  const step = 0.0005;
  while (th < Math.PI / 2) {
    table.push({ s, th });
    const dx = -a * Math.sin(th), dy = b * Math.cos(th);
    s += Math.sqrt(dx * dx + dy * dy) * step;
    th += step;
  }
  const L = s;
  const at = (u: number) => {
    let lo = 0, hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (table[mid]!.s <= u) lo = mid;
      else hi = mid - 1;
    }
    return table[lo]!.th;
  };
  const curvature = (th: number) => (a * b) / (a * a * Math.sin(th) ** 2 + b * b * Math.cos(th) ** 2) ** 1.5;
  return { L, p: (u: number) => ({ x: 400 + a * Math.cos(at(u)), y: 300 + b * Math.sin(at(u)) }), k: (u: number) => curvature(at(u)) };
}

const arrays = (pts: Pt[]) => [Float64Array.from(pts, (p) => p.t), Float64Array.from(pts, (p) => p.x), Float64Array.from(pts, (p) => p.y)] as const;
const judge = (pts: Pt[], rules: SpeedCurvatureRules = SPEED_CURVATURE_RULES) => speedIgnoresBends(...arrays(pts), 0, pts.length, rules);
const slope = (pts: Pt[]) => speedCurvatureSlope(...arrays(pts), 0, pts.length);

describe('speed against curvature', () => {
  const e = ellipse(300, 120);
  it('a path walked at a speed that follows its bends (v ~ k^-1/3, as a hand draws) follows the law', () => {
    const law = (s: number) => 0.25 * e.k(s) ** (-1 / 3);
    expect(judge(walk(e.p, e.L, law))).toBe(0);
    expect(judge(walk(e.p, e.L, law, 16))).toBe(0); // a 60 Hz mouse
  });

  it('the same path at an eased speed (a bell over its length, as a generated path is walked) ignores them', () => {
    const bell = (s: number) => 0.05 + 1.5 * Math.sin((Math.PI * s) / e.L) ** 2;
    // Sub-pixel positions, as a program dispatches them (on whole pixels its crawl at the ends bends
    // like a hand: the header's limit).
    expect(judge(walk(e.p, e.L, bell, 8, false))).toBe(1);
    expect(judge(walk(e.p, e.L, bell, 16, false))).toBe(1);
    expect(judge(walk(e.p, e.L, () => 1))).toBe(1); // a constant speed, whole pixels
  });

  it('the law walked with sub-pixel positions measures near its -1/3 at any rate (the estimator, not an artefact of pixels or clocks)', () => {
    const law = (s: number) => 0.25 * e.k(s) ** (-1 / 3);
    for (const dt of [1, 8, 16]) {
      const b = slope(walk(e.p, e.L, law, dt, false));
      expect(b).toBeGreaterThan(-0.36);
      expect(b).toBeLessThan(-0.27);
    }
    expect(slope(walk(e.p, e.L, law, 30, false))).toBeLessThan(-0.2); // a 33 Hz clock: bends between samples, less sharp
    // On whole pixels at a 1000 Hz mouse's rate: samples thinned to 15 ms, so the pixel staircase of
    // every sample does not flatten it (before the thinning: about 0; found by review).
    expect(judge(walk(e.p, e.L, law, 1))).toBe(0);
    expect(slope(walk(e.p, e.L, law, 1))).toBeLessThan(-0.15);
  });

  it('bounds its work by the samples, not the coordinates: a path no hand makes is not judged', () => {
    // 200 samples bouncing across two million pixels 8 ms apart (valid coordinates: up to 1e6).
    const wild: Pt[] = Array.from({ length: 200 }, (_, i) => ({ t: i * 8, x: (i % 2 ? 1 : -1) * 7e5, y: (i % 2 ? -1 : 1) * 7e5 + i }));
    const t0 = performance.now();
    expect(judge(wild)).toBe(NOT_JUDGED);
    expect(performance.now() - t0).toBeLessThan(50); // microseconds in fact; seconds before the bound
    expect(judge([{ t: 0, x: 0, y: 0 }, { t: 16, x: Infinity, y: 0 }, { t: 32, x: 5, y: 5 }])).toBe(NOT_JUDGED);
    expect(judge([{ t: 0, x: 0, y: 0 }, { t: 16, x: 1e200, y: 1e200 }, { t: 32, x: 5, y: 5 }])).toBe(NOT_JUDGED);
  });

  it('a straight run of pixels or a short path is not judged', () => {
    const line = walk((s) => ({ x: 100 + s, y: 200 }), 400, () => 1);
    expect(judge(line)).toBe(NOT_JUDGED);
    const short = walk(e.p, 30, () => 0.5);
    expect(judge(short)).toBe(NOT_JUDGED);
  });

  const bell = (s: number) => 0.05 + 1.5 * Math.sin((Math.PI * s) / e.L) ** 2;
  const law = (s: number) => 0.25 * e.k(s) ** (-1 / 3);
  /** A reach along `pts` from t0, then a press and a release on its end. */
  const reach = (pts: Pt[], t0: number): BatchEvent[] => [
    ...pts.map((p) => ({ type: 'pointermove' as const, t: t0 + p.t, x: p.x, y: p.y, pointerType: 'mouse' as const })),
    { type: 'pointerdown', t: t0 + pts.at(-1)!.t + 60, x: pts.at(-1)!.x, y: pts.at(-1)!.y, button: 0, pointerType: 'mouse' as const },
    { type: 'pointerup', t: t0 + pts.at(-1)!.t + 140, x: pts.at(-1)!.x, y: pts.at(-1)!.y, button: 0, pointerType: 'mouse' as const },
  ];
  const rest: BatchEvent = { type: 'pointermove', t: 0, x: 700, y: 300, pointerType: 'mouse' };

  it('a reach to a press counts it beside its sub-movements: the eased one ignores its bends, the drawn one does not', () => {
    const eased = reach(walk(e.p, e.L, bell, 8, false), 1000);
    const drawn = reach(walk(e.p, e.L, law), 1000);
    // The eased reach is one bell: one sub-movement that ignores its bends, the joint test's outcome.
    expect(reaches([rest, ...eased])).toMatchObject({ n: 1, single: 1, curved: 1, unslowed: 1, singleUnslowed: 1 });
    expect(reaches([rest, ...drawn])).toMatchObject({ n: 1, curved: 1, unslowed: 0, singleUnslowed: 0 });
    const both = reaches([rest, ...eased, ...reach(walk(e.p, e.L, law), eased.at(-1)!.t + 800)]);
    expect(both).toMatchObject({ n: 2, curved: 2, unslowed: 1, singleUnslowed: 1 });
    expect(addReaches(both, both)).toMatchObject({ curved: 4, unslowed: 2, singleUnslowed: 2 });
    // Two eased bells, a primary and a correction: it ignores its bends, but it is no one-bell reach.
    const twoBells = (s: number) => (s < 0.85 * e.L ? 0.05 + 1.5 * Math.sin((Math.PI * s) / (0.85 * e.L)) ** 2 : 0.05 + 0.4 * Math.sin((Math.PI * (s - 0.85 * e.L)) / (0.15 * e.L)) ** 2);
    expect(reaches([rest, ...reach(walk(e.p, e.L, twoBells, 8, false), 1000)])).toMatchObject({ n: 1, single: 0, curved: 1, unslowed: 1, singleUnslowed: 0 });
    // Pens and touch are not a mouse's reaches.
    expect(reaches(eased.map((ev) => ({ ...ev, pointerType: 'pen' as const }))).curved).toBeUndefined();
  });

  it('a reach cut by a batch edge is counted once, whole, in the window that finishes it', () => {
    const eased = [rest, ...reach(walk(e.p, e.L, bell, 8, false), 1000)];
    const cutAt = eased.findIndex((ev) => ev.t >= 1300);
    const added = addedPerWindow([eased.slice(0, cutAt), eased.slice(cutAt)]);
    expect(added[0]!.curved ?? 0).toBe(0);
    expect(added[1]).toMatchObject({ n: 1, curved: 1, unslowed: 1, singleUnslowed: 1 });
  });

  it('joins the pointer counts: clean reaches that also ignore their bends are raised sooner, a person\'s rate never', () => {
    // Four reaches, three of one sub-movement: not enough alone, nor with a flat movement of two.
    expect(pointerTooClean({ n: 4, single: 3, moves: 2, flat: 0 })).toBe(false);
    // The same three also ignoring their bends (p0 0.1 each): raised.
    expect(pointerTooClean({ n: 4, single: 3, moves: 2, flat: 0, curved: 4, unslowed: 3, singleUnslowed: 3 })).toBe(true);
    // Reaches ignoring their bends but corrected are no such outcome (a hand's corrections bend where they are slow).
    expect(pointerTooClean({ n: 4, single: 3, moves: 2, flat: 0, curved: 4, unslowed: 4, singleUnslowed: 0 })).toBe(false);
    // At a person's rates (one sub-movement up to 25 %, both 2.3 %, Balabit user20), however long: not raised.
    expect(pointerTooClean({ n: 60, single: 15, curved: 60, unslowed: 5, singleUnslowed: 2, moves: 80, flat: 1 })).toBe(false);
    expect(cleanPointerTail({ n: 600, single: 150, curved: 600, unslowed: 50, singleUnslowed: 14, moves: 800, flat: 10 })).toBe(1);
  });

  it('in the session evidence, a window whose only clean outcome is a one-sub-movement reach ignoring its bends raises clean_pointer', () => {
    const w = (single: number, unslowed: number): Assessment => ({ score: 0, decision: 'allow', modelVersion: 'test', reasons: [], judged: true, reaches: { n: 1, single, curved: 1, unslowed, singleUnslowed: single * unslowed } });
    /** How many windows of the session raised its evidence, after each window. */
    const flagged = (windows: Assessment[]) => {
      let ev: SessionEvidence = NO_EVIDENCE;
      return windows.map((x) => (ev = accumulate(ev, x)).flagged);
    };
    // Three clean reaches that ignore their bends (raised), then another: raised again.
    const raisedAgain = flagged([w(1, 1), w(1, 1), w(1, 1), w(1, 1)]);
    expect(raisedAgain[2]).toBeGreaterThan(0);
    expect(raisedAgain[3]).toBe(raisedAgain[2]! + 1);
    // A corrected reach that ignores its bends adds no clean outcome: not raised by it.
    const corrected = flagged([w(1, 1), w(1, 1), w(1, 1), w(0, 1)]);
    expect(corrected[2]).toBe(raisedAgain[2]);
    expect(corrected[3]).toBe(corrected[2]);
    // And the reason is the joint test's.
    let ev: SessionEvidence = NO_EVIDENCE;
    for (const x of [w(1, 1), w(1, 1), w(1, 1), w(1, 1)]) ev = accumulate(ev, x);
    expect(judgeInSession(ev, w(1, 1), DEFAULT_THRESHOLDS).reasons).toContain(CLEAN_POINTER);
  });

});
