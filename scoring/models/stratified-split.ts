// A stratified split: each class shuffled by a seed and cut at the same share, so that the held-out
// part keeps the class balance of the whole (as scikit-learn's train_test_split(stratify=y)).
import { Rng } from './rng.ts';

/** Row indices, `share` of each class (rounded) to train, the rest to test, both ascending. */
export function stratifiedSplit(labels: ArrayLike<number>, share: number, seed: number): { train: number[]; test: number[] } {
  const rng = new Rng(seed ^ 0x5eed);
  const train: number[] = [];
  const test: number[] = [];
  for (const cls of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) rows.push(i);
    rng.shuffle(rows);
    const k = Math.round(rows.length * share);
    train.push(...rows.slice(0, k));
    test.push(...rows.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
