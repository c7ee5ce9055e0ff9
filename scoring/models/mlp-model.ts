// The shape of a trained multilayer perceptron (classifier or autoencoder), shared by training,
// the model file format and the scoring kernels.

export type Activation = 'linear' | 'relu' | 'sigmoid';

/**
 * Dense layers, float32 weights. Inputs are standardised first, x' = (x - inputShift) * inputScale.
 * A 'mlp' scores with its last (1-wide, sigmoid) output; an 'autoencoder' outputs as many values as
 * it takes and scores with the mean squared error between its output and the standardised input.
 */
export interface MlpModel {
  readonly kind: 'mlp' | 'autoencoder';
  /** Layer widths, input first: [in, hidden..., out]. */
  readonly sizes: readonly number[];
  /** One per layer (sizes.length - 1). */
  readonly activations: readonly Activation[];
  /** Per layer, out x in row-major: weights[l][o * in + i]. */
  readonly weights: readonly Float32Array[];
  /** Per layer, out values. */
  readonly biases: readonly Float32Array[];
  readonly inputShift: Float32Array;
  readonly inputScale: Float32Array;
}

export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'sigmoid'];

/** Throws when the arrays do not fit the declared shape. */
export function checkMlpShape(m: MlpModel): void {
  const layers = m.sizes.length - 1;
  if (layers < 1) throw new RangeError('an MLP needs at least one layer');
  for (const s of m.sizes) if (!Number.isInteger(s) || s <= 0) throw new RangeError(`bad layer width ${s}`);
  if (m.activations.length !== layers || m.weights.length !== layers || m.biases.length !== layers) {
    throw new RangeError(`expected ${layers} activations, weights and biases`);
  }
  for (let l = 0; l < layers; l++) {
    if (m.weights[l]!.length !== m.sizes[l]! * m.sizes[l + 1]!) throw new RangeError(`layer ${l} weights have ${m.weights[l]!.length} values, expected ${m.sizes[l]! * m.sizes[l + 1]!}`);
    if (m.biases[l]!.length !== m.sizes[l + 1]!) throw new RangeError(`layer ${l} biases have ${m.biases[l]!.length} values`);
    if (!ACTIVATIONS.includes(m.activations[l]!)) throw new RangeError(`layer ${l} has unknown activation ${String(m.activations[l])}`);
  }
  if (m.inputShift.length !== m.sizes[0] || m.inputScale.length !== m.sizes[0]) throw new RangeError('input standardisation does not match the input width');
  if (m.kind === 'autoencoder' && m.sizes[layers] !== m.sizes[0]) throw new RangeError('an autoencoder outputs as many values as it takes');
}
