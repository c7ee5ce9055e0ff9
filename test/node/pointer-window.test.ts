// Pointer counts on whole movements whatever the batches (scoring/features/pointer-window.ts): a
// movement cut by a batch's edge is counted once, joined, as if the batch had not cut it. Self-made
// reaches: a one-bell reach (a program's) and a corrected one (a person's primary sub-movement, a
// pause and a correction), at 125 Hz, cut into batches of 3 s, 1 s, 0.5 s and 0.25 s.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { foldPointer, MAX_HEAD_SAMPLES, MAX_SAMPLES, pointerCounts, pointerWindow, type SessionPointer } from '../../scoring/features/pointer-window.ts';
import { addReaches, NO_REACHES, type Reaches } from '../../scoring/features/submovements.ts';

type Pt = [number, number];
const minJerk = (s: number) => 10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5;
const along = (from: Pt, to: Pt, s: number): Pt => [from[0] + (to[0] - from[0]) * s, from[1] + (to[1] - from[1]) * s];

/** A reach from `from` to `to` over `dur` ms from `t0`, 125 Hz, then a press 150 ms later: one bell, or a primary to 90 % (6 px aside), a pause and a correction. */
function reach(from: Pt, to: Pt, t0: number, dur: number, corrected: boolean): BatchEvent[] {
  const aim: Pt = [from[0] + (to[0] - from[0]) * 0.9, from[1] + (to[1] - from[1]) * 0.9 + 6];
  const at = (ms: number): Pt => {
    if (!corrected) return along(from, to, minJerk(Math.min(1, ms / dur)));
    if (ms < dur * 0.65) return along(from, aim, minJerk(ms / (dur * 0.65)));
    if (ms < dur * 0.8) return aim;
    return along(aim, to, minJerk(Math.min(1, (ms - dur * 0.8) / (dur * 0.2))));
  };
  const out: BatchEvent[] = [];
  let last: Pt | undefined;
  for (let ms = 0; ms <= dur; ms += 8) {
    const [x, y] = at(ms).map(Math.round) as Pt;
    if (last && x === last[0] && y === last[1]) continue; // a mouse reports nothing when it does not move
    last = [x, y];
    out.push({ type: 'pointermove', t: t0 + ms, x, y });
  }
  out.push({ type: 'pointerdown', t: t0 + dur + 150, x: last![0], y: last![1], button: 0 }, { type: 'pointerup', t: t0 + dur + 250, x: last![0], y: last![1], button: 0 });
  return out;
}

/** Reaches one after another, each starting where the last pressed, 600 ms apart. */
function session(kinds: readonly boolean[], t0 = 1000): BatchEvent[] {
  const points: Pt[] = [[100, 400], [620, 220], [150, 150], [700, 500], [200, 600], [640, 120], [120, 380], [560, 560]];
  const out: BatchEvent[] = [];
  let t = t0;
  kinds.forEach((corrected, i) => {
    out.push(...reach(points[i % points.length]!, points[(i + 1) % points.length]!, t, 700, corrected));
    t += 700 + 250 + 600;
  });
  return out;
}

/** The collector's cut: a batch from its first event until `ms` later. */
function batches(events: readonly BatchEvent[], ms: number): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  for (const e of events) {
    const cur = out[out.length - 1];
    if (cur && e.t - cur[0]!.t < ms) cur.push(e);
    else out.push([e]);
  }
  return out;
}

/** The session's counts after folding the windows in order (through JSON each time, as the core stores them). */
function folded(windows: readonly BatchEvent[][]): SessionPointer {
  let s: SessionPointer | undefined;
  for (const w of windows) {
    const pw = pointerWindow(w);
    if (pw) s = JSON.parse(JSON.stringify(foldPointer(s, pw).session)) as SessionPointer;
  }
  return s ?? NO_REACHES;
}
const counts = ({ n, single, reversed, moves, flat, bends, fastBends }: Reaches) => ({ n, single, reversed: reversed ?? 0, moves: moves ?? 0, flat: flat ?? 0, bends: bends ?? 0, fastBends: fastBends ?? 0 });

describe('pointer counts on whole movements (scoring/features/pointer-window.ts)', () => {
  const kinds = [true, false, true, true, false, true, true, true];
  const whole = counts(pointerCounts(session(kinds)));

  it('counts every reach and movement of the session once, as one batch would, however it is cut', () => {
    expect(whole).toMatchObject({ n: 8, single: 2, reversed: 0 });
    expect(whole.moves).toBeGreaterThanOrEqual(8);
    for (const ms of [3000, 1000, 500, 250, 100]) {
      // The kept samples are thinned to 20 ms, which may move a chunk's end and so whether a turn is judged a bend.
      const { bends, fastBends, ...rest } = counts(folded(batches(session(kinds), ms)));
      const { bends: wholeBends, fastBends: wholeFast, ...wholeRest } = whole;
      expect({ ms, ...rest }).toEqual({ ms, ...wholeRest });
      expect(Math.abs(bends - wholeBends)).toBeLessThanOrEqual(1);
      expect(fastBends).toBe(wholeFast);
    }
  });

  it('without the join, short batches make a corrected reach look like one bell (the defect it mends)', () => {
    let naive: Reaches = NO_REACHES;
    for (const w of batches(session(kinds), 250)) naive = addReaches(naive, pointerCounts(w));
    expect(naive.n).toBeLessThan(whole.n);
  });

  it('a movement still going at a batch end waits; it is counted alone, whole, when the pointer then rests, or on a new page', () => {
    const first = session([true]).slice(0, 40); // most of a reach's movement, no press
    const w1 = pointerWindow(first)!;
    expect(w1.through).toBe(true);
    const { session: s1, added: a1 } = foldPointer(undefined, w1);
    expect(counts(a1)).toEqual(counts(NO_REACHES));
    expect(s1.pending).toBeDefined();
    const alone = pointerCounts(first).moves!;
    expect(alone).toBe(1);
    // The next batch starts 2 s later: the movement had ended; it is counted with the batch's own.
    const later = session([false], first.at(-1)!.t + 2000);
    const { session: s2, added: a2 } = foldPointer(s1, pointerWindow(later)!);
    expect(a2.moves).toBe(pointerCounts(later).moves! + alone);
    expect(a2.n).toBe(1);
    expect(s2.pending).toBeUndefined();
    // A new page's clock starts again: nothing is joined across it.
    const page = session([false], 50);
    const { added: a3 } = foldPointer(s1, pointerWindow(page)!);
    expect(a3.moves).toBe(pointerCounts(page).moves! + alone);
    expect(a3.n).toBe(pointerCounts(page).n);
  });

  it('a reach cut anywhere is counted once, joined: its movement too, not the piece as well as the join', () => {
    for (const corrected of [true, false]) {
      const reachEvents = session([corrected]);
      const one = counts(pointerCounts(reachEvents));
      expect(one).toMatchObject({ n: 1, single: corrected ? 0 : 1, moves: 1 });
      // Cut 200-600 ms into the reach, and just before its press (the press opens the next batch).
      const cuts = [200, 300, 400, 500, 600].map((ms) => reachEvents.findIndex((e) => e.t >= reachEvents[0]!.t + ms));
      cuts.push(reachEvents.findIndex((e) => e.type === 'pointerdown'));
      for (const c of cuts) expect({ c, ...counts(folded([reachEvents.slice(0, c), reachEvents.slice(c)])) }).toEqual({ c, ...one });
    }
  });

  it('a pointer that never rests is still counted, in pieces, and what is kept stays bounded', () => {
    // A wander of 20 s at 125 Hz, never resting, in 1-s batches.
    const wander: BatchEvent[] = Array.from({ length: 2500 }, (_, i) => ({ type: 'pointermove', t: 1000 + i * 8, x: 300 + Math.round(200 * Math.sin(i / 90)), y: 300 + Math.round(150 * Math.cos(i / 70)) }));
    let s: SessionPointer | undefined;
    for (const w of batches(wander, 1000)) {
      s = foldPointer(s, pointerWindow(w)!).session;
      expect(s.pending!.s.length).toBeLessThanOrEqual(3 * MAX_SAMPLES);
    }
    expect(s!.moves).toBeGreaterThanOrEqual(10);
    // At 1000 Hz in 3-s batches: what a window carries is bounded too, and the movement still counted.
    const fast: BatchEvent[] = Array.from({ length: 20_000 }, (_, i) => ({ type: 'pointermove', t: 1000 + i, x: 300 + Math.round(200 * Math.sin(i / 700)), y: 300 + Math.round(150 * Math.cos(i / 550)) }));
    let f: SessionPointer | undefined;
    for (const w of batches(fast, 3000)) {
      const pw = pointerWindow(w)!;
      expect(pw.head?.s.length ?? 0).toBeLessThanOrEqual(3 * MAX_HEAD_SAMPLES);
      expect(pw.tail?.s.length ?? 0).toBeLessThanOrEqual(3 * MAX_SAMPLES);
      f = foldPointer(f, pw).session;
    }
    expect(f!.moves).toBeGreaterThanOrEqual(6);
  });

  it('a drag cut by a batch (Balabit marks its moves) is joined as a drag, not counted in pieces', () => {
    // A press, a 1.2 s drag at a steady speed, a release; cut in the middle of the drag.
    const drag: BatchEvent[] = [{ type: 'pointerdown', t: 1000, x: 100, y: 100, button: 0 }];
    for (let i = 1; i <= 150; i++) drag.push({ type: 'pointermove', t: 1000 + i * 8, x: 100 + Math.round(i * 3 + 10 * Math.sin(i / 20)), y: 100 + Math.round(i * 1.5), state: 'drag' });
    drag.push({ type: 'pointerup', t: 1000 + 151 * 8, x: drag.at(-1)!.x, y: drag.at(-1)!.y, button: 0 });
    const whole = counts(pointerCounts(drag));
    for (const c of [30, 75, 120]) expect({ c, ...counts(folded([drag.slice(0, c), drag.slice(c)])) }).toEqual({ c, ...whole });
  });

  it('a slow reach that opens a batch is judged whole (2 s at 60 Hz)', () => {
    const slow: BatchEvent[] = [];
    for (let ms = 0; ms <= 2000; ms += 1000 / 60) {
      const s = minJerk(ms / 2000);
      slow.push({ type: 'pointermove', t: Math.round((5000 + ms) * 10) / 10, x: Math.round(100 + 500 * s), y: Math.round(400 - 200 * s) });
    }
    slow.push({ type: 'pointerdown', t: 7150, x: 600, y: 200, button: 0 });
    // The batch before ended 2 s earlier (the pointer rested): the reach is whole, one bell.
    const before: BatchEvent[] = [{ type: 'pointermove', t: 3000, x: 100, y: 400 }];
    expect(counts(folded([before, slow]))).toMatchObject({ n: 1, single: 1 });
  });

  it('samples flushed at one time keep the last position; a window with no mouse event, touch or pens has no pointer counts', () => {
    const dup: BatchEvent[] = [
      { type: 'pointermove', t: 10, x: 1, y: 1 },
      { type: 'pointermove', t: 30, x: 5, y: 5 },
      { type: 'pointermove', t: 30, x: 9, y: 7 },
    ];
    expect(pointerWindow(dup)!.tail!.s.slice(-3)).toEqual([30, 9, 7]);
    expect(pointerWindow([{ type: 'keydown', t: 5, keyClass: 'letter' }])).toBeUndefined();
    expect(pointerWindow(session([true]).map((e) => ({ ...e, pointerType: 'touch' as const })))).toBeUndefined();
  });
});
