// Does a session's typing depend on the keys, as a person's does? Two facts of the motor system that
// hold for typists of every speed and style we could measure (Aalto free text, CMU password typists),
// each tested by ranks within one window, so that under "every interval an independent draw of one
// law" (a bot drawing holds and flights i.i.d. from log-normal, gamma or any other law) the session's
// statistics are standard normal whatever the law, its median or its spread:
//
// - release and next press are not chained: a person plans the next keydown from the last keydown,
//   and lets the key up on its own clock (often after the next key is down: rollover). So a longer
//   hold is followed by a shorter keyup-to-keydown flight: Spearman's rho(hold, flight) < 0
//   (session z: Aalto -0.04 to -12.7, CMU median -4.6). A program that sleeps a hold, then a
//   flight, has rho = 0.
// - a change of key class (letter to digit, a word's space, punctuation) costs time: the
//   keydown-to-keydown interval is longer on a class switch than within a class (rank-sum z: Aalto
//   -0.5 to 10, CMU 1.3 to 15.6). A program's draws ignore what the key is.
//
// Each person showed at least one of the two strongly (no one neither), so the session's statistic
// is their sum: z = (z_switch - z_holdFlight) / sqrt(2), about N(0, 1) for i.i.d. timings and
// growing with every key for a person. It is judged only once both tests have information (a
// password of one class, e.g. Kaggle's 13 letters, or a phone's keys of class 'other', never is).
import type { BatchEvent } from '../batch.ts';
import { strokesOf } from './free-text.ts';

export const TYPING_DEPENDENCE_RULES = {
  /** Key intervals longer than this are pauses, not rhythm (ms; as scoring/features/automation.ts). */
  pauseMs: 1500,
  /** Pairs in a window below this say nothing about rank correlation. */
  minPairs: 4,
  /** Session information (sum over windows of pairs - 1) before the hold-flight test counts. */
  minHoldFlightInfo: 20,
  /** Session information (rank-sum variance, n1 n2 (N + 1) / 12) before the class-switch test counts. */
  minSwitchInfo: 10,
  /**
   * The session is judged independent of its keys when z falls below this: the evidence points
   * away from every person's direction. CMU (where it was chosen): lowest z of 51 typists at the
   * first judged point 1.08; Aalto (checked): 0.57.
   */
  maxZ: 0,
} as const;

/** What one window adds to the session's tests: rank statistics and their null variances. */
export interface TypingDependence {
  /** Sum over windows of Spearman's rho(hold, flight) times (pairs - 1); its null variance is hfInfo. */
  hf: number;
  hfInfo: number;
  /** Rank sum of class-switch intervals minus its null mean; its null variance is swInfo. */
  sw: number;
  swInfo: number;
}

export const NO_TYPING: TypingDependence = Object.freeze({ hf: 0, hfInfo: 0, sw: 0, swInfo: 0 });

/** Classes whose timing is a finger on a known key (Shift overlaps the key it modifies by design). */
const SKIP = new Set(['shift', 'modifier', 'other']);

/** Mid-ranks (1-based, ties averaged) of v, in place of a copy. */
function ranks(v: Float64Array, n: number): Float64Array {
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

export function typingDependence(events: readonly BatchEvent[], rules = TYPING_DEPENDENCE_RULES): TypingDependence {
  const strokes = strokesOf(events);
  const m = strokes.length;
  const hold = new Float64Array(m);
  const flight = new Float64Array(m);
  const dd = new Float64Array(m);
  const switched: boolean[] = [];
  let n = 0;
  for (let i = 0; i + 1 < m; i++) {
    const a = strokes[i]!;
    const b = strokes[i + 1]!;
    const gap = b.down - a.down;
    if (!(gap > 0 && gap <= rules.pauseMs) || !Number.isFinite(a.up) || SKIP.has(a.cls) || SKIP.has(b.cls)) continue;
    hold[n] = a.up - a.down;
    flight[n] = b.down - a.up;
    dd[n] = gap;
    switched.push(a.cls !== b.cls);
    n++;
  }
  if (n < rules.minPairs) return NO_TYPING;
  const mid = (n + 1) / 2;
  const rh = ranks(hold, n);
  const rf = ranks(flight, n);
  let c = 0;
  let vh = 0;
  let vf = 0;
  for (let i = 0; i < n; i++) {
    c += (rh[i]! - mid) * (rf[i]! - mid);
    vh += (rh[i]! - mid) ** 2;
    vf += (rf[i]! - mid) ** 2;
  }
  const rho = vh > 0 && vf > 0 ? c / Math.sqrt(vh * vf) : 0;
  let n1 = 0;
  let r1 = 0;
  const rd = ranks(dd, n);
  for (let i = 0; i < n; i++) {
    if (!switched[i]) continue;
    n1++;
    r1 += rd[i]!;
  }
  const n2 = n - n1;
  const both = n1 > 0 && n2 > 0;
  return { hf: rho * (n - 1), hfInfo: n - 1, sw: both ? r1 - (n1 * (n + 1)) / 2 : 0, swInfo: both ? (n1 * n2 * (n + 1)) / 12 : 0 };
}

export function addTyping(a: TypingDependence, b: TypingDependence): TypingDependence {
  return { hf: a.hf + b.hf, hfInfo: a.hfInfo + b.hfInfo, sw: a.sw + b.sw, swInfo: a.swInfo + b.swInfo };
}

/** The session's z (NaN until both tests have enough information): low means "ignores its keys". */
export function typingZ(t: TypingDependence, rules = TYPING_DEPENDENCE_RULES): number {
  if (t.hfInfo < rules.minHoldFlightInfo || t.swInfo < rules.minSwitchInfo) return NaN;
  return (t.sw / Math.sqrt(t.swInfo) - t.hf / Math.sqrt(t.hfInfo)) / Math.SQRT2;
}
