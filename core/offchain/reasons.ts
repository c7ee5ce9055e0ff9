// Reasons of an off-chain result: the typing features at least `limit` spreads from the baseline
// (the DID's, the request's or the population's), strongest first, as `<feature>_high|low`.
import { TYPING_FEATURES } from '../../scoring/offchain/inputs.ts';

export function reasonsOf(deviations: Float64Array, limit = 2, top = 3): string[] {
  return [...deviations.keys()]
    .filter((j) => Number.isFinite(deviations[j]!) && Math.abs(deviations[j]!) >= limit)
    .sort((a, b) => Math.abs(deviations[b]!) - Math.abs(deviations[a]!))
    .slice(0, top)
    .map((j) => `${TYPING_FEATURES[j]}_${deviations[j]! > 0 ? 'high' : 'low'}`);
}
