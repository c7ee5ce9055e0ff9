// Plain-TypeScript twins of the WebAssembly kernels: same arithmetic in the same order, for parity
// tests and side-by-side benchmarks.
import { averagePathLength, type ForestModel } from '../scoring/models/iforest.ts';
import type { MlpModel } from '../scoring/models/mlp-model.ts';
import { hyperplaneDot, type ExtendedForestModel } from '../scoring/models/eiforest.ts';

/** Scaled Manhattan distance of each row to a profile; NaN features are skipped (see profile.ts). */
export function scaledManhattan(
  rows: Float64Array,
  dims: number,
  mean: Float64Array,
  mad: Float64Array,
  out: Float64Array = new Float64Array(dims > 0 ? rows.length / dims : 0),
): Float64Array {
  const n = out.length;
  for (let r = 0; r < n; r++) {
    const base = r * dims;
    let sum = 0;
    let present = 0;
    for (let j = 0; j < dims; j++) {
      const v = rows[base + j]!;
      if (v !== v) continue;
      sum += Math.abs(v - mean[j]!) / mad[j]!;
      present++;
    }
    out[r] = present > 0 ? sum / present : NaN;
  }
  return out;
}

/** Path length of `row` (f32-rounded, as the kernel reads it) summed over the forest's trees. */
function forestPathSum(m: ForestModel, x: Float32Array | Float64Array, base: number): number {
  const inner = (1 << m.depth) - 1;
  const { thresholds, splitFeatures, leaves } = m;
  let sum = 0;
  for (let t = 0; t < m.trees; t++) {
    const nodes = t * inner;
    let i = 0;
    for (let k = 0; k < m.depth; k++) {
      const at = nodes + i;
      i = 2 * i + 1 + (Math.fround(x[base + splitFeatures[at]!]!) > thresholds[at]! ? 1 : 0);
    }
    sum += leaves[t * (inner + 1) + i - inner]!;
  }
  return sum;
}

/** Isolation-forest anomaly scores 2^(-E(h)/c(psi)) of each row (twin of iforest.ts). */
export function scoreForest(m: ForestModel, rows: Float32Array | Float64Array, out = new Float64Array(rows.length / m.features)): Float64Array {
  if (rows.length % m.features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${m.features}`);
  const invC = 1 / averagePathLength(m.sampleSize);
  for (let r = 0; r < out.length; r++) out[r] = Math.pow(2, -(forestPathSum(m, rows, r * m.features) / m.trees) * invC);
  return out;
}

/**
 * Per-feature contributions of one row: node value minus child value along every path, summed per
 * split feature, averaged over trees (twin of iforestContributions).
 */
export function forestContributions(m: ForestModel, row: Float32Array | Float64Array): Float64Array {
  const inner = (1 << m.depth) - 1;
  const out = new Float64Array(m.features);
  for (let t = 0; t < m.trees; t++) {
    const nodes = t * inner;
    let i = 0;
    let here = m.nodeValues[nodes]!;
    for (let k = 0; k < m.depth; k++) {
      const f = m.splitFeatures[nodes + i]!;
      const next = 2 * i + 1 + (Math.fround(row[f]!) > m.thresholds[nodes + i]! ? 1 : 0);
      const there = k + 1 < m.depth ? m.nodeValues[nodes + next]! : m.leaves[t * (inner + 1) + next - inner]!;
      out[f] = out[f]! + (here - there);
      here = there;
      i = next;
    }
  }
  for (let j = 0; j < out.length; j++) out[j] = out[j]! / m.trees;
  return out;
}

/** Outputs (rows x last width) of an MLP in float32 arithmetic, as mlp.ts computes them. */
export function mlpForward(m: MlpModel, rows: Float32Array | Float64Array): Float64Array {
  const inW = m.sizes[0]!;
  const outW = m.sizes[m.sizes.length - 1]!;
  const n = rows.length / inW;
  const out = new Float64Array(n * outW);
  for (let r = 0; r < n; r++) {
    const y = mlpRow(m, rows, r * inW);
    for (let j = 0; j < outW; j++) out[r * outW + j] = y[j]!;
  }
  return out;
}

/** Autoencoder reconstruction error per row: mean of (output - standardised input)^2. */
export function mlpReconstructionError(m: MlpModel, rows: Float32Array | Float64Array): Float64Array {
  const inW = m.sizes[0]!;
  const n = rows.length / inW;
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const y = mlpRow(m, rows, r * inW);
    let err = 0;
    for (let i = 0; i < inW; i++) {
      const target = Math.fround(Math.fround(Math.fround(rows[r * inW + i]!) - m.inputShift[i]!) * m.inputScale[i]!);
      const d = y[i]! - target;
      err += d * d;
    }
    out[r] = err / inW;
  }
  return out;
}

function mlpRow(m: MlpModel, rows: Float32Array | Float64Array, base: number): Float32Array {
  const inW = m.sizes[0]!;
  let a = new Float32Array(inW);
  for (let i = 0; i < inW; i++) a[i] = Math.fround(Math.fround(rows[base + i]!) - m.inputShift[i]!) * m.inputScale[i]!;
  for (let l = 0; l < m.weights.length; l++) {
    const w = m.weights[l]!;
    const b = m.biases[l]!;
    const fanIn = m.sizes[l]!;
    const fanOut = m.sizes[l + 1]!;
    const act = m.activations[l];
    const next = new Float32Array(fanOut);
    for (let o = 0; o < fanOut; o++) {
      let acc = b[o]!;
      const row = o * fanIn;
      for (let i = 0; i < fanIn; i++) acc = Math.fround(acc + Math.fround(w[row + i]! * a[i]!));
      if (act === 'relu') acc = Math.max(acc, 0);
      else if (act === 'sigmoid') acc = 1 / (1 + Math.exp(-acc));
      next[o] = acc; // Float32Array storage rounds like the kernel's f32 store
    }
    a = next;
  }
  return a;
}

/** Extended isolation-forest scores of each row (twin of eiforest.ts, same float32 dot products). */
export function scoreExtendedForest(m: ExtendedForestModel, rows: Float32Array | Float64Array): Float64Array {
  const d = m.features;
  if (rows.length % d !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${d}`);
  const inner = (1 << m.depth) - 1;
  const invC = 1 / averagePathLength(m.sampleSize);
  const out = new Float64Array(rows.length / d);
  for (let r = 0; r < out.length; r++) {
    let sum = 0;
    for (let t = 0; t < m.trees; t++) {
      let i = 0;
      for (let k = 0; k < m.depth; k++) {
        const node = t * inner + i;
        const dot = hyperplaneDot(m.normals, node * m.paddedFeatures, m.paddedFeatures, rows, r * d, d);
        i = 2 * i + 1 + (dot > m.offsets[node]! ? 1 : 0);
      }
      sum += m.leaves[t * (inner + 1) + i - inner]!;
    }
    out[r] = Math.pow(2, -(sum / m.trees) * invC);
  }
  return out;
}
