// Keys from a soft keyboard (a phone's or a tablet's on-screen keys): the browser sends each key's
// keydown and keyup back to back when the finger leaves the glass (iOS with the key's identity,
// Android mostly as class 'other'), so their holds are 0-2 ms whoever types, and the holds say
// nothing of the hand: not that it is a program (implausible_holds, scoring/features/automation.ts),
// not how it couples a hold to the next flight (typing_ignores_keys,
// scoring/features/typing-dependence.ts). A program pressing and releasing at once sends the same
// holds; the two cannot be told apart by them, so both rules stand aside. The same holds come from
// on-screen keyboards on desktops (accessibility: Windows' On-Screen Keyboard, switch and eye-gaze
// access), so no device claim would make them a program's.
import type { BatchEvent } from '../batch.ts';
import { pairKeystrokes } from './keystroke.ts';

export const SOFT_KEY_RULES = {
  /** A median hold under this (ms)... */
  maxHoldMs: 3,
  /** ...with keys at a typist's pace, a median keydown interval of at least this (ms; a field typed in an instant is no one's). */
  minIntervalMs: 25,
} as const;

/** Whether a window's holds are what a soft keyboard sends (see the header). */
export function softKeyHolds(medianHold: number, medianInterval: number, rules = SOFT_KEY_RULES): boolean {
  return medianHold < rules.maxHoldMs && medianInterval >= rules.minIntervalMs;
}

/** Whether the page said its device has a touch screen (collector/index.ts: the `touch` environment state). */
export function declaresTouch(events: readonly BatchEvent[]): boolean {
  for (const e of events) if (e.type === 'environment' && e.state === 'touch') return true;
  return false;
}

/**
 * Whether a window's keys are a touch screen's soft keyboard's: the page said its device has a touch
 * screen (or the window holds touches), and the median hold and median keydown interval of its paired
 * keys (scoring/features/keystroke.ts) are what softKeyHolds reads as a soft keyboard's. The
 * population keystroke profile, fitted on hardware keyboards, stands aside on such a window
 * (scoring/prescore.ts): its holds say nothing of the hand, and a thumb's pace is not a typist's.
 * Only on a touch screen: on a desktop the same holds come from a script pressing and letting go at
 * once (or an on-screen keyboard), and the profile's distance is what keeps those windows out of a
 * new user's enrolment (core/enrolment/enrol-rule.ts) and vetoes an owner's model over them.
 */
export function softKeyWindow(events: readonly BatchEvent[], rules = SOFT_KEY_RULES): boolean {
  if (!declaresTouch(events) && !events.some((e) => e.pointerType === 'touch' || e.type === 'touchstart')) return false;
  const strokes = pairKeystrokes(events);
  if (strokes.length < 2) return false;
  const holds = strokes.map((s) => s.up - s.down).sort((a, b) => a - b);
  const dd: number[] = [];
  for (let i = 1; i < strokes.length; i++) dd.push(strokes[i]!.down - strokes[i - 1]!.down);
  dd.sort((a, b) => a - b);
  const mid = (v: number[]) => (v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2);
  return softKeyHolds(mid(holds), mid(dd), rules);
}
