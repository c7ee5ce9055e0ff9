// Training of one user's keystroke model, pure and synchronous: the norms and calibration of the
// fused detector (fusion.ts), its isolation forest (the binary edges download), and the quality
// gate's metrics (core/models/quality-gate.ts). Runs in a worker thread (train-worker.ts).
import { fitFusion } from '../../scoring/detectors/fusion.ts';
import { rowCount, type Rows } from '../../scoring/detectors/types.ts';
import type { ForestModel } from '../../scoring/models/iforest.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { auc, eer, round4, type TrainingMetrics } from '../models/metrics.ts';
import { fitsFor, fusedFromState, fusionFit, recipeFits, trainUserForest, withCohort, type FusionState } from './fusion.ts';

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
  const { state: fused, heldOut } = fusionFit(train, recipeFits(kernels, n));
  // The cohort (other users' windows) only places the session's evidence (fusion.ts, cohortRisk); it
  // never enters the owner's own norms or calibration.
  const scorer = fusedFromState(train, fitsFor(kernels, n, forest), fused);
  const others: Rows = { data: input.impostors, dims: input.dims };
  const state = withCohort(fused, scorer, others);
  const impostorScores = rowCount(others) ? scorer.score(others) : new Float64Array(0);
  scorer.dispose();
  return { state, forest, metrics: { ...ownerMetrics(kernels, input), ...separation(heldOut, impostorScores) } };
}

/**
 * EER and AUC of the owner's windows against other users': every enrolment window scored by the
 * members fitted without it (fusionFit's held-out scores), other users' windows by the model itself,
 * in the same fused units. Session 12: judged on the held-back fifth alone (4 windows at 20), EER
 * and AUC moved in steps of a quarter, and 3 of 41 CMU models were refused whose owners passed their
 * sessions and whose impostors were flagged as often as anyone's (docs/accuracy.md).
 */
function separation(genuine: Float64Array, impostor: Float64Array): Pick<TrainingMetrics, 'eer' | 'auc'> & { separation_genuine: number } {
  if (impostor.length === 0) return { eer: null, auc: null, separation_genuine: genuine.length };
  return { eer: round4(eer(genuine, impostor)), auc: round4(auc(genuine, impostor)), separation_genuine: genuine.length };
}

/**
 * Whether the owner passes their own model: the newest fifth of the windows is held back and a
 * model fitted on the rest scores it at the monitor threshold, and against other users' windows.
 * The newest, not a random fifth: a typist drifting away from their first windows shows here (the
 * calibration itself is fitted on held-out scores, so a random fifth would pass by construction).
 */
function ownerMetrics(kernels: Kernels, input: TrainInput): TrainingMetrics {
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
      frr_at_monitor: round4(genuine.filter((r) => r >= input.monitor).length / genuine.length),
      // The newest windows against other users' (the gate reads it once there are enough of them).
      held_back_eer: round4(eer(genuine, impostor)),
      held_back_auc: round4(auc(genuine, impostor)),
    };
  } finally {
    model.dispose?.();
  }
}
