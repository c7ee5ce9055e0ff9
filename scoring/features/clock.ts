// The resolution of the clock that stamped a window's events. Browsers that resist fingerprinting
// (Firefox's resistFingerprinting, LibreWolf, Tor Browser) round event times, to 100 ms in some versions;
// on such a clock a person's key intervals repeat exactly, holds read 0 and bursts read 0 ms apart,
// so rules about fine timing would take the clock for a program (`cadence eval sessions
// --clock-ms 100` challenged 40-73 % of the public typists before they abstained). A clock is
// coarse when every stamp sits on one grid: by chance a fine clock's stamps (0.1 ms) fall within
// 0.06 ms of a 33.3 ms grid 0.4 % of the time, so eight stamps on it never happen by chance.
import type { BatchEvent } from '../batch.ts';

/**
 * Grids coarser than the timing rules can bear, coarsest first (ms). Finer ones (16.67 ms, 15.6 ms,
 * Firefox's 1 ms) leave people unflagged (`eval sessions --clock-ms 16.67`: 0 %), and are kept
 * judged: a generated session on a round grid is not thereby excused.
 */
const GRIDS = [100, 50, 100 / 3] as const;
/** A stamp within this of a grid line is on it (the collector rounds times to 0.1 ms). */
const ON_GRID_MS = 0.06;
/** Stamps needed before a grid is believed. */
const MIN_STAMPS = 8;

/** The coarsest of GRIDS every given time sits on, or 0 (a fine enough clock, or too few times). */
export function clockGrid(times: readonly number[]): number {
  if (times.length < MIN_STAMPS) return 0;
  for (const q of GRIDS) {
    let on = true;
    for (const t of times) {
      if (Math.abs(t - Math.round(t / q) * q) > ON_GRID_MS) {
        on = false;
        break;
      }
    }
    if (on) return Math.round(q * 1000) / 1000;
  }
  return 0;
}

/** The grid of the window's key events (0: fine). */
export function keyClockGrid(events: readonly BatchEvent[]): number {
  const times: number[] = [];
  for (const e of events) if (e.type === 'keydown' || e.type === 'keyup') times.push(e.t);
  return clockGrid(times);
}
