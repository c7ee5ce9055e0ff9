// Which windows of a logged-in owner's session the core enrols (issue 18): what a genuine owner
// types is enrolled unless it is clearly not theirs.
//
// Before the user has a model of their own, the only judge is the population model, which says how
// usual a rhythm is among people, not whose it is: an owner whose rhythm is unusual (slow, fast, one
// hand) scores in its monitor band on every window and, under the old rule (enrol below monitor),
// was never enrolled, so never got a model (session 8: 15 of 41 CMU accounts and 7 of 7 Aalto ones
// were short of their 20 windows, counting fragments too short to judge). Without a model, a window is
// kept out only when the population is sure (at or above challenge: a bot's rhythm, a gross outlier)
// or it raised an automation signal. Once the user's own model is active, it decides: a window it
// scores at or above monitor is not theirs enough to learn from.
import type { Thresholds } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import type { Window } from './windows.ts';

export type EnrolmentVerdict = 'enrolled' | 'not_judged' | 'not_finite' | 'automation' | 'risky';

export function enrolmentVerdict(c: { window: Window; assessment: Pick<Assessment, 'score' | 'judged'>; ownModel: boolean }, t: Thresholds): EnrolmentVerdict {
  if (!c.window.judged || !c.assessment.judged) return 'not_judged';
  if (!c.window.vector.every(Number.isFinite)) return 'not_finite';
  if (c.window.automation.length > 0) return 'automation';
  const bound = c.ownModel ? t.monitor : t.challenge;
  return c.assessment.score < bound ? 'enrolled' : 'risky';
}
