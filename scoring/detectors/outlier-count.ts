// Outlier count (Killourhy & Maxion 2009): how many features lie beyond |z| > limit of the owner's
// mean and sd, plus a small share of the capped z sum to break the many ties of a pure count.
import { columnStats } from './stats.ts';
import { type DetectorFit, type Rows, rowCount } from './types.ts';

export function outlierCount(limit = 1.96): DetectorFit {
  return (train: Rows) => {
    const { centre, spread } = columnStats(train, 'mean', 'sd');
    return {
      name: 'outlier-count',
      score(rows) {
        const n = rowCount(rows);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let count = 0;
          let capped = 0;
          for (let j = 0; j < rows.dims; j++) {
            const z = Math.abs(rows.data[i * rows.dims + j]! - centre[j]!) / spread[j]!;
            if (!Number.isFinite(z)) continue;
            if (z > limit) count++;
            capped += Math.min(z, 2 * limit);
          }
          out[i] = count + capped / (2 * limit * Math.max(1, rows.dims));
        }
        return out;
      },
    };
  };
}
