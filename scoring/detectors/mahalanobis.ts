// Mahalanobis-style detectors for small enrolments: distance to the owner's mean, and distance to
// the nearest enrolment window (Killourhy & Maxion's "Nearest Neighbor (Mahalanobis)"), both in the
// space whitened by the owner's shrunk covariance.
import { fitWhitener, whiten } from './whitening.ts';
import { type DetectorFit, type Rows, row, rowCount } from './types.ts';

export function mahalanobis(shrink = 0.5): DetectorFit {
  return (train: Rows) => {
    const w = fitWhitener(train, shrink);
    return {
      name: 'mahalanobis',
      score(rows) {
        const n = rowCount(rows);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = Math.hypot(...whiten(w, row(rows, i)));
        return out;
      },
    };
  };
}

export function nearestNeighbour(shrink = 0.5, k = 1): DetectorFit {
  return (train: Rows) => {
    const w = fitWhitener(train, shrink);
    const refs = Array.from({ length: rowCount(train) }, (_, i) => whiten(w, row(train, i)));
    return {
      name: 'nearest-neighbour',
      score(rows) {
        const n = rowCount(rows);
        const out = new Float64Array(n);
        const z = new Float64Array(rows.dims);
        for (let i = 0; i < n; i++) {
          whiten(w, row(rows, i), z);
          const d = refs.map((r) => {
            let s = 0;
            for (let j = 0; j < z.length; j++) s += (z[j]! - r[j]!) ** 2;
            return Math.sqrt(s);
          });
          d.sort((a, b) => a - b);
          const kk = Math.max(1, Math.min(k, d.length));
          let s = 0;
          for (let j = 0; j < kk; j++) s += d[j]!;
          out[i] = d.length ? s / kk : 0;
        }
        return out;
      },
    };
  };
}
