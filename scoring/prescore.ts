// The edge's pre-score of one batch: keystroke rhythm against the population profile through the
// WASM kernel, calibrated to [0, 1], with a decision and the features that drove it.
import type { BatchEvent } from './batch.ts';
import { keystrokeFeatures } from './features/keystroke.ts';
import { decide, DEFAULT_THRESHOLDS, type Decision, type Thresholds } from './policy.ts';
import { calibrate, transformVector, type Profile } from './profile.ts';

export interface Assessment {
  score: number;
  decision: Decision;
  modelVersion: string;
  reasons: string[];
  judged: boolean;
}

export type DistanceFn = (rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array) => Float64Array;

/** A feature whose scaled deviation passes this is named as a reason. */
const REASON_DEVIATION = 2;

export interface PreScorer {
  readonly modelVersion: string;
  score(events: readonly BatchEvent[]): Assessment;
}

export function createPreScorer(profile: Profile, distance: DistanceFn, thresholds: Thresholds = DEFAULT_THRESHOLDS): PreScorer {
  const mean = Float64Array.from(profile.mean);
  const mad = Float64Array.from(profile.mad);
  const dims = profile.features.length;
  const modelVersion = profile.version;
  return {
    modelVersion,
    score(events) {
      const window = keystrokeFeatures(events);
      if (!window.judged) {
        return { score: 0, decision: 'allow', modelVersion, reasons: ['too_few_keystrokes'], judged: false };
      }
      const d = distance(transformVector(window.vector, profile.transform), dims, mean, mad)[0]!;
      const score = Math.round(calibrate(d, profile.calibration) * 1e4) / 1e4;
      return { score, decision: decide(score, thresholds), modelVersion, reasons: reasonsFor(window.vector, profile), judged: true };
    },
  };
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
