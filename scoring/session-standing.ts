// A session's standing: the level it has reached, which sticks, beside each batch's own answer
// (scoring/session-evidence.ts). The evidence rises and wears away window by window; the standing
// is what the bank acts on, so it only moves down by a deliberate act:
//
//   allow <-> monitor   follow the session's answer on judged batches (monitor is only "watch").
//   challenge           held until the MPIN step-up succeeds (the core's VerifyMpin), or raised to block.
//   block               held for the rest of the session; an analyst may clear it (audited).
//   locked              the owner's account is locked (failed MPINs): reported, not stored here,
//                       since a lock belongs to the account; it ends when support unlocks it.
//
// A batch without judgement (too few keystrokes: a blur, a click, a page unloading) never lowers
// the standing: a bot's last few beacons must not wash out its block.
//
// After a verified MPIN the standing returns to allow and the evidence restarts at half the
// challenge bound (AFTER_MPIN_LLR), not at 0: the MPIN proves who holds it, not that the hands
// are human. One more flagged window of any full-weight family challenges again (3.45 + 5 >= 6.9),
// while about seven clean judged windows wear the rest away (-0.5 each).
import type { Decision } from './policy.ts';
import type { Assessment } from './prescore.ts';
import { EVIDENCE_MODEL } from './session-evidence.ts';

/** The levels kept per session, in order. */
export const STORED_STANDINGS = ['allow', 'monitor', 'challenge', 'block'] as const;
export type StoredStanding = (typeof STORED_STANDINGS)[number];
/** The levels reported: the stored ones and the account's lock above them. */
export const STANDINGS = [...STORED_STANDINGS, 'locked'] as const;
export type Standing = (typeof STANDINGS)[number];
/** What the session's user has to do next. */
export type RequiredAction = 'none' | 'verify_mpin' | 'login' | 'contact_support';

/** Where the evidence restarts after a verified MPIN (see the header). */
export const AFTER_MPIN_LLR = EVIDENCE_MODEL.challengeAt / 2;

const rank = (s: Standing): number => STANDINGS.indexOf(s);
export const atLeast = (s: Standing, min: Standing): boolean => rank(s) >= rank(min);
export const higher = <T extends Standing>(a: T, b: T): T => (rank(a) >= rank(b) ? a : b);

/** The standing after one batch's answer (the session's, from scoring/session-evidence.ts). */
export function standingAfter(before: StoredStanding, answer: Pick<Assessment, 'judged' | 'decision'>): StoredStanding {
  const d: Decision = answer.decision;
  // Sticky levels, and any batch without judgement: only ever upwards.
  if (!answer.judged || before === 'challenge' || before === 'block') return higher(before, d);
  return d;
}

export function requiredActionOf(s: Standing): RequiredAction {
  return s === 'challenge' ? 'verify_mpin' : s === 'block' ? 'login' : s === 'locked' ? 'contact_support' : 'none';
}
