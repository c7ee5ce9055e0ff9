// Scaled Manhattan with each feature's deviation capped: with a handful of enrolment windows, one
// hesitation in one latency should not outweigh all the others (a genuine window's usual failure).
import { columnStats } from './stats.ts';
import { type DetectorFit, type Rows, rowCount } from './types.ts';

export function cappedManhattan(cap = 4): DetectorFit {
  return (train: Rows) => {
    const { centre, spread } = columnStats(train, 'mean', 'mad');
    return {
      name: 'capped-manhattan',
      score(rows) {
        const n = rowCount(rows);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let sum = 0;
          let present = 0;
          for (let j = 0; j < rows.dims; j++) {
            const z = Math.abs(rows.data[i * rows.dims + j]! - centre[j]!) / spread[j]!;
            if (Number.isNaN(z)) continue;
            sum += Math.min(cap, z);
            present++;
          }
          out[i] = present ? sum / present : 0;
        }
        return out;
      },
      deviations: (r) => r.map((v, j) => (Number.isFinite(v) ? (v - centre[j]!) / spread[j]! : 0)),
    };
  };
}
