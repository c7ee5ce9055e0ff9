// Keystroke rhythm of one window of events: hold (keyup - keydown of the same key), keydown-keydown
// and keyup-keydown latencies, summarised as means and standard deviations. No key values are
// needed: a keyup is paired with the oldest open keydown of the same key class and field.
import type { BatchEvent } from '../batch.ts';

export const KEYSTROKE_FEATURES = ['hold_mean', 'hold_sd', 'dd_mean', 'dd_sd', 'ud_mean', 'ud_sd'] as const;
export type KeystrokeFeature = (typeof KEYSTROKE_FEATURES)[number];

export const KEYSTROKE_RULES = {
  /** Fewer completed keystrokes than this and the window is not judged. */
  minKeystrokes: 6,
  /** A key held longer is a deliberate hold (or a lost keyup), not rhythm. */
  maxHoldMs: 2000,
  /** A gap longer than this between keys is a pause to think, not rhythm. */
  maxGapMs: 1500,
} as const;

export interface KeystrokeTimings {
  holds: number[];
  /** keydown(i+1) - keydown(i), for consecutive keystrokes within maxGapMs. */
  dd: number[];
  /** keydown(i+1) - keyup(i); negative when keys overlap (rollover). */
  ud: number[];
}

export interface KeystrokeWindow {
  keystrokes: number;
  /** False when the window has too few keystrokes to say anything. */
  judged: boolean;
  /** One value per KEYSTROKE_FEATURES entry; NaN where a value could not be measured. */
  vector: Float64Array;
}

interface Stroke {
  down: number;
  up: number;
}

/** Completed keystrokes (down and up paired) in keydown order. */
export function pairKeystrokes(events: readonly BatchEvent[]): Stroke[] {
  const open = new Map<string, number[]>();
  const strokes: Stroke[] = [];
  for (const e of events) {
    if (e.type !== 'keydown' && e.type !== 'keyup') continue;
    const key = `${e.keyClass ?? 'other'}\u0000${e.field ?? ''}`;
    if (e.type === 'keydown') {
      const queue = open.get(key);
      if (queue) queue.push(e.t);
      else open.set(key, [e.t]);
      continue;
    }
    const down = open.get(key)?.shift();
    if (down !== undefined) strokes.push({ down, up: e.t });
  }
  return strokes.sort((a, b) => a.down - b.down);
}

export function keystrokeTimings(events: readonly BatchEvent[]): KeystrokeTimings {
  const strokes = pairKeystrokes(events);
  const holds: number[] = [];
  const dd: number[] = [];
  const ud: number[] = [];
  for (let i = 0; i < strokes.length; i++) {
    const s = strokes[i]!;
    const hold = s.up - s.down;
    if (hold >= 0 && hold <= KEYSTROKE_RULES.maxHoldMs) holds.push(hold);
    const next = strokes[i + 1];
    if (!next) continue;
    const gap = next.down - s.down;
    if (gap <= KEYSTROKE_RULES.maxGapMs) {
      dd.push(gap);
      ud.push(next.down - s.up);
    }
  }
  return { holds, dd, ud };
}

function meanSd(values: readonly number[]): [number, number] {
  if (values.length === 0) return [NaN, NaN];
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  if (values.length < 2) return [mean, NaN];
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return [mean, Math.sqrt(sq / (values.length - 1))];
}

export function keystrokeFeatures(events: readonly BatchEvent[]): KeystrokeWindow {
  const { holds, dd, ud } = keystrokeTimings(events);
  const [holdMean, holdSd] = meanSd(holds);
  const [ddMean, ddSd] = meanSd(dd);
  const [udMean, udSd] = meanSd(ud);
  const vector = Float64Array.of(holdMean, holdSd, ddMean, ddSd, udMean, udSd);
  return { keystrokes: holds.length, judged: holds.length >= KEYSTROKE_RULES.minKeystrokes && dd.length >= 2, vector };
}
