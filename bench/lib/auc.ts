// Area under the ROC curve from scores and 0/1 labels (rank statistic, ties averaged): the
// supervised model's own (scoring/models/classification-metrics.ts), NaN where it says null.
import { rocAuc as rankAuc } from '../../scoring/models/classification-metrics.ts';

/** P(score of a random positive > score of a random negative), ties counting half; NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (labels.length !== scores.length) throw new RangeError('scores and labels differ in length');
  return rankAuc(scores, labels) ?? NaN;
}
