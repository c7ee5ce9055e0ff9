// Signed log of each feature before a detector sees it: timings are roughly log-normal, so a
// deviation of 30 ms means more at 80 ms than at 600 ms; negative latencies (rollover) keep their sign.
import type { DetectorFit, Rows } from './types.ts';

export function slog(v: number): number {
  return Number.isFinite(v) ? Math.sign(v) * Math.log1p(Math.abs(v)) : v;
}

export function slogRows(r: Rows): Rows {
  return { data: r.data.map(slog), dims: r.dims };
}

/** The same detector, fitted and scored on slog-transformed rows; its name gains a `-log` suffix. */
export function inLogSpace(fit: DetectorFit): DetectorFit {
  return (train) => {
    const d = fit(slogRows(train));
    return {
      name: `${d.name}-log`,
      score: (rows) => d.score(slogRows(rows)),
      ...(d.deviations ? { deviations: (row: Float64Array) => d.deviations!(row.map(slog)) } : {}),
      ...(d.dispose ? { dispose: () => d.dispose!() } : {}),
    };
  };
}
