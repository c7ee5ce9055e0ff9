// Fuses several per-user detectors into one risk in [0, 1]. Each detector's scores are normalised
// by how it scores the owner's own enrolment windows left out one at a time (so only training
// windows are used), the normalised scores are averaged, and the average is calibrated so the
// thresholds (0.4 monitor, 0.7 challenge, 0.9 block) mean the same for every user.
import { median, quantile } from './stats.ts';
import { type DetectorFit, type FittedDetector, type Rows, row, rowCount, without } from './types.ts';

export interface FusionOptions {
  /** Weight of each detector in the average (default 1 each). */
  weights?: readonly number[];
  /** Above this many enrolment windows, k-fold instead of leave-one-out (bounded cost). */
  maxLeaveOneOut?: number;
  folds?: number;
}

export interface Reason {
  feature: number;
  /** 'high' when the window is above the owner's usual value, 'low' when below. */
  direction: 'high' | 'low';
  /** Signed deviation in the owner's spreads. */
  deviation: number;
}

export interface FusedDetector extends FittedDetector {
  readonly members: readonly FittedDetector[];
  /** Raw fused score (normalised units; about 0 for a typical owner window, 1 at its unusual edge). */
  score(rows: Rows): Float64Array;
  /** Calibrated risk in [0, 1] per row. */
  risk(rows: Rows): Float64Array;
  /** Features furthest from the owner's profile, strongest first. */
  reasons(row: Float64Array, top?: number): Reason[];
  /** Normalised score of each member, per row (members x rows), for explanations and evaluation. */
  memberScores(rows: Rows): Float64Array[];
}

interface Norm {
  centre: number;
  scale: number;
}

export function fitFusion(train: Rows, fits: readonly DetectorFit[], options: FusionOptions = {}): FusedDetector {
  const n = rowCount(train);
  const weights = fits.map((_, i) => options.weights?.[i] ?? 1);
  const heldOut = heldOutScores(train, fits, options);
  const norms: Norm[] = heldOut.map((scores) => normOf(scores));
  const members = fits.map((fit) => fit(train));
  const totalWeight = weights.reduce((s, w) => s + w, 0) || 1;

  const memberScores = (rows: Rows) => members.map((m, k) => m.score(rows).map((v) => clampZ((v - norms[k]!.centre) / norms[k]!.scale)));
  const fuse = (perMember: Float64Array[], count: number) => {
    const out = new Float64Array(count);
    perMember.forEach((s, k) => {
      for (let i = 0; i < count; i++) out[i] = out[i]! + (weights[k]! * s[i]!) / totalWeight;
    });
    return out;
  };
  // Calibration anchors from the held-out fused scores of the owner's own windows.
  const heldFused = fuse(heldOut.map((s, k) => s.map((v) => clampZ((v - norms[k]!.centre) / norms[k]!.scale))), n);
  const sorted = [...heldFused].sort((a, b) => a - b);
  const mid = quantile(sorted, 0.5);
  const edge = Math.max(quantile(sorted, 0.95), mid + 0.5);

  return {
    name: 'fused',
    members,
    memberScores,
    score: (rows) => fuse(memberScores(rows), rowCount(rows)),
    risk(rows) {
      return fuse(memberScores(rows), rowCount(rows)).map((v) => calibrateRisk(v, mid, edge));
    },
    reasons: (r, top = 3) => memberReasons(members, r, top),
    dispose() {
      for (const m of members) m.dispose?.();
    },
  };
}

/**
 * The features furthest from the owner's profile, strongest first: read from the first member
 * that can say per-feature deviations (the forest's path contributions are not in feature units).
 */
export function memberReasons(
  members: readonly FittedDetector[],
  row: Float64Array,
  top = 3,
): { feature: number; direction: 'high' | 'low'; deviation: number }[] {
  const source = members.find((m) => m.deviations && m.name !== 'isolation-forest');
  if (!source?.deviations) return [];
  const dev = source.deviations(row);
  return [...dev.keys()]
    .filter((j) => Number.isFinite(dev[j]!) && Math.abs(dev[j]!) >= 1)
    .sort((a, b) => Math.abs(dev[b]!) - Math.abs(dev[a]!))
    .slice(0, top)
    .map((j) => ({ feature: j, direction: dev[j]! > 0 ? ('high' as const) : ('low' as const), deviation: dev[j]! }));
}

/**
 * Piecewise-linear: the owner's typical window (mid) at 0.1, the edge of the owner's own held-out
 * windows (95th percentile) at the monitor threshold 0.4, then 0.7 and 0.9 one and two edge-widths
 * further, 1 at four.
 */
export function calibrateRisk(fused: number, mid: number, edge: number): number {
  if (!Number.isFinite(fused)) return 1;
  const w = Math.max(edge - mid, 1e-9);
  const u = (fused - mid) / w;
  const knots: [number, number][] = [[-1, 0], [0, 0.1], [1, 0.4], [2, 0.7], [3, 0.9], [5, 1]];
  if (u <= -1) return 0;
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i]!;
    if (u <= x1) {
      const [x0, y0] = knots[i - 1]!;
      return y0 + ((y1 - y0) * (u - x0)) / (x1 - x0);
    }
  }
  return 1;
}

/** Scores of each training row by each detector fitted without it (leave-one-out or k-fold). */
export function heldOutScores(train: Rows, fits: readonly DetectorFit[], options: FusionOptions = {}): Float64Array[] {
  const n = rowCount(train);
  const out = fits.map(() => new Float64Array(n));
  if (n < 3) return out;
  const folds = n <= (options.maxLeaveOneOut ?? 60) ? n : Math.max(2, options.folds ?? 10);
  for (let f = 0; f < folds; f++) {
    const test: number[] = [];
    for (let i = f; i < n; i += folds) test.push(i);
    let rest: Rows = train;
    for (const i of [...test].reverse()) rest = without(rest, i);
    const held: Rows = { data: new Float64Array(test.length * train.dims), dims: train.dims };
    test.forEach((i, k) => held.data.set(row(train, i), k * train.dims));
    fits.forEach((fit, k) => {
      const d = fit(rest);
      const s = d.score(held);
      d.dispose?.();
      test.forEach((i, t) => (out[k]![i] = s[t]!));
    });
  }
  return out;
}

/** Centre and spread of one member's held-out scores on the owner's windows. */
export function normOf(scores: Float64Array): Norm {
  const sorted = [...scores].filter(Number.isFinite).sort((a, b) => a - b);
  const centre = median(sorted);
  // Spread from the upper half: what matters is how far the owner's own unusual windows reach.
  const scale = Math.max(quantile(sorted, 0.9) - centre, quantile(sorted, 0.75) - quantile(sorted, 0.25), Math.abs(centre) * 0.05, 1e-9);
  return { centre, scale };
}

/** A normalised score kept within bounds, so no single member dominates the mean. */
export function clampZ(v: number): number {
  return Number.isFinite(v) ? Math.max(-10, Math.min(50, v)) : 50;
}
