// The detectors Cadence fuses for a user's keystroke (or any fixed-width) windows, by enrolment
// size: distance-to-profile detectors from the first windows, the isolation forest once there are
// enough of them to grow trees that mean something.
import type { ForestModel } from '../models/iforest.ts';
import { mahalanobis, nearestNeighbour } from './mahalanobis.ts';
import { outlierCount } from './outlier-count.ts';
import { scaledManhattan } from './scaled-manhattan.ts';
import { type ForestScorer, userForest } from './user-forest.ts';
import type { DetectorFit, ManhattanKernel } from './types.ts';

export interface RecipeKernels {
  scaledManhattan: ManhattanKernel;
  loadForest: (model: ForestModel) => ForestScorer;
}

export interface RecipeOptions {
  /** Enrolment windows from which the per-user isolation forest joins the fusion (seed 001: 50). */
  forestFrom?: number;
  trees?: number;
}

export function userDetectorFits(k: RecipeKernels, enrolled: number, options: RecipeOptions = {}): { names: string[]; fits: DetectorFit[] } {
  const names = ['scaled-manhattan', 'outlier-count', 'nearest-neighbour', 'mahalanobis'];
  const fits: DetectorFit[] = [scaledManhattan(k.scaledManhattan), outlierCount(), nearestNeighbour(), mahalanobis()];
  if (enrolled >= (options.forestFrom ?? 50)) {
    names.push('isolation-forest');
    fits.push(userForest(k.loadForest, { trees: options.trees ?? 100 }));
  }
  return { names, fits };
}
