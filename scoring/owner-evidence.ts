// What one window scored by the logged-in user's own model adds to the session's evidence (issue 18):
// a log-likelihood ratio ln(P(risk | someone else) / P(risk | the owner)) read from the window's
// user risk (the fused per-user risk of core/enrolment/fusion.ts, calibrated per user so that the
// owner's median window is 0.1 and their 95th percentile 0.4). Graded, not a yes/no at monitor: a
// window well inside the owner's range is evidence for the owner, one far outside is strong evidence
// against, so a session's verdict grows with its length while one odd window of an owner wears away.
//
// Fitted offline, leave-users-out, with the core's own enrolment, training, quality gate and scoring
// replayed on CMU's typists (bench/eval-user-sessions.ts: `npx cadence eval user-sessions --corpus
// cmu.jsonl`, 41 people, 20 enrolment windows, then the owner's next 10 windows and every other
// person's): per bin, the ratio of impostors' to owners' windows (add-one counts), made monotone in the
// risk and clipped to [-1, 2], so no single window is worth a challenge (6.9) and no window erases
// more than two clean windows of automation evidence. Checked on Aalto (not fitted on it).
export interface OwnerTable {
  bins: readonly number[];
  llr: readonly number[];
}

export const OWNER_EVIDENCE: OwnerTable = {
  /** Upper bounds of the risk bins (the last bin is open). */
  bins: [0.2, 0.4, 0.6, 0.8],
  /** LLR per bin: bins.length + 1 entries. */
  llr: [-1, -0.7, 0.7, 1.9, 2],
};

/** The window's evidence that someone other than the owner typed it. */
export function ownerLlr(userRisk: number, m: OwnerTable = OWNER_EVIDENCE): number {
  if (!Number.isFinite(userRisk)) return m.llr[m.llr.length - 1]!;
  const i = m.bins.findIndex((b) => userRisk < b);
  return m.llr[i === -1 ? m.bins.length : i]!;
}
