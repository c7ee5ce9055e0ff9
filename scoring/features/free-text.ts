// Free-text keystroke features of one window: robust summaries of hold, keydown-keydown and
// keyup-keydown latencies overall, by key class and by digraph class, plus seed 003's six (speed,
// hold, transition, error rate, speed-accuracy and rhythm ratios). Missing values are imputed from
// the overall figure, so every entry is finite.
import type { BatchEvent, KeyClass } from '../batch.ts';
import { KEYSTROKE_RULES } from './keystroke.ts';

export const FREE_TEXT_FEATURES = [
  'hold_median', 'hold_iqr', 'dd_median', 'dd_iqr', 'ud_median', 'ud_iqr',
  'hold_letter', 'hold_space', 'hold_other',
  'dd_letter_letter', 'dd_letter_space', 'dd_space_letter', 'ud_letter_letter',
  'rollover_share', 'pause_share',
  'typing_speed_wpm', 'key_hold_ms', 'transition_ms', 'error_rate_pct', 'speed_accuracy_ratio', 'rhythm_ratio',
] as const;
export type FreeTextFeature = (typeof FREE_TEXT_FEATURES)[number];

export interface FreeTextWindow {
  keystrokes: number;
  judged: boolean;
  reason?: 'too_few_keystrokes';
  /** One finite value per FREE_TEXT_FEATURES entry. */
  vector: Float64Array;
}

export interface Stroke {
  down: number;
  up: number;
  cls: KeyClass;
}

/** Keydown with the class "other" and no keyup (Android keyCode 229 input events) still counts as a stroke. */
export function strokesOf(events: readonly BatchEvent[]): Stroke[] {
  const open = new Map<string, { t: number; cls: KeyClass }[]>();
  const strokes: Stroke[] = [];
  for (const e of events) {
    if (e.type !== 'keydown' && e.type !== 'keyup') continue;
    if (!Number.isFinite(e.t)) continue;
    const cls = e.keyClass ?? 'other';
    const key = `${cls}\u0000${e.field ?? ''}`;
    if (e.type === 'keydown') {
      const q = open.get(key);
      if (q) q.push({ t: e.t, cls });
      else open.set(key, [{ t: e.t, cls }]);
    } else {
      const d = open.get(key)?.shift();
      if (d) strokes.push({ down: d.t, up: e.t, cls });
    }
  }
  // Unpaired keydowns (soft keyboards send no usable keyup): a stroke of unknown hold.
  for (const q of open.values()) for (const d of q) strokes.push({ down: d.t, up: NaN, cls: d.cls });
  return strokes.sort((a, b) => a.down - b.down);
}

export function freeTextFeatures(events: readonly BatchEvent[]): FreeTextWindow {
  const strokes = strokesOf(events);
  const holds: number[] = [];
  const holdBy: Record<'letter' | 'space' | 'other', number[]> = { letter: [], space: [], other: [] };
  const dd: number[] = [];
  const ud: number[] = [];
  const ddBy: Record<'ll' | 'ls' | 'sl', number[]> = { ll: [], ls: [], sl: [] };
  const udLL: number[] = [];
  let pauses = 0;
  let gaps = 0;
  let backspaces = 0;
  for (let i = 0; i < strokes.length; i++) {
    const s = strokes[i]!;
    if (s.cls === 'backspace') backspaces++;
    const hold = s.up - s.down;
    if (hold >= 0 && hold <= KEYSTROKE_RULES.maxHoldMs) {
      holds.push(hold);
      holdBy[s.cls === 'letter' ? 'letter' : s.cls === 'space' ? 'space' : 'other'].push(hold);
    }
    const next = strokes[i + 1];
    if (!next) continue;
    const gap = next.down - s.down;
    gaps++;
    if (!(gap <= KEYSTROKE_RULES.maxGapMs)) {
      pauses++;
      continue;
    }
    dd.push(gap);
    const l = s.cls === 'letter';
    const nl = next.cls === 'letter';
    if (l && nl) ddBy.ll.push(gap);
    else if (l && next.cls === 'space') ddBy.ls.push(gap);
    else if (s.cls === 'space' && nl) ddBy.sl.push(gap);
    const u = next.down - s.up;
    if (Number.isFinite(u)) {
      ud.push(u);
      if (l && nl) udLL.push(u);
    }
  }
  const hMed = med(holds, 0);
  const ddMed = med(dd, 0);
  const udMed = med(ud, 0);
  const hMean = avg(holds, 0);
  const ddMean = avg(dd, 0);
  const transition = avg(ud.filter((v) => v >= 0), Math.max(0, ddMean - hMean));
  const span = strokes.length > 1 ? strokes[strokes.length - 1]!.down - strokes[0]!.down : 0;
  // Words per minute with the usual 5 characters per word, over the active typing time only.
  const activeMs = dd.reduce((s, v) => s + v, 0);
  const wpm = activeMs > 0 ? (dd.length / 5) * (60000 / activeMs) : 0;
  const errorPct = strokes.length ? (100 * backspaces) / strokes.length : 0;
  const vector = Float64Array.of(
    hMed, iqr(holds), ddMed, iqr(dd), udMed, iqr(ud),
    med(holdBy.letter, hMed), med(holdBy.space, hMed), med(holdBy.other, hMed),
    med(ddBy.ll, ddMed), med(ddBy.ls, ddMed), med(ddBy.sl, ddMed), med(udLL, udMed),
    ud.length ? ud.filter((v) => v < 0).length / ud.length : 0,
    gaps ? pauses / gaps : 0,
    wpm, hMean, transition, errorPct, wpm / (errorPct + 1), transition > 0 ? hMean / transition : 0,
  ).map((v) => (Number.isFinite(v) && span >= 0 ? v : 0));
  const judged = holds.length >= KEYSTROKE_RULES.minKeystrokes && dd.length >= 2;
  return judged ? { keystrokes: strokes.length, judged, vector } : { keystrokes: strokes.length, judged, reason: 'too_few_keystrokes', vector };
}

function sorted(v: readonly number[]): number[] {
  return [...v].sort((a, b) => a - b);
}

function q(s: readonly number[], p: number): number {
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function med(v: readonly number[], missing: number): number {
  return v.length ? q(sorted(v), 0.5) : missing;
}

function iqr(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const s = sorted(v);
  return q(s, 0.75) - q(s, 0.25);
}

function avg(v: readonly number[], missing: number): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : missing;
}
