// Typing that ignores its keys (scoring/features/typing-dependence.ts, folded into the session's
// evidence by scoring/session-evidence.ts): a person's key timings depend on the keys (a class
// switch costs time, a key's release is not chained to the next press), a bot drawing holds and
// flights i.i.d. from a human-looking law does not. Synthetic typists only, seeded.
import { describe, expect, it } from 'vitest';
import type { BatchEvent, KeyClass } from '../../scoring/batch.ts';
import { NO_TYPING, typingDependence, typingZ } from '../../scoring/features/typing-dependence.ts';
import { Rng } from '../../scoring/models/rng.ts';
import population from '../../scoring/population-keystroke.json' with { type: 'json' };
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import { createPreScorer } from '../../scoring/prescore.ts';
import type { Profile } from '../../scoring/profile.ts';
import { accumulate, judgeInSession, NO_EVIDENCE, TYPING_IGNORES_KEYS, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { scaledManhattan } from '../../wasm/reference.ts';

const scorer = createPreScorer(population as Profile, scaledManhattan, DEFAULT_THRESHOLDS);

/** Words of letters, now and then a number, separated by spaces (or one class only). */
function text(rng: Rng, keys: number, oneClass = false): KeyClass[] {
  const out: KeyClass[] = [];
  while (out.length < keys) {
    const word = rng.float() < 0.15 ? 'digit' : 'letter';
    for (let i = 0, n = 2 + rng.int(6); i < n; i++) out.push(oneClass ? 'letter' : word);
    if (!oneClass) out.push(rng.float() < 0.1 ? 'punctuation' : 'space');
  }
  return out.slice(0, keys);
}

interface Typist {
  /** Median keydown-to-keydown interval within a class (ms), and the extra factor on a class switch. */
  dd?: number;
  switchCost?: number;
  hold?: number;
}

/** A person: each keydown planned from the last one (slower on a class switch), the key let up on its own clock. */
function person(rng: Rng, classes: KeyClass[], { dd = 170, switchCost = 1.5, hold = 95 }: Typist = {}): BatchEvent[] {
  const strokes: { down: number; up: number; cls: KeyClass }[] = [];
  let t = 1000;
  classes.forEach((cls, i) => {
    if (i > 0) t += dd * (cls !== classes[i - 1] ? switchCost : 1) * Math.exp(0.3 * rng.normal());
    strokes.push({ down: t, up: t + hold * Math.exp(0.2 * rng.normal()), cls });
  });
  return events(strokes);
}

/** The "humanize" bot: hold and keyup-to-keydown flight drawn i.i.d. from log-normal laws with human medians. */
function iidBot(rng: Rng, classes: KeyClass[]): BatchEvent[] {
  const strokes: { down: number; up: number; cls: KeyClass }[] = [];
  let t = 1000;
  for (const cls of classes) {
    const up = t + 95 * Math.exp(0.2 * rng.normal());
    strokes.push({ down: t, up, cls });
    t = up + 120 * Math.exp(0.4 * rng.normal());
  }
  return events(strokes);
}

function events(strokes: { down: number; up: number; cls: KeyClass }[]): BatchEvent[] {
  const out: BatchEvent[] = [];
  strokes.forEach((s, position) => {
    out.push({ type: 'keydown', t: Math.round(s.down * 10) / 10, keyClass: s.cls, field: 'f', position });
    out.push({ type: 'keyup', t: Math.round(s.up * 10) / 10, keyClass: s.cls, field: 'f' });
  });
  return out.sort((a, b) => a.t - b.t);
}

/** The collector's 3-second windows. */
function windows(evs: BatchEvent[], ms = 3000): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  for (const e of evs) {
    const w = out[out.length - 1];
    if (w && e.t < w[0]!.t + ms) w.push(e);
    else out.push([e]);
  }
  return out;
}

/** The live path: each window pre-scored, folded into the session's evidence, answered. */
function session(evs: BatchEvent[]) {
  let e: SessionEvidence = NO_EVIDENCE;
  const answers = windows(evs).map((w) => {
    const a = scorer.score(w);
    e = accumulate(e, a);
    return judgeInSession(e, a, DEFAULT_THRESHOLDS);
  });
  const challenged = answers.some((a) => a.decision === 'challenge' || a.decision === 'block');
  return { answers, evidence: e, challenged, z: typingZ(e.typing ?? NO_TYPING) };
}

describe('typing that ignores its keys', () => {
  it('a window of a person shows both couplings: hold against flight below 0, word starts and number reaches slower', () => {
    const rng = new Rng(3);
    const d = typingDependence(person(rng, text(rng, 25)));
    expect(d.hfInfo).toBeGreaterThan(10);
    expect(d.hf / d.hfInfo).toBeLessThan(0);
    expect(d.swInfo).toBeGreaterThan(0);
    expect(d.sw).toBeGreaterThan(0);
  });

  it('people pass: average, slow (hunt-and-peck), very fast (150 wpm, rollover), a small switch cost; z grows with their keys', () => {
    const typists: Typist[] = [{}, { dd: 550, hold: 140, switchCost: 1.4 }, { dd: 80, hold: 100, switchCost: 1.3 }, { switchCost: 1.2 }];
    for (const [k, typist] of typists.entries()) {
      for (let s = 0; s < 20; s++) {
        const rng = new Rng(1000 * k + s);
        const r = session(person(rng, text(rng, 250), typist));
        expect(r.challenged, `typist ${k} session ${s}`).toBe(false);
        expect(r.answers.some((a) => a.reasons.includes(TYPING_IGNORES_KEYS))).toBe(false);
        expect(r.z).toBeGreaterThan(1);
      }
    }
  });

  it('a slow typist (550 ms a key, holds of their own): none of 200 sessions challenged', () => {
    // Slow typing weakens the hold-flight coupling (a flight much longer than a hold hardly depends
    // on it); the bound of session 7 challenged 2 of these 200, the refit of session 14 none.
    for (let s = 0; s < 200; s++) {
      const rng = new Rng(1000 + s);
      const r = session(person(rng, text(rng, 250), { dd: 550, hold: 140, switchCost: 1.4 }));
      expect(r.challenged, `session ${s}`).toBe(false);
    }
  });

  it('i.i.d. timings with human medians: z about N(0, 1) whatever the length, and such sessions are challenged for it', () => {
    const zs: number[] = [];
    let challenged = 0;
    for (let s = 0; s < 40; s++) {
      const rng = new Rng(77 + s);
      const r = session(iidBot(rng, text(rng, 250)));
      zs.push(r.z);
      if (r.challenged) {
        challenged++;
        expect(r.answers.find((a) => a.decision !== 'allow' && a.decision !== 'monitor')!.reasons[0]).toBe(TYPING_IGNORES_KEYS);
      }
    }
    const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
    expect(Math.abs(mean)).toBeLessThan(0.6);
    // Over 250 keys the rising bound has overtaken fewer than half of them (17 of these 40: a person
    // slower than most is held to the same bound); over 1,000 keys, every one.
    expect(challenged).toBeGreaterThanOrEqual(12);
    let long = 0;
    for (let s = 0; s < 40; s++) {
      const rng = new Rng(77 + s);
      if (session(iidBot(rng, text(rng, 1000))).challenged) long++;
    }
    expect(long).toBeGreaterThanOrEqual(38);
  });

  it('one class of keys (a letters-only password, a phone keyboard) is never judged', () => {
    const rng = new Rng(9);
    const r = session(iidBot(rng, text(rng, 300, true)));
    expect(r.z).toBeNaN();
    expect(r.challenged).toBe(false);
  });

  it("a soft keyboard's back-to-back holds (or a page on a touch screen) give the hold-flight test nothing, so the session is never judged", () => {
    const rng = new Rng(12);
    const typed = person(rng, text(rng, 300));
    // The same person's keydowns, each keyup 0-2 ms after its keydown, as a phone's soft keyboard sends them.
    const soft = typed.filter((e) => e.type === 'keydown').flatMap((e): BatchEvent[] => [e, { type: 'keyup', t: Math.round((e.t + 2 * rng.float()) * 10) / 10, keyClass: e.keyClass, field: e.field }]).sort((a, b) => a.t - b.t);
    expect(session(typed).z).toBeGreaterThan(3);
    expect(typingDependence(windows(soft)[0]!).hfInfo).toBe(0);
    const r = session(soft);
    expect(r.z).toBeNaN();
    expect(r.challenged).toBe(false);
    // Hardware-like holds on a page that says it has a touch screen (a tablet's keyboard): not read either.
    const first = windows(typed)[0]!;
    expect(typingDependence(first).hfInfo).toBeGreaterThan(0);
    expect(typingDependence([...first, { type: 'environment', t: first.at(-1)!.t, state: 'touch' }]).hfInfo).toBe(0);
  });

  it('keeps its sums to the session: five finite numbers, nothing in the answer, nothing from nothing', () => {
    const rng = new Rng(5);
    const r = session(iidBot(rng, text(rng, 60)));
    expect(Object.values(r.evidence.typing!).every(Number.isFinite)).toBe(true);
    for (const a of r.answers) expect('typing' in a).toBe(false);
    expect(typingDependence([])).toEqual(NO_TYPING);
    expect(typingDependence([{ type: 'keydown', t: 0, keyClass: 'letter' }, { type: 'keyup', t: 0, keyClass: 'letter' }])).toEqual(NO_TYPING);
  });
});
