// The three baselines a prediction can be measured against: the population profile of seed 003's
// six features, or a per-DID fused detector fitted from its history (stored, or sent in the request).
// Each has a version and a sha256 that identify exactly which model answered.
import { createHash } from 'node:crypto';
import { fitFusion } from '../../scoring/detectors/fusion.ts';
import { userDetectorFits, type RecipeKernels } from '../../scoring/detectors/recipe.ts';
import { scaledManhattan } from '../../scoring/detectors/scaled-manhattan.ts';
import { inLogSpace } from '../../scoring/detectors/transform.ts';
import { calibrate, transformVector, type Profile } from '../../scoring/profile.ts';
import type { BaselineName } from './encoding.ts';
import { OFFCHAIN_FEATURES } from './features.ts';

export interface Assessment {
  /** Calibrated risk in [0, 1]: the owner's (or population's) typical session near 0.1, 0.4 at the edge of normal. */
  anomaly: number;
  /** Signed deviation of each feature from the baseline, in its spreads (positive = above usual). */
  deviations: Float64Array;
}

export interface BaselineModel {
  name: BaselineName;
  windows: number;
  modelVersion: string;
  modelSha256: Uint8Array;
  assess(vector: Float64Array): Assessment;
}

export const FUSED_VERSION = 'offchain-fused-2';
const DIMS = OFFCHAIN_FEATURES.length;

/** The population profile through the scaled-Manhattan kernel; sha256 is over the profile's JSON text. */
export function populationModel(profile: Profile, kernels: Pick<RecipeKernels, 'scaledManhattan'>): BaselineModel {
  const mean = Float64Array.from(profile.mean);
  const mad = Float64Array.from(profile.mad);
  return {
    name: 'population',
    windows: 0,
    modelVersion: profile.version,
    modelSha256: createHash('sha256').update(JSON.stringify(profile)).digest(),
    assess(vector) {
      const t = transformVector(vector, profile.transform);
      const distance = kernels.scaledManhattan(t, DIMS, mean, mad)[0]!;
      return { anomaly: calibrate(distance, profile.calibration), deviations: t.map((v, j) => (v - mean[j]!) / mad[j]!) };
    },
  };
}

/**
 * Cadence's per-user fusion (outlier count + capped scaled Manhattan in log space, Mahalanobis from
 * 10 windows) fitted on `rows`, plus the uncapped scaled Manhattan (WASM kernel): with a handful of
 * windows the capped members saturate and a script scored only ~0.56, while its timings sit dozens
 * of spreads away; these are session means, so one hesitation is already averaged out. No isolation
 * forest: on six summary features it adds training cost to every request without evidence that it
 * helps. The fit is deterministic, so sha256 over the recipe and the training rows identifies the model.
 */
export function personalModel(name: 'did_history' | 'request_history', rows: readonly Float64Array[], kernels: RecipeKernels): BaselineModel {
  const data = new Float64Array(rows.length * DIMS);
  rows.forEach((r, i) => data.set(r, i * DIMS));
  const train = { data, dims: DIMS };
  const fits = [...userDetectorFits(kernels, rows.length, { forestFrom: Number.POSITIVE_INFINITY }), inLogSpace(scaledManhattan(kernels.scaledManhattan))];
  const fused = fitFusion(train, fits);
  const explainer = fused.members.find((m) => m.deviations);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(rows.length, 0);
  header.writeUInt32LE(DIMS, 4);
  const sha = createHash('sha256').update(FUSED_VERSION).update(header).update(new Uint8Array(data.buffer)).digest();
  return {
    name,
    windows: rows.length,
    modelVersion: FUSED_VERSION,
    modelSha256: sha,
    assess(vector) {
      const anomaly = fused.risk({ data: vector, dims: DIMS })[0]!;
      return { anomaly, deviations: explainer?.deviations?.(vector) ?? new Float64Array(DIMS) };
    },
  };
}

/** Share of each feature in the total absolute deviation (sums to 1, 3 decimals); equal shares when nothing deviates. */
export function featureImportance(deviations: Float64Array): Record<(typeof OFFCHAIN_FEATURES)[number], number> {
  const abs = Array.from(deviations, (d) => (Number.isFinite(d) ? Math.abs(d) : 0));
  const total = abs.reduce((s, v) => s + v, 0);
  return Object.fromEntries(OFFCHAIN_FEATURES.map((f, j) => [f, Math.round((total > 0 ? abs[j]! / total : 1 / DIMS) * 1000) / 1000])) as never;
}

/** Features at least `limit` spreads from the baseline, strongest first, as `<feature>_high|low`. */
export function reasonsOf(deviations: Float64Array, limit = 2, top = 3): string[] {
  return [...deviations.keys()]
    .filter((j) => Number.isFinite(deviations[j]!) && Math.abs(deviations[j]!) >= limit)
    .sort((a, b) => Math.abs(deviations[b]!) - Math.abs(deviations[a]!))
    .slice(0, top)
    .map((j) => `${OFFCHAIN_FEATURES[j]}_${deviations[j]! > 0 ? 'high' : 'low'}`);
}
