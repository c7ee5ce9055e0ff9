// Variations of a person's recording that real people and their machines bring (timer precision, a
// busy page, pace, pointer gain): `cadence eval people-stress` judges the public people sets through
// them, and `cadence eval typing-bound --slower` fits on them. Each returns new events, times in ms
// rounded to 0.1 and never decreasing.
import type { BatchEvent } from '../../scoring/batch.ts';
import type { Rng } from '../../scoring/models/rng.ts';

export type Variant = (events: readonly BatchEvent[], rng: Rng) => BatchEvent[];

const round = (t: number) => Math.round(t * 10) / 10;
const ordered = (events: BatchEvent[]): BatchEvent[] => {
  let last = -Infinity;
  return events.map((e) => {
    last = Math.max(last, e.t);
    return e.t === last ? e : { ...e, t: last };
  });
};
export const clock = (q: number): Variant => (events) => events.map((e) => ({ ...e, t: Math.floor(e.t / q) * q }));
export const stretch = (k: number): Variant => (events) => events.map((e) => ({ ...e, t: round(e.t * k) }));
export const busy = (meanMs: number): Variant => (events, rng) => ordered(events.map((e) => ({ ...e, t: round(e.t - meanMs * Math.log(1 - rng.float())) })));

/**
 * A slower pace with the same holds: keydowns spread out by `k`, each key held as long as before. Most
 * overlaps (rollover) go, as for a typist who presses one key at a time: the case the hold-flight
 * test judges. (Moving each overlapping keyup before the next keydown instead ties a key's hold to
 * its interval, which no hand does: tried, and it made people fail the test for that reason.)
 */
export const slowerSameHolds = (k: number): Variant => (events) => {
  const downAt = new Map<string, number>();
  const out: BatchEvent[] = [];
  for (const e of events) {
    const key = `${e.keyClass}/${e.field ?? ''}`;
    if (e.type === 'keydown') {
      const t = round(e.t * k);
      downAt.set(key, t - e.t);
      out.push({ ...e, t });
    } else if (e.type === 'keyup' && downAt.has(key)) out.push({ ...e, t: round(e.t + downAt.get(key)!) });
    else out.push({ ...e, t: round(e.t * k) });
  }
  return ordered(out.sort((a, b) => a.t - b.t));
};

/** A pause of 2-12 s before one word in ten (after a space), everything later shifted. */
export const pauses: Variant = (events, rng) => {
  let shift = 0;
  return events.map((e, i) => {
    const prev = events[i - 1];
    if (e.type === 'keydown' && prev?.type === 'keyup' && prev.keyClass === 'space' && rng.float() < 0.1) shift += 2000 + 10_000 * rng.float();
    return { ...e, t: round(e.t + shift) };
  });
};

// Counts of `px` each; a fractional gain lands on the nearest pixel (steps of 1 and 2 px for 1.5).
export const grid = (px: number): Variant => (events) => events.map((e) => (e.x === undefined ? e : { ...e, x: Math.round(Math.round(e.x / px) * px), y: Math.round(Math.round(e.y! / px) * px) }));
export const highDpi: Variant = (events) => events.map((e) => (e.x === undefined ? e : { ...e, x: Math.round(e.x * 1.5) / 1.5, y: Math.round(e.y! * 1.5) / 1.5 }));
export const dropMoves: Variant = (events, rng) => events.filter((e) => e.type !== 'pointermove' || rng.float() >= 0.25);

