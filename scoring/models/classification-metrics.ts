// Metrics of a binary classifier on held-out rows: ROC AUC and average precision over the scores,
// and accuracy, precision, recall, F1 and the confusion matrix at an operating threshold.

export interface ClassificationMetrics {
  n: number;
  positives: number;
  auc: number | null;
  average_precision: number | null;
  threshold: number;
  accuracy: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  confusion: { tp: number; fp: number; tn: number; fn: number };
}

/** P(score of a random positive > score of a random negative), ties half; null without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!]) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision as scikit-learn's average_precision_score: sum over distinct score thresholds
 * (high to low) of (recall step) x precision there.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] ? 1 : 0;
  if (positives === 0) return null;
  let tp = 0;
  let ap = 0;
  let lastRecall = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    for (; j < n && scores[order[j]!] === scores[order[i]!]; j++) tp += labels[order[j]!] ? 1 : 0;
    const recall = tp / positives;
    ap += (recall - lastRecall) * (tp / j);
    lastRecall = recall;
    i = j;
  }
  return ap;
}

/** All of the above; a row is called positive when its probability >= threshold. */
export function classificationMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ClassificationMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const called = probabilities[i]! >= threshold;
    if (labels[i]) called ? tp++ : fn++;
    else called ? fp++ : tn++;
  }
  const n = tp + fp + tn + fn;
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === null && recall === null ? null : 0;
  return {
    n,
    positives: tp + fn,
    auc: rocAuc(probabilities, labels),
    average_precision: averagePrecision(probabilities, labels),
    threshold,
    accuracy: n > 0 ? (tp + tn) / n : 0,
    precision,
    recall,
    f1,
    confusion: { tp, fp, tn, fn },
  };
}
