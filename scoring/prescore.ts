// The edge's pre-score of one batch: keystroke rhythm against the population profile through the
// WASM kernel, calibrated to [0, 1], fused with the automation signals (zero-variance or
// superhuman timing, replayed intervals, straight, teleporting or jittered pointer paths, rapid clicks),
// with a decision and the reasons that drove it.
import type { BatchEvent } from './batch.ts';
import { AUTOMATION_RULES, automationSignals, type AutomationSignal } from './features/automation.ts';
import { strokesOf } from './features/free-text.ts';
import { keystrokeFeatures } from './features/keystroke.ts';
import { softKeyWindow } from './features/soft-keys.ts';
import type { Reaches } from './features/submovements.ts';
import { pointerWindow, type PointerWindow } from './features/pointer-window.ts';
import { TYPING_DEPENDENCE_RULES, typingDependence, type TypingDependence } from './features/typing-dependence.ts';
import { decide, DEFAULT_THRESHOLDS, type Decision, type Thresholds } from './policy.ts';
import { calibrate, transformVector, type Profile } from './profile.ts';

export interface Assessment {
  score: number;
  decision: Decision;
  modelVersion: string;
  reasons: string[];
  judged: boolean;
  /**
   * What this window adds to the session's test of whether its typing depends on the keys
   * (scoring/features/typing-dependence.ts); folded in by scoring/session-evidence.ts, never sent.
   */
  typing?: TypingDependence;
  /**
   * This window's reaches to a press and how many were one sub-movement
   * (scoring/features/submovements.ts), its movements and how many held a flat speed
   * (scoring/features/flat-speed.ts) or took a bend fast, and the movements at its edges
   * (scoring/features/pointer-window.ts); folded in by scoring/session-evidence.ts, never sent.
   */
  reaches?: PointerWindow;
  /**
   * The logged-in user's own model's risk of this window (core only, never sent): folded into the
   * session's evidence as a graded ratio (scoring/owner-evidence.ts). Absent: anonymous, or no model.
   */
  ownerRisk?: number;
}

export type DistanceFn = (rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array) => Float64Array;

/** A feature whose scaled deviation passes this is named as a reason. */
const REASON_DEVIATION = 2;

/**
 * How strongly each automation signal alone says "a program": one strong signal reaches the
 * challenge threshold, two reach block. Pointer-shape signals weigh less than timing ones, which
 * no human hand produces.
 */
export const SIGNAL_WEIGHTS: Record<AutomationSignal, number> = {
  zero_variance_timing: 0.9,
  superhuman_typing: 0.9,
  implausible_holds: 0.8,
  replayed_timing: 0.8,
  rapid_clicks: 0.8,
  teleport: 0.75,
  straight_path: 0.75,
  superhuman_pointer: 0.75,
  jittered_path: 0.75,
  // A script's focus is strong evidence only with others: a page's own scripts move focus too.
  unprompted_focus: 0.5,
  // The browser says it is driven by automation: no person's browser does.
  webdriver: 0.95,
  headless_browser: 0.95,
  case_without_shift: 0.8,
  capital_without_shift: 0.5,
  // A field filled whole with no key: page.fill, but perhaps dictation; strong only with others.
  keyless_fill: 0.5,
  keyless_form_fill: 0.6,
  // Presses on controls' exact centres: a click() of automation tooling, or voice control.
  centred_click: 0.5,
  centred_clicks: 0.75,
  // The page placed where no window holds it: headless Chromium under any user agent.
  detached_viewport: 0.8,
  metronome_timing: 0.9,
};

/** Noisy-OR: independent pieces of evidence, each of which alone would justify its score. */
const anyOf = (scores: readonly number[]) => 1 - scores.reduce((p, s) => p * (1 - s), 1);
const AUTOMATION_VERSION = 'automation-1';

export interface PreScorer {
  readonly modelVersion: string;
  score(events: readonly BatchEvent[]): Assessment;
}

export function createPreScorer(profile: Profile, distance: DistanceFn, thresholds: Thresholds = DEFAULT_THRESHOLDS): PreScorer {
  const mean = Float64Array.from(profile.mean);
  const mad = Float64Array.from(profile.mad);
  const dims = profile.features.length;
  const modelVersion = `${profile.version}+${AUTOMATION_VERSION}`;
  return {
    modelVersion,
    score(events) {
      const window = keystrokeFeatures(events);
      const strokes = strokesOf(events); // paired once for both
      const { signals } = automationSignals(events, AUTOMATION_RULES, strokes);
      const dep = typingDependence(events, TYPING_DEPENDENCE_RULES, strokes);
      const pointer = pointerWindow(events);
      const typing = { ...(dep.hfInfo > 0 ? { typing: dep } : {}), ...(pointer ? { reaches: pointer } : {}) };
      const evidence = signals.map((s) => SIGNAL_WEIGHTS[s]);
      const reasons: string[] = [...signals];
      // The population profile was fitted on hardware keyboards: a phone's soft keyboard (0-2 ms
      // holds, a thumb's pace) put every phone typist far from it (98-100 % of sessions of the public
      // typists sent as a phone sends them were monitored), which says nothing of a program. Its keys
      // are still judged by the automation rules above (timing regularity, speed, replayed intervals).
      const population = window.judged && !softKeyWindow(events);
      if (population) {
        const d = distance(transformVector(window.vector, profile.transform), dims, mean, mad)[0]!;
        evidence.push(calibrate(d, profile.calibration));
        reasons.push(...reasonsFor(window.vector, profile));
      }
      if (evidence.length === 0) {
        // Enough keys or pointer input for the rules to have judged it: a clean window, which wears
        // a session's earlier flags away (scoring/session-evidence.ts) as a clean typing window does.
        if (window.judged || pointerJudged(events)) return { score: 0, decision: 'allow', modelVersion, reasons: [], judged: true, ...typing };
        return { score: 0, decision: 'allow', modelVersion, reasons: ['too_few_keystrokes'], judged: false, ...typing };
      }
      const score = Math.round(anyOf(evidence) * 1e4) / 1e4;
      return { score, decision: decide(score, thresholds), modelVersion, reasons, judged: true, ...typing };
    },
  };
}

/** Pointer moves (or presses) enough for the pointer rules to have looked at the window. */
const POINTER_JUDGED_MOVES = 8;

function pointerJudged(events: readonly BatchEvent[]): boolean {
  let moves = 0;
  for (const e of events) {
    if (e.type === 'pointerdown' || e.type === 'touchstart') return true;
    if ((e.type === 'pointermove' || e.type === 'touchmove') && ++moves >= POINTER_JUDGED_MOVES) return true;
  }
  return false;
}

/** Names the features furthest from the profile, with their direction, most deviant first. */
export function reasonsFor(raw: Float64Array, profile: Profile, max = 3): string[] {
  const vector = transformVector(raw, profile.transform);
  const out: [string, number][] = [];
  profile.features.forEach((name, j) => {
    const v = vector[j]!;
    if (!Number.isFinite(v)) return;
    const z = (v - profile.mean[j]!) / profile.mad[j]!;
    if (Math.abs(z) >= REASON_DEVIATION) out.push([`${name}_${z > 0 ? 'high' : 'low'}`, Math.abs(z)]);
  });
  return out.sort((a, b) => b[1] - a[1]).slice(0, max).map(([r]) => r);
}
