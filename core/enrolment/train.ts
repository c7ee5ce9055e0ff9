// Training of one user's keystroke model, pure and synchronous: the norms and calibration of the
// fused detector (fusion.ts), its isolation forest (the binary edges download), and metrics on a
// held-back part of the enrolment windows. Runs in a worker thread (train-worker.ts).
import { fitFusion } from '../../scoring/detectors/fusion.ts';
import { rowCount, type Rows } from '../../scoring/detectors/types.ts';
import type { ForestModel } from '../../scoring/models/iforest.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { auc, eer, round4, type TrainingMetrics } from '../models/metrics.ts';
import { fitsFor, fusedFromState, fusionState, recipeFits, trainUserForest, withCohort, type FusionState } from './fusion.ts';

export interface TrainInput {
  rows: Float64Array;
  dims: number;
  /** Other users' windows (same width), the impostors of the metrics; may be empty. */
  impostors: Float64Array;
  /** The monitor threshold: a genuine window at or above it counts as a false reject. */
  monitor: number;
}

export interface TrainOutput {
  state: FusionState;
  forest: ForestModel;
  metrics: TrainingMetrics;
}

export function trainUserModel(kernels: Kernels, input: TrainInput): TrainOutput {
  const train: Rows = { data: input.rows, dims: input.dims };
  const n = rowCount(train);
  const forest = trainUserForest(train);
  const fused = fusionState(train, recipeFits(kernels, n));
  // The cohort (other users' windows) only places the session's evidence (fusion.ts, cohortRisk); the
  // held-back metrics below are computed as before, the cohort never enters the owner's own norms.
  const scorer = fusedFromState(train, fitsFor(kernels, n, forest), fused);
  const state = withCohort(fused, scorer, { data: input.impostors, dims: input.dims });
  scorer.dispose();
  return { state, forest, metrics: heldBackMetrics(kernels, input) };
}

/** The newest fifth of the windows is held back; a model fitted on the rest scores them and the impostors. */
function heldBackMetrics(kernels: Kernels, input: TrainInput): TrainingMetrics {
  const n = Math.floor(input.rows.length / input.dims);
  const back = Math.max(2, Math.round(n * 0.2));
  const fitN = n - back;
  const impostorRows = Math.floor(input.impostors.length / input.dims);
  const none: TrainingMetrics = { trained_windows: n, held_back_genuine: 0, held_back_impostor: impostorRows, eer: null, auc: null, frr_at_monitor: null };
  if (fitN < 5) return none;
  const model = fitFusion({ data: input.rows.subarray(0, fitN * input.dims), dims: input.dims }, recipeFits(kernels, fitN));
  try {
    const genuine = model.risk({ data: input.rows.subarray(fitN * input.dims), dims: input.dims });
    const impostor = impostorRows ? model.risk({ data: input.impostors, dims: input.dims }) : new Float64Array(0);
    return {
      ...none,
      held_back_genuine: genuine.length,
      eer: round4(eer(genuine, impostor)),
      auc: round4(auc(genuine, impostor)),
      frr_at_monitor: round4(genuine.filter((r) => r >= input.monitor).length / genuine.length),
    };
  } finally {
    model.dispose?.();
  }
}
