// Candidate per-user detectors that read other users' windows as negatives (issue 18 item 4: cohort
// normalisation, background models), screened by `cadence eval user-members`; not in the shipped
// recipe (scoring/detectors/recipe.ts) because the screening did not support them (docs/accuracy.md).
// The cohort must never hold the test user's own windows nor, offline, the impostors tested.
import { columnStats } from '../../scoring/detectors/stats.ts';
import { inLogSpace, slogRows } from '../../scoring/detectors/transform.ts';
import { type DetectorFit, type Rows, rowCount } from '../../scoring/detectors/types.ts';

/** Each row's sum of `term` over its features, non-finite terms left out. */
function perFeatureSum(rows: Rows, term: (x: number, j: number) => number): Float64Array {
  const out = new Float64Array(rowCount(rows));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = 0; j < rows.dims; j++) {
      const t = term(rows.data[i * rows.dims + j]!, j);
      if (Number.isFinite(t)) s += t;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Background-model log-likelihood ratio (diagonal Gaussians, the owner's against the cohort's): a
 * feature counts in proportion to how far the owner sits from everyone else on it. Each feature's
 * owner term is capped so one hesitation cannot dominate; the owner's sd is floored at a quarter of
 * the cohort's (20 windows underestimate it).
 */
export function backgroundLlr(cohort: Rows, cap = 6): DetectorFit {
  const c = columnStats(cohort, 'mean', 'sd');
  return (train) => {
    const o = columnStats(train, 'mean', 'sd');
    return {
      name: 'background-llr',
      score: (rows) =>
        perFeatureSum(rows, (x, j) => {
          const so = Math.max(o.spread[j]!, 0.25 * c.spread[j]!);
          const sc = c.spread[j]!;
          const zo = (x - o.centre[j]!) / so;
          const zc = (x - c.centre[j]!) / sc;
          return Math.min(cap, 0.5 * zo * zo + Math.log(so)) - (0.5 * zc * zc + Math.log(sc));
        }),
    };
  };
}

/** Capped scaled Manhattan whose features are weighted by the owner's distance from the cohort's mean (in cohort sds). */
export function cohortWeightedManhattan(cohort: Rows, cap = 4): DetectorFit {
  const c = columnStats(cohort, 'mean', 'sd');
  return (train) => {
    const o = columnStats(train, 'mean', 'mad');
    const w = o.centre.map((m, j) => 0.25 + Math.min(2, Math.abs(m - c.centre[j]!) / c.spread[j]!));
    const total = w.reduce((a, b) => a + b, 0);
    return {
      name: 'cohort-weighted-manhattan',
      score: (rows) => perFeatureSum(rows, (x, j) => (w[j]! * Math.min(cap, Math.abs(x - o.centre[j]!) / o.spread[j]!)) / total),
    };
  };
}

/** A cohort detector fitted and scored in signed-log space, its cohort transformed the same way. */
export function cohortInLogSpace(make: (cohort: Rows) => DetectorFit, cohort: Rows): DetectorFit {
  return inLogSpace(make(slogRows(cohort)));
}
