// The clock's grid: browsers that resist fingerprinting round event times to 16.67 or 100 ms.
import { describe, expect, it } from 'vitest';
import { clockGrid, keyClockGrid } from '../../scoring/features/clock.ts';

const stamps = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => Math.round(f(i) * 10) / 10);

describe('clockGrid', () => {
  it('finds the coarsest grid the stamps sit on, as the collector rounds them (0.1 ms)', () => {
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const fine = stamps(40, (i) => 1000 + i * 137 + rand() * 60);
    expect(clockGrid(fine)).toBe(0);
    expect(clockGrid(fine.map((t) => Math.floor(t / 100) * 100))).toBe(100);
    expect(clockGrid(stamps(40, (i) => Math.floor((1000 + i * 137 + rand() * 60) / (100 / 3)) * (100 / 3)))).toBe(33.333);
    // A grid the rules bear (16.67 ms) is judged as a fine clock.
    expect(clockGrid(stamps(40, (i) => Math.floor((1000 + i * 137 + rand() * 60) / (50 / 3)) * (50 / 3)))).toBe(0);
    expect(clockGrid(stamps(40, (i) => (i * 3 + 1) * 50))).toBe(50);
  });

  it('believes a grid only from eight stamps on', () => {
    expect(clockGrid([100, 200, 300, 400, 500, 600, 700])).toBe(0);
    expect(clockGrid([100, 200, 300, 400, 500, 600, 700, 800])).toBe(100);
  });

  it('looks at key events only', () => {
    const keys = stamps(10, (i) => i * 100).flatMap((t) => [{ type: 'keydown' as const, t, keyClass: 'letter' as const }]);
    const moves = stamps(10, (i) => 13.3 + i * 7.1).map((t) => ({ type: 'pointermove' as const, t, x: 1, y: 1 }));
    expect(keyClockGrid([...keys, ...moves])).toBe(100);
  });
});
