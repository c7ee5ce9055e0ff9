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
}

export interface UserScorer {
  risk(rows: Rows): Float64Array;
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
  return state;
}

/** The cheap half: members fitted on all rows, combined with the stored norms and calibration. */
export function fusedFromState(train: Rows, fits: readonly DetectorFit[], state: FusionState): UserScorer {
  if (state.norms.length !== fits.length) throw new RangeError(`state has ${state.norms.length} members, recipe ${fits.length}`);
  const members: FittedDetector[] = fits.map((fit) => fit(train));
  return {
    risk(rows) {
      const count = rowCount(rows);
      const out = new Float64Array(count);
      members.forEach((m, k) => {
        const s = m.score(rows);
        const { centre, scale } = state.norms[k]!;
        for (let i = 0; i < count; i++) out[i] = out[i]! + clampZ((s[i]! - centre) / scale) / members.length;
      });
      return out.map((v) => calibrateRisk(v, state.mid, state.edge));
    },
    reasons: (r, top = 3) => memberReasons(members, r, top),
    dispose() {
      for (const m of members) m.dispose?.();
    },
  };
}

