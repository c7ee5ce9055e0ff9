// A user's own keystroke model as the edge uses it: the isolation forest the core trains for the
// user (the binary edges download), its row recipe, its calibration, and how its risk is fused
// with the population pre-score. Shared by core and edge so both read the model the same way.
import { calibrateRisk } from './detectors/fusion.ts';
import { slog } from './detectors/transform.ts';
import { finiteOr } from './detectors/types.ts';
import type { BatchEvent } from './batch.ts';
import { isAutomationSignal } from './features/automation.ts';
import { FREE_TEXT_FEATURES, freeTextFeatures } from './features/free-text.ts';
import { decide, type Thresholds } from './policy.ts';
import type { Assessment } from './prescore.ts';

/** The forest reads each free-text feature after the signed log. */
export const USER_FOREST_SCHEMA: string[] = FREE_TEXT_FEATURES.map((f) => `slog(${f})`);

/** Median and 95th percentile of the forest's held-out scores on the owner's own windows. */
export interface ForestCalibration {
  mid: number;
  edge: number;
}

/** The forest's input row for a window, or undefined when the window is too short to judge. */
export function userForestRow(events: readonly BatchEvent[]): Float64Array | undefined {
  const w = freeTextFeatures(events);
  return w.judged ? w.vector.map((v) => finiteOr(slog(v), 0)) : undefined;
}

/** The forest's score as a risk: the owner's median window maps to 0.1, their 95th percentile to 0.4. */
export function userForestRisk(forestScore: number, cal: ForestCalibration): number {
  return calibrateRisk(finiteOr(forestScore, 1), cal.mid, cal.edge);
}

/**
 * The population keeps a veto for what it is sure of (at or above challenge); below that the
 * owner's model decides, so an unusual but genuine rhythm is not stepped up, and a common rhythm
 * from someone else is (the core's rule, core/enrolment/service.ts).
 */
export function fuseWithUser(pop: Assessment, userRisk: number, modelVersion: string, thresholds: Thresholds): Assessment {
  const veto = pop.judged && pop.score >= thresholds.challenge;
  const score = Math.round(Math.max(userRisk, veto ? pop.score : 0) * 1e4) / 1e4;
  // The automation signals always stay: they say whether a program types, which the owner's model
  // (who types) has no say in, and the session's evidence counts them whatever the score.
  const reasons = [...(veto ? pop.reasons : pop.reasons.filter(isAutomationSignal)), ...(userRisk >= thresholds.monitor ? ['user_rhythm_unlike_owner'] : [])];
  return { score, decision: decide(score, thresholds), modelVersion: `${modelVersion}+${pop.modelVersion}`, reasons, judged: true, ...sessionShares(pop) };
}

/**
 * The window's shares of the session's own tests (its typing sums, its reaches and movements): they
 * say whether a program drives the session, not who, so every fusion with an owner's model (the
 * edge's fuseWithUser, the core's combine) passes them on unchanged.
 */
export function sessionShares(pop: Pick<Assessment, 'typing' | 'reaches'>): Pick<Assessment, 'typing' | 'reaches'> {
  return { ...(pop.typing ? { typing: pop.typing } : {}), ...(pop.reaches ? { reaches: pop.reaches } : {}) };
}
