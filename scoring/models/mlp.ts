// MLP classifier and autoencoder training: AdamW, BCE with label smoothing (or MSE for the
// autoencoder), dropout, warmup + cosine learning-rate schedule, early stopping on a validation
// split, all driven by one seeded generator so that a seed reproduces the model bit for bit.
import { Rng } from './rng.ts';
import type { Activation, MlpModel } from './mlp-model.ts';
import type { Matrix } from './iforest.ts';

export interface TrainOptions {
  /** Hidden layer widths (classifier default: seed 003's 128, 64, 32). */
  hidden?: readonly number[];
  /** Peak learning rate (default 1e-3). */
  learningRate?: number;
  /** Decoupled weight decay, applied to weights not biases (default 0.01). */
  weightDecay?: number;
  /** Upper bound on epochs (default 200). */
  maxEpochs?: number;
  batchSize?: number;
  /** Probability of zeroing a hidden unit while training (default 0.1). */
  dropout?: number;
  /** Targets become y(1 - e) + e/2 (default 0.05; classifier only). */
  labelSmoothing?: number;
  /** Share of rows held out for early stopping (default 0.2). */
  validationFraction?: number;
  /** Epochs without a better validation loss before stopping (default 10). */
  patience?: number;
  /** Epochs of linear warmup before the cosine decay (default 2). */
  warmupEpochs?: number;
  seed?: number;
}

export interface TrainResult {
  model: MlpModel;
  /** Epochs run, the epoch whose weights were kept, and per-epoch losses. */
  epochs: number;
  bestEpoch: number;
  trainLoss: number[];
  validationLoss: number[];
}

interface Net {
  sizes: number[];
  activations: Activation[];
  w: Float64Array[];
  b: Float64Array[];
}

/** Binary classifier: rows, 0/1 labels -> sigmoid probability of label 1. */
export function trainMlp(x: Matrix, labels: ArrayLike<number>, features: number, options: TrainOptions = {}): TrainResult {
  const n = checkMatrix(x, features);
  if (labels.length !== n) throw new RangeError(`${labels.length} labels for ${n} rows`);
  for (let i = 0; i < n; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} is ${labels[i]}, expected 0 or 1`);
  const hidden = options.hidden ?? [128, 64, 32];
  const eps = options.labelSmoothing ?? 0.05;
  const target = (r: number, _x: Float64Array, out: Float64Array): void => {
    out[0] = labels[r]! * (1 - eps) + eps / 2;
  };
  return train(x, features, [features, ...hidden, 1], 'mlp', target, options);
}

/**
 * One-class autoencoder: learns to reproduce standardised rows through a bottleneck (default
 * hidden [2d, max(1, floor(d/2)), 2d]); a high reconstruction error marks an unusual row.
 */
export function trainAutoencoder(x: Matrix, features: number, options: TrainOptions = {}): TrainResult {
  checkMatrix(x, features);
  const d = features;
  const hidden = options.hidden ?? [2 * d, Math.max(1, Math.floor(d / 2)), 2 * d];
  const target = (_r: number, input: Float64Array, out: Float64Array): void => out.set(input);
  return train(x, features, [d, ...hidden, d], 'autoencoder', target, options);
}

function checkMatrix(x: Matrix, features: number): number {
  if (!Number.isInteger(features) || features <= 0) throw new RangeError(`features must be a positive integer, got ${features}`);
  if (x.length % features !== 0) throw new RangeError(`rows length ${x.length} is not a multiple of ${features}`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new RangeError(`row ${Math.floor(i / features)} feature ${i % features} is not finite`);
  const n = x.length / features;
  if (n < 4) throw new RangeError(`need at least 4 rows, got ${n}`);
  return n;
}

type Target = (row: number, standardised: Float64Array, out: Float64Array) => void;

function train(x: Matrix, d: number, sizes: number[], kind: MlpModel['kind'], target: Target, o: TrainOptions): TrainResult {
  const lr = o.learningRate ?? 1e-3;
  const wd = o.weightDecay ?? 0.01;
  const maxEpochs = o.maxEpochs ?? 200;
  const batchSize = o.batchSize ?? 64;
  const dropout = o.dropout ?? 0.1;
  const patience = o.patience ?? 10;
  const warmup = o.warmupEpochs ?? 2;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);
  const rng = new Rng(o.seed ?? 0);
  const n = x.length / d;

  // Standardise with the statistics of every row (a constant feature keeps scale 1).
  const shift = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * d + j]!;
    const mean = s / n;
    let v = 0;
    for (let r = 0; r < n; r++) v += (x[r * d + j]! - mean) ** 2;
    const sd = Math.sqrt(v / n);
    shift[j] = Math.fround(mean);
    scale[j] = Math.fround(sd > 1e-12 ? 1 / sd : 1);
  }
  const z = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) z[r * d + j] = (x[r * d + j]! - shift[j]!) * scale[j]!;

  const order = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  const nVal = Math.max(1, Math.round(n * (o.validationFraction ?? 0.2)));
  const val = order.slice(0, nVal);
  const trainRows = order.slice(nVal);

  const L = sizes.length - 1;
  const activations: Activation[] = sizes.slice(1).map((_, l) => (l < L - 1 ? 'relu' : kind === 'mlp' ? 'sigmoid' : 'linear'));
  const net: Net = { sizes, activations, w: [], b: [] };
  for (let l = 0; l < L; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    // He init before ReLU, Glorot for the output layer.
    const sd = activations[l] === 'relu' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut));
    net.w.push(new Float64Array(fanIn * fanOut).map(() => rng.normal() * sd));
    net.b.push(new Float64Array(fanOut));
  }
  const adam = new AdamW(net, wd);
  const ws = new Workspace(sizes);
  const gw = net.w.map((w) => new Float64Array(w.length));
  const gb = net.b.map((b) => new Float64Array(b.length));
  const outW = sizes[L]!;
  const t = new Float64Array(outW);

  const stepsPerEpoch = Math.ceil(trainRows.length / batchSize);
  const totalSteps = stepsPerEpoch * maxEpochs;
  const warmupSteps = Math.min(stepsPerEpoch * warmup, totalSteps - 1);
  const rateAt = (step: number): number => {
    if (step < warmupSteps) return (lr * (step + 1)) / warmupSteps;
    const p = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * p)));
  };

  const lossOf = (row: number, y: Float64Array): number => {
    target(row, z.subarray(row * d, row * d + d), t);
    if (kind === 'mlp') {
      const p = Math.min(Math.max(y[0]!, 1e-12), 1 - 1e-12);
      return -(t[0]! * Math.log(p) + (1 - t[0]!) * Math.log(1 - p));
    }
    let e = 0;
    for (let j = 0; j < outW; j++) e += (y[j]! - t[j]!) ** 2;
    return e / outW;
  };

  let best = Infinity;
  let bestEpoch = 0;
  let bestW = net.w.map((w) => w.slice());
  let bestB = net.b.map((b) => b.slice());
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let step = 0;
  let epoch = 0;
  for (; epoch < maxEpochs && epoch - bestEpoch < patience; epoch++) {
    rng.shuffle(trainRows);
    let sum = 0;
    for (let start = 0; start < trainRows.length; start += batchSize) {
      const end = Math.min(start + batchSize, trainRows.length);
      for (const g of gw) g.fill(0);
      for (const g of gb) g.fill(0);
      for (let k = start; k < end; k++) {
        const row = trainRows[k]!;
        const y = ws.forward(net, z.subarray(row * d, row * d + d), dropout, rng);
        sum += lossOf(row, y);
        // Both BCE through a sigmoid and MSE through a linear output give dL/dz = y - t (MSE scaled by 2/out).
        const delta = ws.delta[L - 1]!;
        for (let j = 0; j < outW; j++) delta[j] = kind === 'mlp' ? y[j]! - t[j]! : (2 * (y[j]! - t[j]!)) / outW;
        ws.backward(net, gw, gb);
      }
      const m = end - start;
      for (let l = 0; l < L; l++) {
        for (let i = 0; i < gw[l]!.length; i++) gw[l]![i]! /= m;
        for (let i = 0; i < gb[l]!.length; i++) gb[l]![i]! /= m;
      }
      adam.step(net, gw, gb, rateAt(step++));
    }
    trainLoss.push(sum / trainRows.length);
    let vs = 0;
    for (const row of val) vs += lossOf(row, ws.forward(net, z.subarray(row * d, row * d + d), 0, rng));
    const vl = vs / val.length;
    validationLoss.push(vl);
    if (vl < best - 1e-6) {
      best = vl;
      bestEpoch = epoch;
      bestW = net.w.map((w) => w.slice());
      bestB = net.b.map((b) => b.slice());
    }
  }

  const model: MlpModel = {
    kind,
    sizes,
    activations,
    weights: bestW.map((w) => Float32Array.from(w)),
    biases: bestB.map((b) => Float32Array.from(b)),
    inputShift: Float32Array.from(shift),
    inputScale: Float32Array.from(scale),
  };
  return { model, epochs: epoch, bestEpoch, trainLoss, validationLoss };
}

/** Activations, dropout masks and deltas of one row, reused across rows. */
class Workspace {
  readonly a: Float64Array[];
  readonly mask: Float64Array[];
  readonly delta: Float64Array[];
  constructor(sizes: number[]) {
    this.a = sizes.map((s) => new Float64Array(s));
    this.mask = sizes.map((s) => new Float64Array(s).fill(1));
    this.delta = sizes.slice(1).map((s) => new Float64Array(s));
  }

  /** a[0] = input; returns the output layer. Inverted dropout on hidden units when p > 0. */
  forward(net: Net, input: Float64Array, p: number, rng: Rng): Float64Array {
    this.a[0]!.set(input);
    const L = net.w.length;
    for (let l = 0; l < L; l++) {
      const fanIn = net.sizes[l]!;
      const fanOut = net.sizes[l + 1]!;
      const src = this.a[l]!;
      const dst = this.a[l + 1]!;
      const w = net.w[l]!;
      const act = net.activations[l];
      const mask = this.mask[l + 1]!;
      for (let o = 0; o < fanOut; o++) {
        let s = net.b[l]![o]!;
        const row = o * fanIn;
        for (let i = 0; i < fanIn; i++) s += w[row + i]! * src[i]!;
        if (act === 'relu') s = s > 0 ? s : 0;
        else if (act === 'sigmoid') s = 1 / (1 + Math.exp(-s));
        if (l < L - 1 && p > 0) {
          mask[o] = rng.float() < p ? 0 : 1 / (1 - p);
          s *= mask[o]!;
        } else mask[o] = 1;
        dst[o] = s;
      }
    }
    return this.a[L]!;
  }

  /** Given delta of the output layer (dL/dz), accumulates gradients into gw, gb. */
  backward(net: Net, gw: Float64Array[], gb: Float64Array[]): void {
    for (let l = net.w.length - 1; l >= 0; l--) {
      const fanIn = net.sizes[l]!;
      const fanOut = net.sizes[l + 1]!;
      const delta = this.delta[l]!;
      const src = this.a[l]!;
      const g = gw[l]!;
      for (let o = 0; o < fanOut; o++) {
        const dz = delta[o]!;
        if (dz === 0) continue;
        gb[l]![o]! += dz;
        const row = o * fanIn;
        for (let i = 0; i < fanIn; i++) g[row + i]! += dz * src[i]!;
      }
      if (l === 0) break;
      // Into the layer below: through its weights, its dropout mask and its ReLU.
      const below = this.delta[l - 1]!;
      const w = net.w[l]!;
      const mask = this.mask[l]!;
      for (let i = 0; i < fanIn; i++) {
        if (src[i]! <= 0) {
          below[i] = 0;
          continue;
        }
        let s = 0;
        for (let o = 0; o < fanOut; o++) s += w[o * fanIn + i]! * delta[o]!;
        below[i] = s * mask[i]!;
      }
    }
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter 2019), PyTorch's defaults for betas and eps. */
class AdamW {
  private readonly mw: Float64Array[];
  private readonly vw: Float64Array[];
  private readonly mb: Float64Array[];
  private readonly vb: Float64Array[];
  private t = 0;
  constructor(
    net: Net,
    private readonly decay: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.mw = net.w.map((w) => new Float64Array(w.length));
    this.vw = net.w.map((w) => new Float64Array(w.length));
    this.mb = net.b.map((b) => new Float64Array(b.length));
    this.vb = net.b.map((b) => new Float64Array(b.length));
  }

  step(net: Net, gw: Float64Array[], gb: Float64Array[], lr: number): void {
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    for (let l = 0; l < net.w.length; l++) {
      this.update(net.w[l]!, gw[l]!, this.mw[l]!, this.vw[l]!, lr, c1, c2, this.decay);
      this.update(net.b[l]!, gb[l]!, this.mb[l]!, this.vb[l]!, lr, c1, c2, 0);
    }
  }

  private update(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, lr: number, c1: number, c2: number, decay: number): void {
    const { beta1, beta2, eps } = this;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * gi;
      v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
      p[i] = p[i]! * (1 - lr * decay) - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
    }
  }
}
