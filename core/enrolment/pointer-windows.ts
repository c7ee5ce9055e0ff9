// One pointer window per stored batch (issue 18): the mouse actions of the batch (move, point-click,
// drag-drop; scoring/features/mouse-actions.ts, the Balabit literature's units) averaged into one
// vector. A batch is cut every 3 s by the collector, so a window holds 0-5 actions (Balabit: most
// hold 1-3); the mean of fewer than POINTER_MIN_ACTIONS is one stroke's accident, not a hand's
// habit, and is not judged (see docs/accuracy.md, "Per-user pointer models", for the choice).
import type { BatchEvent } from '../../scoring/batch.ts';
import { automationSignals } from '../../scoring/features/automation.ts';
import { actionVector, mouseActions, MOUSE_ACTION_FEATURES } from '../../scoring/features/mouse-actions.ts';
import type { Window } from './windows.ts';

/** Actions a window needs to be judged (and enrolled). */
export const POINTER_MIN_ACTIONS = 2;

/** The window's mean action, plus how many actions it held. */
export const POINTER_WINDOW_FEATURES: readonly string[] = [...MOUSE_ACTION_FEATURES.map((f) => `mean_${f}`), 'actions'];

export function pointerWindowOf(events: readonly BatchEvent[], minActions = POINTER_MIN_ACTIONS): Window {
  const actions = mouseActions(events);
  const vector = new Float64Array(POINTER_WINDOW_FEATURES.length);
  for (const a of actions) {
    const v = actionVector(a);
    for (let j = 0; j < v.length; j++) vector[j] = vector[j]! + v[j]! / actions.length;
  }
  vector[vector.length - 1] = actions.length;
  return { judged: actions.length >= minActions, vector, automation: automationSignals(events).signals };
}
