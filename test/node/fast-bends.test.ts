// Fast at a bend (scoring/features/fast-bends.ts): a hand slows where its path turns; a curve whose
// speed is laid over it by time alone may turn at full speed.
import { describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../scoring/batch.ts';
import { fastBends } from '../../scoring/features/fast-bends.ts';
import { pointerTooClean } from '../../scoring/features/clean-pointer.ts';

/** An L-shaped movement: 400 px right, then 400 px down, sampled every `dt` ms, speed given by `speed(u)` over the path (u in 0..1). */
function lPath(speed: (u: number) => number, dt = 8, t0 = 0): BatchEvent[] {
  const out: BatchEvent[] = [];
  let s = 0, t = t0;
  while (s < 800) {
    const x = Math.min(s, 400), y = Math.max(0, s - 400);
    out.push({ type: 'pointermove', t: Math.round(t * 10) / 10, x: Math.round(100 + x), y: Math.round(100 + y), pointerType: 'mouse' } as BatchEvent);
    s += Math.max(0.02, speed(s / 800)) * dt;
    t += dt;
  }
  return out;
}

describe('fast bends', () => {
  it('an L taken at an even bell-shaped speed peaking at the corner is a fast bend', () => {
    const bell = (u: number) => 0.1 + 2 * Math.sin(Math.PI * u) ** 2;
    expect(fastBends(lPath(bell))).toEqual({ bends: 1, fast: 1 });
  });

  it('the same L slowing to a near stop at the corner (as a hand does) is a slow bend', () => {
    const twoReaches = (u: number) => 0.05 + 2 * Math.sin(2 * Math.PI * u) ** 2;
    expect(fastBends(lPath(twoReaches))).toEqual({ bends: 1, fast: 0 });
  });

  it('a straight movement has no bend; two movements split by a rest are judged apart; pens are not mice', () => {
    const straight: BatchEvent[] = Array.from({ length: 60 }, (_, i) => ({ type: 'pointermove', t: i * 8, x: 100 + i * 10, y: 200, pointerType: 'mouse' }) as BatchEvent);
    expect(fastBends(straight)).toEqual({ bends: 0, fast: 0 });
    const bell = (u: number) => 0.1 + 2 * Math.sin(Math.PI * u) ** 2;
    const first = lPath(bell);
    const second = lPath(bell, 8, first.at(-1)!.t + 1000);
    expect(fastBends([...first, ...second])).toEqual({ bends: 2, fast: 2 });
    expect(fastBends(first.map((e) => ({ ...e, pointerType: 'pen' })))).toEqual({ bends: 0, fast: 0 });
  });

  it('on a coarse clock (~100 ms between samples) the bend is still found', () => {
    const bell = (u: number) => 0.1 + 1.2 * Math.sin(Math.PI * u) ** 2;
    expect(fastBends(lPath(bell, 100)).bends).toBe(1);
  });

  it('bad input is skipped, not thrown on', () => {
    const junk = [{ type: 'pointermove', t: Number.NaN, x: 1, y: 1 }, { type: 'pointermove', t: 5, x: undefined, y: 2 }, { type: 'keydown', t: 9 }] as unknown as BatchEvent[];
    expect(fastBends(junk)).toEqual({ bends: 0, fast: 0 });
  });

  it('counts with the reaches in the joint test: fast bends and clean reaches together raise it, either alone at these counts does not', () => {
    expect(pointerTooClean({ n: 3, single: 3, bends: 2, fastBends: 2 })).toBe(true); // 0.064 x 0.0225
    expect(pointerTooClean({ n: 3, single: 3 })).toBe(false);
    // Bends are part of movements: with three movements none flat, three fast bends are not enough
    // (P(Bin(3, 0.05) + Bin(3, 0.15) >= 3) = 0.014 > 0.01), a fourth movement and bend is.
    expect(pointerTooClean({ n: 0, single: 0, moves: 3, flat: 0, bends: 3, fastBends: 3 })).toBe(false);
    expect(pointerTooClean({ n: 0, single: 0, moves: 4, flat: 0, bends: 4, fastBends: 4 })).toBe(true);
  });
});
