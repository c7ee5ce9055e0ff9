// scoring/detectors/fusion.ts's fitFusion split in two, so the expensive half (every detector fitted
// again without each enrolment window) runs in a worker thread and the core rebuilds the scorer in
// about a millisecond: `fusionState` (worker) -> plain JSON; `fusedFromState` (core) -> risk/reasons.
// The maths is fitFusion's; test/node/enrolment-fusion.test.ts checks the two agree exactly.
import { calibrateRisk, clampZ, heldOutScores, memberReasons, normOf } from '../../scoring/detectors/fusion.ts';
import { inLogSpace } from '../../scoring/detectors/transform.ts';
import { userDetectorFits } from '../../scoring/detectors/recipe.ts';
import { quantile } from '../../scoring/detectors/stats.ts';
import { type DetectorFit, type FittedDetector, finiteOr, type Rows, rowCount } from '../../scoring/detectors/types.ts';
import { slog } from '../../scoring/detectors/transform.ts';
import { trainIsolationForest, type ForestModel } from '../../scoring/models/iforest.ts';
import type { Kernels } from '../../wasm/kernels.ts';

/** Seed 001: the per-user isolation forest joins the fusion from 50 windows (scoring/detectors/recipe.ts). */
export const FOREST_FROM = 50;
export const FOREST_TREES = 100;

export interface FusionState {
  norms: { centre: number; scale: number }[];
  mid: number;
  edge: number;
  /**
   * The forest member on its own (the binary edges download): the median and 95th percentile of
   * its held-out scores on the owner's windows, so an edge can calibrate it as training measured.
   */
  forest?: { mid: number; edge: number };
  /**
   * Median fused score of other users' windows (the cohort: issue 18 item 4) under this model, for
   * the session's evidence (`sessionRisk`). Absent with too few other users' windows, or in a model
   * trained before it existed: the session's mean is then judged by `risk`.
   */
  cohort?: { median: number };
}

/** Other users' windows needed before the cohort's median is trusted (the quality gate's impostor minimum). */
export const COHORT_MIN_WINDOWS = 20;

/**
 * A session mean's fused score placed between the owner and everyone else: the owner's median
 * held-out window at 0.1, the cohort's median window at 0.6, linear, clamped to [0, 1]. The owner's
 * own calibration (`risk`) says how unusual a window is for the owner; this says how much more like
 * other people than like the owner the session's typist is, one scale for every user: held out by
 * person it separates sessions better (CMU session EER 0.068 -> 0.047, Kaggle 0.160 -> 0.138;
 * `cadence eval user-members`, docs/accuracy.md). The cohort's distance is floored at the owner's
 * own 95th percentile so a cohort close to the owner does not magnify noise.
 */
export function cohortRisk(fused: number, mid: number, edge: number, cohortMedian: number): number {
  if (!Number.isFinite(fused)) return 1;
  const u = (fused - mid) / Math.max(cohortMedian - mid, edge - mid, 1e-9);
  return Math.min(1, Math.max(0, 0.1 + 0.5 * u));
}

export interface UserScorer {
  risk(rows: Rows): Float64Array;
  /** Raw fused score per row (normalised units: about 0 for the owner's typical window). */
  score(rows: Rows): Float64Array;
  /** Risk of session mean windows for the session's evidence: `cohortRisk` when the state has a cohort, else `risk`. */
  sessionRisk(rows: Rows): Float64Array;
  /** Features furthest from the owner's profile: index and direction, strongest first. */
  reasons(row: Float64Array, top?: number): { feature: number; direction: 'high' | 'low' }[];
  dispose(): void;
}

/** The forest fitFusion's member would grow on these rows (same transform, cleaning and seed). */
export function trainUserForest(train: Rows): ForestModel {
  const clean = train.data.map((v) => finiteOr(slog(v), 0));
  return trainIsolationForest(clean, train.dims, { trees: FOREST_TREES, seed: 0 });
}

/** The recipe's fits as scoring/detectors/recipe.ts gives them (each fit trains its own forest): for the held-out half. */
export function recipeFits(kernels: Kernels, enrolled: number): DetectorFit[] {
  return userDetectorFits({ scaledManhattan: kernels.scaledManhattan, loadForest: (m) => kernels.loadForest(m) }, enrolled, { forestFrom: FOREST_FROM, trees: FOREST_TREES });
}

/** The recipe's fits, with a forest member that is loaded rather than trained (it was trained in the worker). */
export function fitsFor(kernels: Kernels, enrolled: number, forest?: ForestModel): DetectorFit[] {
  const fits = recipeFits(kernels, enrolled);
  if (enrolled >= FOREST_FROM && forest) fits[fits.length - 1] = inLogSpace(loadedForest(kernels, forest));
  return fits;
}

function loadedForest(kernels: Kernels, model: ForestModel): DetectorFit {
  return () => {
    const scorer = kernels.loadForest(model);
    return {
      name: 'isolation-forest',
      score: (rows) => scorer.score(rows.data.map((v) => finiteOr(v, 0))).map((v) => finiteOr(v, 1)),
      deviations: (r: Float64Array) => scorer.contributions(r),
      dispose: () => scorer.dispose(),
    };
  };
}

/** The expensive half (pass recipeFits: every fold must train its own members): held-out scores of every enrolment window, per detector, into norms and calibration. */
export function fusionState(train: Rows, fits: readonly DetectorFit[]): FusionState {
  return fusionFit(train, fits).state;
}

/**
 * fusionState with the fused held-out score of every enrolment window (each scored by members
 * fitted without it): the owner's side of the quality gate's separation test (train.ts), on all
 * the windows rather than a held-back few.
 */
export function fusionFit(train: Rows, fits: readonly DetectorFit[]): { state: FusionState; heldOut: Float64Array } {
  const n = rowCount(train);
  const heldOut = heldOutScores(train, fits);
  const norms = heldOut.map(normOf);
  const fused = new Float64Array(n);
  heldOut.forEach((s, k) => {
    for (let i = 0; i < n; i++) fused[i] = fused[i]! + clampZ((s[i]! - norms[k]!.centre) / norms[k]!.scale) / fits.length;
  });
  const sorted = [...fused].sort((a, b) => a - b);
  const mid = quantile(sorted, 0.5);
  const state: FusionState = { norms, mid, edge: Math.max(quantile(sorted, 0.95), mid + 0.5) };
  if (n >= FOREST_FROM && heldOut.length > 0) {
    const forest = [...heldOut[heldOut.length - 1]!].filter(Number.isFinite).sort((a, b) => a - b);
    const fMid = quantile(forest, 0.5);
    state.forest = { mid: fMid, edge: Math.max(quantile(forest, 0.95), fMid + 0.01) };
  }
  return { state, heldOut: fused };
}

/** The cheap half: members fitted on all rows, combined with the stored norms and calibration. */
export function fusedFromState(train: Rows, fits: readonly DetectorFit[], state: FusionState): UserScorer {
  if (state.norms.length !== fits.length) throw new RangeError(`state has ${state.norms.length} members, recipe ${fits.length}`);
  const members: FittedDetector[] = fits.map((fit) => fit(train));
  const score = (rows: Rows) => {
    const count = rowCount(rows);
    const out = new Float64Array(count);
    members.forEach((m, k) => {
      const s = m.score(rows);
      const { centre, scale } = state.norms[k]!;
      for (let i = 0; i < count; i++) out[i] = out[i]! + clampZ((s[i]! - centre) / scale) / members.length;
    });
    return out;
  };
  const risk = (rows: Rows) => score(rows).map((v) => calibrateRisk(v, state.mid, state.edge));
  return {
    risk,
    score,
    sessionRisk: (rows) => (state.cohort ? score(rows).map((v) => cohortRisk(v, state.mid, state.edge, state.cohort!.median)) : risk(rows)),
    reasons: (r, top = 3) => memberReasons(members, r, top),
    dispose() {
      for (const m of members) m.dispose?.();
    },
  };
}

/** The state with the cohort's median fused score (other users' windows under this model), when there are enough of them. */
export function withCohort(state: FusionState, scorer: Pick<UserScorer, 'score'>, others: Rows): FusionState {
  if (rowCount(others) < COHORT_MIN_WINDOWS) return state;
  const sorted = [...scorer.score(others)].sort((a, b) => a - b);
  return { ...state, cohort: { median: Math.round(quantile(sorted, 0.5) * 1e6) / 1e6 } };
}

