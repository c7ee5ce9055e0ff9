// Replay detection (scoring/features/replay.ts) on synthetic fixtures: a warped, noised, re-cut
// replay is matched; two people typing the same text are not; memory is bounded; fingerprints
// do not move under a time warp.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { KEY_CLASSES } from '../../scoring/batch-limits.ts';
import { createReplayIndex } from '../../scoring/features/replay.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { cut, person, replay, session } from '../helpers/replay-fixtures.ts';

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

  it('does not call people moving between the same fields at the same pace a replay of one another', () => {
    // Everyone on a login page goes from the user name to the password field to the button: paths
    // between the same fields, bell-shaped speed, 125 Hz with a host's jitter; each person their own
    // duration and bow, each visit its own point in the field and a slow wobble of the hand.
    const rng = new Rng(8);
    const fields: [number, number][] = [[220, 300], [640, 320], [640, 420], [700, 520]];
    const walk = (style: { ms: number; bow: number }, t0: number): BatchEvent[] => {
      const out: BatchEvent[] = [];
      const at = fields.map(([x, y]): [number, number] => [x + 60 * (rng.float() - 0.5), y + 12 * (rng.float() - 0.5)]);
      let t = t0;
      for (let k = 1; k < at.length; k++) {
        const [ax, ay] = at[k - 1]!;
        const [bx, by] = at[k]!;
        const ms = style.ms * (0.9 + 0.2 * rng.float());
        const phase = 2 * Math.PI * rng.float();
        for (let u = 0; u <= ms; u += 8 + 0.4 * rng.normal()) {
          const s = u / ms;
          const p = s * s * s * (10 - 15 * s + 6 * s * s);
          const bow = style.bow * Math.sin(Math.PI * p) + 2 * Math.sin(phase + 6 * Math.PI * s);
          out.push({ type: 'pointermove', t: t + u, x: Math.round(ax + (bx - ax) * p - ((by - ay) * bow) / 400), y: Math.round(ay + (by - ay) * p + ((bx - ax) * bow) / 400) });
        }
        t += ms + 400 + 300 * rng.float();
      }
      return out;
    };
    const people = Array.from({ length: 40 }, () => ({ ms: 500 + 300 * rng.float(), bow: 30 * rng.normal() }));
    const idx = createReplayIndex();
    people.forEach((p, i) => idx.add(`p${i}`, idx.fingerprint(walk(p, 1000))));
    let others = 0;
    people.forEach((p, i) => {
      for (let again = 0; again < 3; again++) {
        const m = idx.match(`again${i}-${again}`, idx.fingerprint(walk(p, 1000)));
        if (m?.replay && m.sessionId !== `p${i}`) others++;
      }
    });
    expect(others).toBe(0);
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
