// Synthetic people typing a fixed text with a pointer path before each repetition, the collector's
// 3-second windows, and a replayer (time warp, timing and spatial noise, a different cut): the
// fixtures of the replay tests (test/node/replay*.test.ts).
import type { BatchEvent } from '../../scoring/batch.ts';
import type { KeyClass } from '../../scoring/batch-limits.ts';
import type { Rng } from '../../scoring/models/rng.ts';

const TEXT: KeyClass[] = Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? 'space' : i % 11 === 3 ? 'digit' : 'letter'));

/** A person: a mean flight per position and a hold, varying rep to rep (log-normal, sd 0.2-0.3). */
export function person(rng: Rng) {
  const speed = 120 + 100 * rng.float();
  return {
    flight: TEXT.map(() => speed * Math.exp(0.35 * rng.normal())),
    hold: 80 + 40 * rng.float(),
    sigma: 0.2 + 0.1 * rng.float(),
  };
}

/** `reps` repetitions of TEXT, 1.5 s apart, plus a pointer path before each. */
export function session(p: ReturnType<typeof person>, rng: Rng, reps = 12, pointer = true): BatchEvent[] {
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
export function cut(events: readonly BatchEvent[]): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  for (let s = 0; s < events.length; ) {
    let e = s;
    while (e < events.length && events[e]!.t < events[s]!.t + 3000 && e - s < 500) e++;
    out.push(events.slice(s, e));
    s = e;
  }
  return out;
}

export function replay(events: readonly BatchEvent[], rng: Rng, warp: number, sdMs: number, px: number, skip = 7): BatchEvent[] {
  return events
    .slice(skip)
    .map((e) => ({ ...e, t: 5000 + e.t * warp + sdMs * rng.normal(), ...(e.x !== undefined ? { x: e.x + px * rng.normal(), y: e.y! + px * rng.normal() } : {}) }))
    .sort((a, b) => a.t - b.t);
}

