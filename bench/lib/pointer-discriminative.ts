// A per-user pointer model that tells the owner from other people (issue 18 item 4: other users'
// windows as negatives), as the mouse-dynamics literature does (Balabit challenge; Antal &
// Egyed-Zsigmond 2019): a random forest (scoring/models/rforest.ts, scored by the WASM tree kernel)
// of the owner's enrolment units against the cohort's, where a unit is either a window's mean action
// or each single action, and a window's score is the mean of its units' P(other person). Put on the
// one-class path's risk scale (fusion.ts: calibrateRisk, cohortRisk) with OUT-OF-BAG scores, each unit
// scored by the trees that never saw it, so the session evidence and the quality gate read it
// unchanged. Pure and synchronous; bench/lib/pointer-sessions.ts replays it offline. Measured only,
// not in the core: held out it flags far more owners and separates windows worse (docs/accuracy.md).
import { calibrateRisk } from '../../scoring/detectors/fusion.ts';
import { quantile } from '../../scoring/detectors/stats.ts';
import { trainRandomForestOob } from '../../scoring/models/rforest.ts';
import type { TreeEnsembleModel } from '../../scoring/models/tree-ensemble.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { auc, eer, round4, type TrainingMetrics } from '../../core/models/metrics.ts';
import { COHORT_MIN_WINDOWS, cohortRisk } from '../../core/enrolment/fusion.ts';

/** One window's units: its mean action (one row) or its single actions (one row each). */
export type Group = readonly Float64Array[];

export interface DiscriminativeState {
  /** Median and 95th percentile of the owner's out-of-bag window scores (risk 0.1 and 0.4). */
  mid: number;
  edge: number;
  /** Median out-of-bag window score of the cohort (risk 0.6 of a session's evidence). */
  cohort: { median: number };
}

export interface DiscriminativeModel {
  forest: TreeEnsembleModel;
  state: DiscriminativeState;
}

export const DISCRIMINATIVE = { trees: 100, seed: 0, minEdgeGap: 0.05 } as const;

/** Rows with every non-finite value made missing (the forest sends NaN right, as learnt). */
function flatten(groups: readonly Group[], dims: number): Float64Array {
  const rows = groups.flat();
  const out = new Float64Array(rows.length * dims);
  rows.forEach((r, i) => {
    for (let j = 0; j < dims; j++) out[i * dims + j] = Number.isFinite(r[j]!) ? r[j]! : Number.NaN;
  });
  return out;
}

/** Per group, the mean of its rows' scores (NaN rows, never out of bag, are left out). */
function groupMeans(groups: readonly Group[], scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(groups.length);
  let k = 0;
  groups.forEach((g, i) => {
    let sum = 0;
    let n = 0;
    for (let j = 0; j < g.length; j++, k++) {
      if (Number.isFinite(scores[k]!)) {
        sum += scores[k]!;
        n++;
      }
    }
    out[i] = n ? sum / n : Number.NaN;
  });
  return out;
}

const finite = (v: ArrayLike<number>) => Array.from(v).filter(Number.isFinite);

/** Trains the forest and places its out-of-bag scores; throws without enough cohort (a model with no negatives cannot discriminate). */
export function trainDiscriminative(owner: readonly Group[], cohort: readonly Group[], dims: number, o = DISCRIMINATIVE): DiscriminativeModel & { ownerOob: Float64Array; cohortOob: Float64Array } {
  if (cohort.length < COHORT_MIN_WINDOWS) throw new RangeError(`discriminative pointer model: ${cohort.length} cohort windows, need ${COHORT_MIN_WINDOWS} (other users' windows are its negatives)`);
  if (owner.length < 2) throw new RangeError(`discriminative pointer model: ${owner.length} owner windows`);
  const rows = flatten([...owner, ...cohort], dims);
  const ownerRows = owner.reduce((n, g) => n + g.length, 0);
  const labels = new Uint8Array(rows.length / dims).fill(1, ownerRows); // 1 = another person
  const { model, oob } = trainRandomForestOob(rows, labels, dims, { trees: o.trees, seed: o.seed, classWeight: 'balanced' });
  const ownerOob = groupMeans(owner, oob.subarray(0, ownerRows));
  const cohortOob = groupMeans(cohort, oob.subarray(ownerRows));
  const own = finite(ownerOob).sort((a, b) => a - b);
  const others = finite(cohortOob).sort((a, b) => a - b);
  if (!own.length || !others.length) throw new RangeError('discriminative pointer model: no out-of-bag scores');
  const mid = quantile(own, 0.5);
  const state = { mid, edge: Math.max(quantile(own, 0.95), mid + o.minEdgeGap), cohort: { median: quantile(others, 0.5) } };
  return { forest: model, state, ownerOob, cohortOob };
}

export interface GroupScorer {
  /** Raw P(other person) of each window: the mean over its units. */
  score(groups: readonly Group[]): Float64Array;
  risk(groups: readonly Group[]): Float64Array;
  /** A session's units pooled into one group, placed between the owner and the cohort (fusion.ts, cohortRisk). */
  sessionRisk(groups: readonly Group[]): number;
  dispose(): void;
}

export function discriminativeScorer(kernels: Pick<Kernels, 'loadTrees'>, m: DiscriminativeModel, dims: number): GroupScorer {
  const trees = kernels.loadTrees(m.forest);
  const score = (groups: readonly Group[]) => groupMeans(groups, trees.score(flatten(groups, dims)));
  const { mid, edge, cohort } = m.state;
  return {
    score,
    risk: (groups) => score(groups).map((v) => calibrateRisk(v, mid, edge)),
    sessionRisk: (groups) => cohortRisk(score([groups.flat()])[0]!, mid, edge, cohort.median),
    dispose: () => trees.dispose(),
  };
}

/**
 * The quality gate's metrics (core/models/quality-gate.ts), as train.ts gives them for the one-class
 * recipe: separation of every owner window against the cohort's on out-of-bag scores; the owner's
 * side on the newest fifth of the owner's windows, held back from a model trained on the rest.
 */
export function discriminativeMetrics(kernels: Pick<Kernels, 'loadTrees'>, owner: readonly Group[], cohort: readonly Group[], dims: number, monitor: number, full: ReturnType<typeof trainDiscriminative>): TrainingMetrics {
  const n = owner.length;
  const back = Math.max(2, Math.round(n * 0.2));
  const fitN = n - back;
  const base: TrainingMetrics = {
    trained_windows: n,
    held_back_genuine: 0,
    held_back_impostor: cohort.length,
    eer: round4(eer(finite(full.ownerOob), finite(full.cohortOob))),
    auc: round4(auc(finite(full.ownerOob), finite(full.cohortOob))),
    frr_at_monitor: null,
    separation_genuine: n,
  };
  if (fitN < 5) return base;
  const part = trainDiscriminative(owner.slice(0, fitN), cohort, dims);
  const scorer = discriminativeScorer(kernels, part, dims);
  try {
    const genuine = scorer.risk(owner.slice(fitN));
    const impostor = part.cohortOob.filter(Number.isFinite).map((v) => calibrateRisk(v, part.state.mid, part.state.edge));
    return {
      ...base,
      held_back_genuine: genuine.length,
      frr_at_monitor: round4(genuine.filter((r) => r >= monitor).length / genuine.length),
      held_back_eer: round4(eer(genuine, impostor)),
      held_back_auc: round4(auc(genuine, impostor)),
    };
  } finally {
    scorer.dispose();
  }
}
