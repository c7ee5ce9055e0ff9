// Replay detection (scoring/features/replay.ts) on synthetic fixtures: a warped, noised, re-cut
// replay is matched; two people typing the same text are not; memory is bounded; fingerprints
// do not move under a time warp.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { KEY_CLASSES, type KeyClass } from '../../scoring/batch-limits.ts';
import { createReplayIndex } from '../../scoring/features/replay.ts';
import { Rng } from '../../scoring/models/rng.ts';

const TEXT: KeyClass[] = Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? 'space' : i % 11 === 3 ? 'digit' : 'letter'));

/** A person: a mean flight per position and a hold, varying rep to rep (log-normal, sd 0.2-0.3). */
function person(rng: Rng) {
  const speed = 120 + 100 * rng.float();
  return {
    flight: TEXT.map(() => speed * Math.exp(0.35 * rng.normal())),
    hold: 80 + 40 * rng.float(),
    sigma: 0.2 + 0.1 * rng.float(),
  };
}

/** `reps` repetitions of TEXT, 1.5 s apart, plus a pointer path before each. */
function session(p: ReturnType<typeof person>, rng: Rng, reps = 12, pointer = true): BatchEvent[] {
  const out: BatchEvent[] = [];
  let t = 100;
  for (let r = 0; r < reps; r++) {
    if (pointer) {
      let x = 100 + 600 * rng.float();
      let y = 100 + 400 * rng.float();
      for (let i = 0; i < 40; i++) {
        x += 8 + 4 * Math.sin(i / 5) + rng.normal();
        y += 3 * Math.cos(i / 7) + rng.normal();
        t += 16 + 4 * rng.float();
        out.push({ type: 'pointermove', t, x: Math.round(x), y: Math.round(y) });
      }
      t += 300;
    }
    const strokes: BatchEvent[] = [];
    for (let i = 0; i < TEXT.length; i++) {
      t += p.flight[i]! * Math.exp(p.sigma * rng.normal());
      const hold = p.hold * Math.exp(0.15 * rng.normal());
      strokes.push({ type: 'keydown', t, keyClass: TEXT[i] }, { type: 'keyup', t: t + hold, keyClass: TEXT[i] });
    }
    strokes.sort((a, b) => a.t - b.t);
    out.push(...strokes);
    t = Math.max(t, strokes[strokes.length - 1]!.t) + 1500;
  }
  return out;
}

/** The collector's 3-second windows, starting at the first event. */
function cut(events: readonly BatchEvent[]): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  for (let s = 0; s < events.length; ) {
    let e = s;
    while (e < events.length && events[e]!.t < events[s]!.t + 3000 && e - s < 500) e++;
    out.push(events.slice(s, e));
    s = e;
  }
  return out;
}

function replay(events: readonly BatchEvent[], rng: Rng, warp: number, sdMs: number, px: number, skip = 7): BatchEvent[] {
  return events
    .slice(skip)
    .map((e) => ({ ...e, t: 5000 + e.t * warp + sdMs * rng.normal(), ...(e.x !== undefined ? { x: e.x + px * rng.normal(), y: e.y! + px * rng.normal() } : {}) }))
    .sort((a, b) => a.t - b.t);
}

describe('replay index', () => {
  it('matches replays with warp 0.8 and 1.25 and timing noise sd 10 ms, re-cut', () => {
    const rng = new Rng(3);
    const idx = createReplayIndex();
    const sources = Array.from({ length: 6 }, () => session(person(rng), rng));
    sources.forEach((s, i) => cut(s).forEach((w) => idx.add(`p${i}`, idx.fingerprint(w))));
    let total = 0;
    let flagged = 0;
    for (const warp of [0.8, 1.25]) {
      sources.forEach((s, i) => {
        const windows = cut(replay(s, rng, warp, 10, 3));
        const flags = windows.map((w) => idx.match(`r${i}-${warp}`, idx.fingerprint(w))).filter((m) => m?.replay);
        expect(flags.length).toBeGreaterThan(0);
        total += windows.length;
        flagged += flags.length;
        for (const m of flags) {
          expect(m!.sessionId).toBe(`p${i}`);
          expect(m!.warp).toBeCloseTo(warp, 1);
        }
      });
    }
    expect(flagged / total).toBeGreaterThan(0.2);
  });

  it('matches a keys-only replay too', () => {
    const rng = new Rng(4);
    const idx = createReplayIndex();
    const s = session(person(rng), rng, 12, false);
    cut(s).forEach((w) => idx.add('src', idx.fingerprint(w)));
    const flags = cut(replay(s, rng, 1.25, 10, 0)).map((w) => idx.match('copy', idx.fingerprint(w)));
    expect(flags.filter((m) => m?.replay && m.modality === 'keys' && m.sessionId === 'src').length).toBeGreaterThan(2);
  });

  it('does not call people typing the same text (or the same person again) a replay', () => {
    const rng = new Rng(5);
    const idx = createReplayIndex();
    const people = Array.from({ length: 30 }, () => person(rng));
    people.forEach((p, i) => cut(session(p, rng, 12, false)).forEach((w) => idx.add(`p${i}`, idx.fingerprint(w))));
    let windows = 0;
    let flagged = 0;
    people.forEach((p, i) => {
      // A new session of the same person: a different take on the same text.
      for (const w of cut(session(p, rng, 12, false))) {
        windows++;
        if (idx.match(`again${i}`, idx.fingerprint(w))?.replay) flagged++;
      }
    });
    expect(windows).toBeGreaterThan(300);
    expect(flagged).toBe(0);
  });

  it('stays within maxWindows, evicting the oldest sessions', () => {
    const rng = new Rng(6);
    const idx = createReplayIndex({ maxWindows: 50 });
    const first = session(person(rng), rng);
    cut(first).forEach((w) => idx.add('first', idx.fingerprint(w)));
    for (let i = 0; i < 20; i++) cut(session(person(rng), rng)).forEach((w) => idx.add(`s${i}`, idx.fingerprint(w)));
    const size = idx.size();
    expect(size.windows).toBeLessThanOrEqual(50);
    expect(size.postings).toBeLessThan(50 * 400);
    // The first session is gone: its replay matches nothing any more.
    const flags = cut(replay(first, rng, 1, 2, 1)).map((w) => idx.match('copy', idx.fingerprint(w)));
    expect(flags.some((m) => m?.sessionId === 'first')).toBe(false);
  });

  it('gives warp-invariant fingerprints', () => {
    const rng = new Rng(7);
    const idx = createReplayIndex();
    const w = cut(session(person(rng), rng))[3]!;
    const a = new Set(idx.fingerprint(w).hashes);
    expect(a.size).toBeGreaterThan(20);
    for (const warp of [0.8, 1.25]) {
      const b = idx.fingerprint(w.map((e) => ({ ...e, t: e.t * warp })));
      const same = [...b.hashes].filter((h) => a.has(h)).length;
      expect(same / b.hashes.length).toBeGreaterThan(0.95);
    }
  });
});
