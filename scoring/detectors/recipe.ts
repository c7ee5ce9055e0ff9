// The detectors Cadence fuses for a user's keystroke (or any fixed-width timing) windows, by
// enrolment size: robust distance-to-profile detectors in log space from the first windows, the
// isolation forest once there are enough windows to grow trees that mean something.
import type { ForestModel } from '../models/iforest.ts';
import { cappedManhattan } from './capped-manhattan.ts';
import { mahalanobis } from './mahalanobis.ts';
import { outlierCount } from './outlier-count.ts';
import { inLogSpace } from './transform.ts';
import { type ForestScorer, userForest } from './user-forest.ts';
import type { DetectorFit, ManhattanKernel } from './types.ts';

export interface RecipeKernels {
  scaledManhattan: ManhattanKernel;
  loadForest: (model: ForestModel) => ForestScorer;
}

export interface RecipeOptions {
  /** Enrolment windows from which the per-user isolation forest joins the fusion (seed 001: 50). */
  forestFrom?: number;
  /** Enrolment windows from which a (shrunk) covariance is worth estimating: Mahalanobis joins (default 10). */
  covarianceFrom?: number;
  trees?: number;
}

export function userDetectorFits(k: RecipeKernels, enrolled: number, options: RecipeOptions = {}): DetectorFit[] {
  const fits: DetectorFit[] = [inLogSpace(outlierCount()), inLogSpace(cappedManhattan(4))];
  // With 5 windows a covariance is mostly noise (Kaggle-110: EER 0.048 without, 0.067 with); from
  // 10 on it captures how a user's latencies move together (CMU 0.051 -> 0.048, Aalto 0.094 -> 0.052).
  if (enrolled >= (options.covarianceFrom ?? 10)) fits.push(inLogSpace(mahalanobis(0.5)));
  if (enrolled >= (options.forestFrom ?? 50)) fits.push(inLogSpace(userForest(k.loadForest, { trees: options.trees ?? 100 })));
  return fits;
}
