// Per-user isolation forest, trained with scoring/models/iforest.ts and scored by a resident forest
// kernel (WASM, or the TS twin in tests): counts once a user has enough windows.
import { trainIsolationForest, type ForestModel } from '../models/iforest.ts';
import { type DetectorFit, type Rows, finiteOr } from './types.ts';

/** The slice of wasm/kernels.ts ForestKernel this detector needs. */
export interface ForestScorer {
  score(rows: Float64Array): Float64Array;
  contributions?(row: ArrayLike<number>): Float64Array;
  dispose?(): void;
}

export function userForest(load: (model: ForestModel) => ForestScorer, options: { trees?: number; seed?: number } = {}): DetectorFit {
  return (train: Rows) => {
    const clean = train.data.map((v) => finiteOr(v, 0));
    const model = trainIsolationForest(clean, train.dims, { trees: options.trees ?? 100, seed: options.seed ?? 0 });
    const scorer = load(model);
    return {
      name: 'isolation-forest',
      score: (rows) => scorer.score(rows.data.map((v) => finiteOr(v, 0))).map((v) => finiteOr(v, 1)),
      ...(scorer.contributions ? { deviations: (r: Float64Array) => scorer.contributions!(r) } : {}),
      dispose: () => scorer.dispose?.(),
    };
  };
}
