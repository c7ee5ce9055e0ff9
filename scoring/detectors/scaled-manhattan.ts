// Scaled Manhattan (Killourhy & Maxion 2009): mean absolute deviation from the owner's mean, each
// feature divided by its mean absolute deviation; the distance itself runs in the WASM kernel.
import { columnStats } from './stats.ts';
import { type DetectorFit, type ManhattanKernel, type Rows, finiteOr } from './types.ts';

export function scaledManhattan(kernel: ManhattanKernel): DetectorFit {
  return (train: Rows) => {
    const { centre, spread } = columnStats(train, 'mean', 'mad');
    return {
      name: 'scaled-manhattan',
      score: (rows) => kernel(rows.data, rows.dims, centre, spread).map((v) => finiteOr(v, 0)),
      deviations: (r) => r.map((v, j) => finiteOr((v - centre[j]!) / spread[j]!, 0)),
    };
  };
}
