// What the pointer evaluations (eval submovements, eval flat-speed) share: a session test that counts
// judged units per window (reaches, movements) and how many of them were too clean for a hand, raised
// by a binomial tail (scoring/features/submovements.ts tooManyFor), read over people's
// stretches and bots' sessions.
import { tooManyFor } from '../../scoring/features/submovements.ts';

/** One window's judged units and how many were too clean (one sub-movement, a flat speed). */
export interface Counts {
  n: number;
  k: number;
}

export interface BinomialTest {
  p0: number;
  alpha: number;
}

const NONE: Counts = { n: 0, k: 0 };
export const sum = (ws: readonly Counts[]): Counts => ws.reduce((a, b) => ({ n: a.n + b.n, k: a.k + b.k }), NONE);
export const share = (c: Counts): number | null => (c.n ? +(c.k / c.n).toFixed(4) : null);

/**
 * Times the session test is raised over a run of windows: as the live evidence does since session
 * 12's review, a window raises only when it adds a too-clean unit of its own while the test holds
 * (before session 13 this counted every window with units, which overstated bots' second raises).
 * `minK`: the fewest too-clean units before the test may hold (REVERSAL_TEST.minReversed).
 */
export function raises(ws: readonly Counts[], test: BinomialTest, minK = 0): number {
  let total = NONE;
  let raised = 0;
  for (const w of ws) {
    if (w.n === 0) continue;
    total = { n: total.n + w.n, k: total.k + w.k };
    if (w.k > 0 && total.k >= minK && tooManyFor(total.n, total.k, test)) raised++;
  }
  return raised;
}

/** A session's windows in stretches of `size` windows (the people's short visits). */
export const stretches = <T>(ws: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(ws.length / size) }, (_, i) => ws.slice(i * size, (i + 1) * size));

export interface CountRow {
  source: string;
  clock: string;
  sessions: number;
  /** Units judged, and the share of them too clean. */
  units: number;
  clean_share: number | null;
  /** Sessions raised once (monitor) and twice (challenge on this signal alone). */
  raised_once_pct: number;
  raised_twice_pct: number;
}

export function countRow(source: string, clock: string, sessions: readonly Counts[][], test: BinomialTest, minK = 0): CountRow {
  const all = sum(sessions.flat());
  const r = sessions.map((s) => raises(s, test, minK));
  const pct = (k: number) => +((100 * k) / Math.max(1, sessions.length)).toFixed(1);
  return { source, clock, sessions: sessions.length, units: all.n, clean_share: share(all), raised_once_pct: pct(r.filter((x) => x >= 1).length), raised_twice_pct: pct(r.filter((x) => x >= 2).length) };
}
