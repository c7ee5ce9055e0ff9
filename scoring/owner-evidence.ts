// What one window of a logged-in session adds to the session's evidence about who is typing (issue
// 18): a log-likelihood ratio ln(P(risk | someone else) / P(risk | the owner)) read from where the
// session's mean window so far (core/enrolment/session-profile.ts) sits between the owner and other
// users under the user's model: 0.1 at the owner's median held-out window, 0.6 at the median window
// of the cohort of other users' windows the model was trained with (core/enrolment/fusion.ts,
// cohortRisk; a model without a cohort gives its own calibrated risk instead). The mean settles on
// the typist's own centre as the session goes on, so an owner's session falls towards 0.1 and
// someone else's stays up: the verdict grows with the session's length, while one odd window of an
// owner moves the mean, and the evidence, little.
//
// Fitted offline, leave-users-out, with the core's own enrolment, training, quality gate and scoring
// replayed on CMU's typists (`npx cadence eval user-sessions --corpus cmu.jsonl --fit-on cmu-typing`,
// bench/eval-user-sessions.ts: 41 people, 20 enrolment windows, then the owner's next 10 windows and
// every other person's; each half of the people simulated with the other half as its cohort): per
// bin, the ratio of impostors' to owners' windows (add-one counts), made monotone in the risk and
// clipped to [-1, 2], so no single window is worth a challenge (6.9) and no window erases more than
// two clean windows of automation evidence. The table below is that fit on all 41; held out by
// person (two halves, five splits) it flags 1.7 % of owners' 10-window sessions and 93 % of
// impostors' (2.97 % and 88.3 % before the cohort). Checked on Aalto, which it was not fitted on
// (docs/accuracy.md).
export interface OwnerTable {
  bins: readonly number[];
  llr: readonly number[];
}

export const OWNER_EVIDENCE: OwnerTable = {
  /** Upper bounds of the risk bins (the last bin is open). */
  bins: [0.2, 0.4, 0.6, 0.8],
  /** LLR per bin: bins.length + 1 entries. */
  llr: [-1, 2, 2, 2, 2],
};

/** The window's evidence that someone other than the owner typed it. */
export function ownerLlr(userRisk: number, m: OwnerTable = OWNER_EVIDENCE): number {
  if (!Number.isFinite(userRisk)) return m.llr[m.llr.length - 1]!;
  const i = m.bins.findIndex((b) => userRisk < b);
  return m.llr[i === -1 ? m.bins.length : i]!;
}
