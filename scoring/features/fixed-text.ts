// Per-position keystroke timings of a fixed text (a password field): hold, keydown-keydown and
// keyup-keydown of each position, as in the CMU benchmark; no key values, only the order typed.
import type { BatchEvent } from '../batch.ts';
import { pairKeystrokes } from './keystroke.ts';

export interface FixedTextWindow {
  /** Keystrokes found; the text length the caller expects may differ. */
  keystrokes: number;
  /** False when the window does not hold exactly `length` completed keystrokes. */
  judged: boolean;
  reason?: 'too_few_keystrokes' | 'too_many_keystrokes';
  /** length holds, then length-1 DD, then length-1 UD latencies (ms); 0 where missing. */
  vector: Float64Array;
}

/** Feature names for a text of `length` keys: H.i, DD.i, UD.i. */
export function fixedTextFeatureNames(length: number): string[] {
  const n = Math.max(0, Math.floor(length));
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(`H.${i}`);
  for (let i = 0; i + 1 < n; i++) names.push(`DD.${i}`);
  for (let i = 0; i + 1 < n; i++) names.push(`UD.${i}`);
  return names;
}

/**
 * Timings by position. Keystrokes are paired by `position` when both events carry it (so rollover
 * of same-class keys cannot mis-pair), otherwise by the oldest open keydown of the same class.
 */
export function fixedTextFeatures(events: readonly BatchEvent[], length: number): FixedTextWindow {
  const n = Math.max(0, Math.min(256, Math.floor(Number.isFinite(length) ? length : 0)));
  const strokes = pairByPosition(events) ?? pairKeystrokes(events);
  const vector = new Float64Array(n + 2 * Math.max(0, n - 1));
  const take = Math.min(n, strokes.length);
  for (let i = 0; i < take; i++) {
    const s = strokes[i]!;
    vector[i] = finite(s.up - s.down);
    const next = strokes[i + 1];
    if (i + 1 < n && next) {
      vector[n + i] = finite(next.down - s.down);
      vector[2 * n - 1 + i] = finite(next.down - s.up);
    }
  }
  const judged = n > 0 && strokes.length === n;
  const reason = judged ? undefined : strokes.length < n || n === 0 ? 'too_few_keystrokes' : 'too_many_keystrokes';
  return reason ? { keystrokes: strokes.length, judged, reason, vector } : { keystrokes: strokes.length, judged, vector };
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

function pairByPosition(events: readonly BatchEvent[]): { down: number; up: number }[] | undefined {
  const downs = new Map<number, number>();
  const ups = new Map<number, number>();
  for (const e of events) {
    if (e.type !== 'keydown' && e.type !== 'keyup') continue;
    if (e.position === undefined) return undefined;
    const map = e.type === 'keydown' ? downs : ups;
    if (!map.has(e.position)) map.set(e.position, e.t);
  }
  if (downs.size === 0) return undefined;
  const strokes: { down: number; up: number }[] = [];
  for (const [p, down] of downs) {
    const up = ups.get(p);
    if (up !== undefined) strokes.push({ down, up });
  }
  return strokes.sort((a, b) => a.down - b.down);
}
