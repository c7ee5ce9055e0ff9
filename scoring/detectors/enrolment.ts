// Enrolment rules for a user's own model: how many windows before it counts, which windows may be
// enrolled (judged, no automation signal, scored as not risky), and a sliding window against drift.

export interface EnrolmentRules {
  /** Windows before the user's own model is used instead of the population model. */
  minWindows: number;
  /** Most recent windows kept; older ones slide out so the profile follows slow drift. */
  maxWindows: number;
  /** A window whose risk is at or above this is never enrolled (the monitor threshold). */
  maxRisk: number;
  /** Any automation signal disqualifies a window. */
  rejectAutomation: boolean;
}

export const DEFAULT_ENROLMENT: EnrolmentRules = { minWindows: 5, maxWindows: 200, maxRisk: 0.4, rejectAutomation: true };

export interface Candidate {
  vector: Float64Array;
  judged: boolean;
  /** Risk of the window under the model in force when it arrived (population or user). */
  risk: number;
  automationSignals: readonly string[];
}

export type EnrolmentDecision =
  | { enrolled: true; windows: Float64Array[] }
  | { enrolled: false; reason: 'not_judged' | 'automation' | 'risky' | 'not_finite'; windows: Float64Array[] };

/** Returns the enrolment windows after considering `c` (a new array; the input is not changed). */
export function considerWindow(windows: readonly Float64Array[], c: Candidate, rules: EnrolmentRules = DEFAULT_ENROLMENT): EnrolmentDecision {
  const keep = [...windows];
  if (!c.judged) return { enrolled: false, reason: 'not_judged', windows: keep };
  if (!c.vector.every(Number.isFinite)) return { enrolled: false, reason: 'not_finite', windows: keep };
  if (rules.rejectAutomation && c.automationSignals.length > 0) return { enrolled: false, reason: 'automation', windows: keep };
  if (!(c.risk < rules.maxRisk)) return { enrolled: false, reason: 'risky', windows: keep };
  keep.push(c.vector);
  while (keep.length > rules.maxWindows) keep.shift();
  return { enrolled: true, windows: keep };
}

/** Whether the user's own model counts yet. */
export function hasOwnModel(windows: readonly Float64Array[], rules: EnrolmentRules = DEFAULT_ENROLMENT): boolean {
  return windows.length >= rules.minWindows;
}
