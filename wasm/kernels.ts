// Loads the kernel module into a typed API. Takes a compiled WebAssembly.Module so the same code
// serves the Worker (its `.wasm` import) and Node (WebAssembly.compile of the file).
import { averagePathLength, type ForestModel } from '../scoring/models/iforest.ts';
import { checkMlpShape, type MlpModel } from '../scoring/models/mlp-model.ts';
import type { ExtendedForestModel } from '../scoring/models/eiforest.ts';
import type { Model } from './model-format.ts';
import { MAX_TREE_FEATURES, type TreeEnsembleModel } from '../scoring/models/tree-ensemble.ts';

export interface Kernels {
  /** Scaled Manhattan distance of each `dims`-wide row of `rows` to the profile (mean, mad). */
  scaledManhattan(rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array): Float64Array;
  /** Uploads a forest once into linear memory; its handle scores rows without copying the model. */
  loadForest(model: ForestModel): ForestKernel;
  /** Uploads an MLP or autoencoder once into linear memory. */
  loadMlp(model: MlpModel): MlpKernel;
  /** Uploads an extended isolation forest (hyperplane splits) once into linear memory. */
  loadExtendedForest(model: ExtendedForestModel): ScoringKernel;
  /** Uploads a tree ensemble (random forest); its handle scores the raw mean of the leaf values. */
  loadTrees(model: TreeEnsembleModel): ScoringKernel;
  /** Any decoded model file (see model-format.ts), by its kind. */
  loadModel(model: Model): ScoringKernel;
}

/** A resident model that scores rows of `features` values (read as float32). */
export interface ScoringKernel {
  readonly features: number;
  scoreOne(row: ArrayLike<number>): number;
  score(rows: Float64Array | Float32Array): Float64Array;
  dispose(): void;
}

/** An MLP resident in linear memory. Rows are `inputs` wide, read as float32. */
export interface MlpKernel extends ScoringKernel {
  readonly kind: MlpModel['kind'];
  /** Same as `features`. */
  readonly inputs: number;
  readonly outputs: number;
  /** 'mlp': first output (the sigmoid probability); 'autoencoder': reconstruction error. */
  scoreOne(row: ArrayLike<number>): number;
  /** scoreOne of every row of a flat row-major array. */
  score(rows: Float64Array | Float32Array): Float64Array;
  /** Every output of every row (rows x outputs, row-major). */
  forward(rows: Float64Array | Float32Array): Float64Array;
  dispose(): void;
}

/** A forest resident in linear memory. Rows are `features` wide; values are read as float32. */
export interface ForestKernel extends ScoringKernel {
  readonly features: number;
  readonly trees: number;
  /** Anomaly score in (0, 1] of one row (higher = more anomalous). */
  scoreOne(row: ArrayLike<number>): number;
  /** Scores of every row of a flat row-major array. */
  score(rows: Float64Array | Float32Array): Float64Array;
  /** Per-feature contributions of one row (see iforestContributions); they sum to c(psi) - E(h). */
  contributions(row: ArrayLike<number>): Float64Array;
  /** Returns its memory to the module; the handle must not be used afterwards. */
  dispose(): void;
}

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scaledManhattanBatch(x: number, rows: number, dims: number, mean: number, mad: number, out: number): void;
  iforestScoreOne(forest: number, groups: number, trees: number, depth: number, row: number, dims: number, invC: number): number;
  iforestRowSlot(): number;
  iforestKey(v: number): number;
  iforestTreeBytes(depth: number): number;
  MAX_DIMS: WebAssembly.Global;
  IFOREST_GROUP: WebAssembly.Global;
  iforestScoreBatch(forest: number, groups: number, trees: number, depth: number, x: number, rows: number, dims: number, invC: number, out: number): void;
  iforestContributions(forest: number, values: number, trees: number, depth: number, row: number, dims: number, out: number): void;
  mlpForward(net: number, x: number, rows: number, out: number): void;
  mlpReconstructionError(net: number, x: number, rows: number, out: number): void;
  eiforestScoreBatch(forest: number, trees: number, depth: number, padded: number, x: number, rows: number, invC: number, out: number): void;
  treesScoreBatch(nodes: number, roots: number, trees: number, x: number, rows: number, dims: number, out: number): void;
}

const PAGE = 65536;

/**
 * Linear memory above the module's static data: long-lived blocks (uploaded models) first-fit from
 * the bottom, and above them a scratch area reset per call, so kernels keep no state between calls.
 */
class Memory {
  private blocks: { at: number; size: number }[] = [];
  private top = 0;
  private readonly base: number;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    this.base = align(base, 16);
  }

  /** End of the long-lived blocks: where scratch starts. */
  private get end(): number {
    const last = this.blocks[this.blocks.length - 1];
    return last ? align(last.at + last.size, 16) : this.base;
  }

  /** Reserves a long-lived block of `bytes`, 16-byte aligned; returns its byte offset. */
  alloc(bytes: number): number {
    let at = this.base;
    let index = 0;
    for (; index < this.blocks.length; index++) {
      const b = this.blocks[index]!;
      if (b.at - at >= bytes) break;
      at = align(b.at + b.size, 16);
    }
    this.blocks.splice(index, 0, { at, size: bytes });
    this.ensure(at + bytes);
    return at;
  }

  free(at: number): void {
    const index = this.blocks.findIndex((b) => b.at === at);
    if (index >= 0) this.blocks.splice(index, 1);
  }

  resetScratch(): void {
    this.top = this.end;
  }

  /** Reserves `bytes` of scratch (8-byte aligned), growing memory when needed; returns the offset. */
  scratch(bytes: number): number {
    const at = align(this.top, 8);
    this.top = at + bytes;
    this.ensure(this.top);
    return at;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  f64(at: number, count: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, count);
  }

  f32(at: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, count);
  }

  u32(at: number, count: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, at, count);
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export async function instantiateKernels(module: WebAssembly.Module): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`wasm kernel aborted at ${line}:${column}`);
      },
    },
  });
  const wasm = instance.exports as unknown as Exports;
  const mem = new Memory(wasm.memory, wasm.heapBase());

  return {
    scaledManhattan(rows, dims, mean, mad) {
      if (dims <= 0 || rows.length % dims !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of dims ${dims}`);
      if (mean.length !== dims || mad.length !== dims) throw new RangeError(`profile has ${mean.length}/${mad.length} values for ${dims} dims`);
      const n = rows.length / dims;
      mem.resetScratch();
      const pMean = mem.scratch(dims * 8);
      const pMad = mem.scratch(dims * 8);
      const pX = mem.scratch(rows.length * 8);
      const pOut = mem.scratch(n * 8);
      mem.f64(pMean, dims).set(mean);
      mem.f64(pMad, dims).set(mad);
      mem.f64(pX, rows.length).set(rows);
      wasm.scaledManhattanBatch(pX, n, dims, pMean, pMad, pOut);
      return mem.f64(pOut, n).slice();
    },
    loadForest: (model) => uploadForest(wasm, mem, model),
    loadMlp: (model) => uploadMlp(wasm, mem, model),
    loadExtendedForest: (model) => uploadExtendedForest(wasm, mem, model),
    loadTrees: (model) => uploadTrees(wasm, mem, model),
    loadModel(model) {
      if (model.kind === 'iforest') return uploadForest(wasm, mem, model);
      if (model.kind === 'eiforest') return uploadExtendedForest(wasm, mem, model);
      if (model.kind === 'rforest') return uploadTrees(wasm, mem, model);
      return uploadMlp(wasm, mem, model);
    },
  };
}

/**
 * Byte offset in its tree of heap node i (0-based, children 2i+1 and 2i+2) in iforest.ts's blocked
 * layout: the node at level L, position p on its level, sits in the block of region L/3 numbered
 * p >> (L%3), at entry 2^(L%3) - 1 + its place within that block.
 */
function blockedOffset(i: number): number {
  const level = 31 - Math.clz32(i + 1);
  const p = i + 1 - (1 << level);
  const l = level % 3;
  const region = (((1 << (3 * Math.floor(level / 3))) - 1) / 7) * 64;
  return region + (p >> l) * 64 + ((1 << l) - 1 + (p & ((1 << l) - 1))) * 8;
}

function uploadForest(wasm: Exports, mem: Memory, m: ForestModel): ForestKernel {
  const { trees, depth, features } = m;
  const inner = (1 << depth) - 1;
  const perTree = 2 * inner + 1;
  if (m.thresholds.length !== trees * inner || m.leaves.length !== trees * (inner + 1)) throw new RangeError('forest arrays do not match its shape');
  const maxDims = wasm.MAX_DIMS.value as number;
  if (features > maxDims) throw new RangeError(`forest takes ${features} features, the kernel at most ${maxDims}`);
  const slot = wasm.iforestRowSlot();
  // The kernel scores trees in groups of its width; the forest is padded to whole groups.
  const width = wasm.IFOREST_GROUP.value as number;
  const groups = Math.ceil(trees / width);
  const padded = groups * width;
  const treeBytes = wasm.iforestTreeBytes(depth);
  // One block: the laid-out forest, the node values (for contributions), one row, f64 outputs.
  const forestBytes = padded * treeBytes;
  const valuesBytes = align(trees * inner * 4, 16);
  const rowBytes = align(features * 8, 16); // f64: a Float64Array row is copied as it is
  // The kernel's blocks are 64-byte aligned: allocate 48 bytes more than needed and start there.
  const block = mem.alloc(forestBytes + valuesBytes + rowBytes + features * 8 + 48);
  const pForest = align(block, 64);
  const pValues = pForest + forestBytes;
  const pRow = pValues + valuesBytes;
  const pOut = pRow + rowBytes;
  {
    // Layout of iforest.ts: see blockedOffset; a split as (threshold key, address of its feature in
    // the kernel's row slot), a leaf as (path length, 0). Padding trees never go right and add 0.
    const words = forestBytes / 4;
    const f = mem.f32(pForest, words);
    const u = mem.u32(pForest, words);
    const keys = new Int32Array(u.buffer, u.byteOffset, u.length);
    for (let t = 0; t < padded; t++) {
      const real = t < trees;
      for (let i = 0; i < perTree; i++) {
        const e = (t * treeBytes + blockedOffset(i)) / 4;
        if (i < inner) {
          keys[e] = real ? wasm.iforestKey(m.thresholds[t * inner + i]!) : 0x7fffffff;
          u[e + 1] = slot + (real ? m.splitFeatures[t * inner + i]! * 4 : 0);
        } else {
          f[e] = real ? m.leaves[t * (inner + 1) + i - inner]! : 0;
          u[e + 1] = 0;
        }
      }
    }
    mem.f32(pValues, trees * inner).set(m.nodeValues);
  }
  const invC = 1 / averagePathLength(m.sampleSize);
  let rowView = mem.f64(pRow, features);
  let disposed = false;
  const writeRow = (row: ArrayLike<number>): void => {
    if (disposed) throw new Error('forest kernel used after dispose()');
    if (row.length !== features) throw new RangeError(`row has ${row.length} values, forest takes ${features}`);
    // Memory growth detaches old views, which then have length 0 (cheaper to ask than memory.buffer).
    if (rowView.length === 0) rowView = mem.f64(pRow, features);
    rowView.set(row);
  };

  return {
    features,
    trees,
    scoreOne(row) {
      writeRow(row);
      return wasm.iforestScoreOne(pForest, groups, trees, depth, pRow, features, invC);
    },
    score(rows) {
      if (disposed) throw new Error('forest kernel used after dispose()');
      if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
      const n = rows.length / features;
      mem.resetScratch();
      const pX = mem.scratch(rows.length * 4);
      const pScores = mem.scratch(n * 8);
      mem.f32(pX, rows.length).set(rows);
      wasm.iforestScoreBatch(pForest, groups, trees, depth, pX, n, features, invC, pScores);
      return mem.f64(pScores, n).slice();
    },
    contributions(row) {
      writeRow(row);
      wasm.iforestContributions(pForest, pValues, trees, depth, pRow, features, pOut);
      return mem.f64(pOut, features).slice();
    },
    dispose() {
      if (!disposed) mem.free(block);
      disposed = true;
    },
  };
}

/** Lays out an MLP as mlp.ts reads it: descriptor words, scratch, standardisation, padded weights. */
function uploadMlp(wasm: Exports, mem: Memory, m: MlpModel): MlpKernel {
  checkMlpShape(m);
  const layers = m.sizes.length - 1;
  const inputs = m.sizes[0]!;
  const outputs = m.sizes[layers]!;
  const pad = (n: number): number => align(n, 4);
  const widest = Math.max(...m.sizes.map(pad));
  // Byte offsets inside one block, every array 16-byte aligned for v128 loads.
  let size = 0;
  const take = (bytes: number): number => {
    const at = size;
    size += align(bytes, 16);
    return at;
  };
  const oDesc = take((6 + 6 * layers) * 4);
  const oA = take(widest * 4);
  const oB = take(widest * 4);
  const oShift = take(inputs * 4);
  const oScale = take(inputs * 4);
  const oLayers = m.weights.map((_, l) => ({ w: take(m.sizes[l]! * pad(m.sizes[l + 1]!) * 4), b: take(pad(m.sizes[l + 1]!) * 4) }));
  const oRow = take(inputs * 4);
  const oOut = take(outputs * 8);
  const block = mem.alloc(size);
  const desc = [layers, inputs, block + oA, block + oB, block + oShift, block + oScale];
  for (let l = 0; l < layers; l++) {
    const fanIn = m.sizes[l]!;
    const fanOut = m.sizes[l + 1]!;
    const act = m.activations[l] === 'relu' ? 1 : m.activations[l] === 'sigmoid' ? 2 : 0;
    desc.push(fanIn, fanOut, pad(fanOut), act, block + oLayers[l]!.w, block + oLayers[l]!.b);
    // Input-major and zero padded: the kernel reads four (or sixteen) outputs of one input at once.
    const w = mem.f32(block + oLayers[l]!.w, fanIn * pad(fanOut));
    w.fill(0);
    for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) w[i * pad(fanOut) + o] = m.weights[l]![o * fanIn + i]!;
    const b = mem.f32(block + oLayers[l]!.b, pad(fanOut));
    b.fill(0);
    b.set(m.biases[l]!);
  }
  new Int32Array(wasm.memory.buffer, block + oDesc, desc.length).set(desc);
  mem.f32(block + oShift, inputs).set(m.inputShift);
  mem.f32(block + oScale, inputs).set(m.inputScale);

  const net = block + oDesc;
  const pRow = block + oRow;
  const pOut = block + oOut;
  const auto = m.kind === 'autoencoder';
  let rowView = mem.f32(pRow, inputs);
  let outView = mem.f64(pOut, outputs);
  let disposed = false;
  const live = (): void => {
    if (disposed) throw new Error('MLP kernel used after dispose()');
  };
  const batch = (rows: Float64Array | Float32Array, width: number, kernel: (net: number, x: number, n: number, out: number) => void): Float64Array => {
    live();
    if (rows.length % inputs !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${inputs}`);
    const n = rows.length / inputs;
    mem.resetScratch();
    const pX = mem.scratch(rows.length * 4);
    const pY = mem.scratch(n * width * 8);
    mem.f32(pX, rows.length).set(rows);
    kernel(net, pX, n, pY);
    return mem.f64(pY, n * width).slice();
  };

  return {
    kind: m.kind,
    features: inputs,
    inputs,
    outputs,
    scoreOne(row) {
      live();
      if (row.length !== inputs) throw new RangeError(`row has ${row.length} values, network takes ${inputs}`);
      if (rowView.buffer !== wasm.memory.buffer) {
        rowView = mem.f32(pRow, inputs);
        outView = mem.f64(pOut, outputs);
      }
      rowView.set(row);
      if (auto) wasm.mlpReconstructionError(net, pRow, 1, pOut);
      else wasm.mlpForward(net, pRow, 1, pOut);
      return outView[0]!;
    },
    score(rows) {
      if (auto) return batch(rows, 1, (a, b, c, d) => wasm.mlpReconstructionError(a, b, c, d));
      const all = batch(rows, outputs, (a, b, c, d) => wasm.mlpForward(a, b, c, d));
      return outputs === 1 ? all : Float64Array.from({ length: all.length / outputs }, (_, r) => all[r * outputs]!);
    },
    forward: (rows) => batch(rows, outputs, (a, b, c, d) => wasm.mlpForward(a, b, c, d)),
    dispose() {
      if (!disposed) mem.free(block);
      disposed = true;
    },
  };
}

/** Lays out an extended forest as eiforest.ts reads it: per tree, padded split entries then leaves. */
function uploadExtendedForest(wasm: Exports, mem: Memory, m: ExtendedForestModel): ScoringKernel {
  const { trees, depth, features, paddedFeatures: padded } = m;
  const inner = (1 << depth) - 1;
  if (m.normals.length !== trees * inner * padded || m.offsets.length !== trees * inner || m.leaves.length !== trees * (inner + 1)) {
    throw new RangeError('extended forest arrays do not match its shape');
  }
  const entry = padded + 4;
  const treeFloats = align(inner * entry + inner + 1, 4);
  const block = mem.alloc(trees * treeFloats * 4 + padded * 4 + 8);
  const f = mem.f32(block, trees * treeFloats);
  f.fill(0);
  for (let t = 0; t < trees; t++) {
    const base = t * treeFloats;
    for (let k = 0; k < inner; k++) {
      f.set(m.normals.subarray((t * inner + k) * padded, (t * inner + k + 1) * padded), base + k * entry);
      f[base + k * entry + padded] = m.offsets[t * inner + k]!;
    }
    f.set(m.leaves.subarray(t * (inner + 1), (t + 1) * (inner + 1)), base + inner * entry);
  }
  const pRow = block + trees * treeFloats * 4;
  const pOut = pRow + padded * 4;
  mem.f32(pRow, padded).fill(0); // scoreOne writes only the first `features` floats
  const invC = 1 / averagePathLength(m.sampleSize);
  let disposed = false;
  const live = (): void => {
    if (disposed) throw new Error('extended forest kernel used after dispose()');
  };
  return {
    features,
    scoreOne(row) {
      live();
      if (row.length !== features) throw new RangeError(`row has ${row.length} values, forest takes ${features}`);
      mem.f32(pRow, features).set(row); // the padding after it stays 0
      wasm.eiforestScoreBatch(block, trees, depth, padded, pRow, 1, invC, pOut);
      return mem.f64(pOut, 1)[0]!;
    },
    score(rows) {
      live();
      if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
      const n = rows.length / features;
      mem.resetScratch();
      const pX = mem.scratch(n * padded * 4 + 16);
      const pX16 = align(pX, 16);
      const pScores = mem.scratch(n * 8);
      const x = mem.f32(pX16, n * padded);
      if (padded === features) x.set(rows);
      else {
        x.fill(0);
        for (let r = 0; r < n; r++) x.set(rows.subarray(r * features, (r + 1) * features), r * padded);
      }
      wasm.eiforestScoreBatch(block, trees, depth, padded, pX16, n, invC, pScores);
      return mem.f64(pScores, n).slice();
    },
    dispose() {
      if (!disposed) mem.free(block);
      disposed = true;
    },
  };
}

/** Lays out a tree ensemble as trees.ts reads it: 8-byte nodes per tree, then the roots' offsets. */
function uploadTrees(wasm: Exports, mem: Memory, m: TreeEnsembleModel): ScoringKernel {
  const { trees, features } = m;
  const count = m.roots[trees]!;
  if (features > MAX_TREE_FEATURES) throw new RangeError(`ensemble takes ${features} features, the kernel at most ${MAX_TREE_FEATURES}`);
  if (m.feature.length !== count || m.threshold.length !== count || m.left.length !== count || m.value.length !== count) throw new RangeError('tree arrays do not match the node count');
  // Rows go to the kernel one cell wider: the features, then -Infinity, the cell a leaf "splits" on.
  const stride = features + 1;
  const nodesBytes = count * 8;
  const rootsBytes = align(trees * 4, 16);
  const rowBytes = align(stride * 4, 16);
  const block = mem.alloc(nodesBytes + rootsBytes + rowBytes + 16);
  const pRoots = block + nodesBytes;
  const pRow = pRoots + rootsBytes;
  const pOut = pRow + rowBytes;
  const f = mem.f32(block, count * 2);
  const u = mem.u32(block, count * 2);
  for (let t = 0; t < trees; t++) {
    const root = m.roots[t]!;
    const end = m.roots[t + 1]!;
    if (end - root >= 1 << 21) throw new RangeError(`tree ${t} has ${end - root} nodes, the kernel at most 2^21`);
    for (let k = root; k < end; k++) {
      const feature = m.feature[k]!;
      if (feature < 0) {
        f[2 * k] = m.value[k]!;
        u[2 * k + 1] = (1 << 10) | features; // trees.ts's LEAF_BIT, hop 0, the -Infinity cell
      } else {
        if (feature >= features) throw new RangeError(`node ${k} splits on feature ${feature} of ${features}`);
        f[2 * k] = m.threshold[k]!;
        u[2 * k + 1] = (((root + m.left[k]! - k) << 11) | feature) >>> 0; // hop to the left child
      }
    }
  }
  const rootsView = mem.u32(pRoots, trees);
  for (let t = 0; t < trees; t++) rootsView[t] = m.roots[t]! * 8;
  mem.f32(pRow, stride)[features] = -Infinity;
  let disposed = false;
  const live = (): void => {
    if (disposed) throw new Error('tree kernel used after dispose()');
  };
  let rowView = mem.f32(pRow, features);
  let outView = mem.f64(pOut, 1);
  return {
    features,
    scoreOne(row) {
      live();
      if (row.length !== features) throw new RangeError(`row has ${row.length} values, ensemble takes ${features}`);
      if (rowView.length === 0) {
        rowView = mem.f32(pRow, features);
        outView = mem.f64(pOut, 1);
      }
      rowView.set(row);
      wasm.treesScoreBatch(block, pRoots, trees, pRow, 1, features, pOut);
      return outView[0]!;
    },
    score(rows) {
      live();
      if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
      const n = rows.length / features;
      mem.resetScratch();
      const pX = mem.scratch(n * stride * 4);
      const pScores = mem.scratch(n * 8);
      const x = mem.f32(pX, n * stride);
      for (let r = 0; r < n; r++) {
        x.set(rows.subarray(r * features, (r + 1) * features), r * stride);
        x[r * stride + features] = -Infinity;
      }
      wasm.treesScoreBatch(block, pRoots, trees, pX, n, features, pScores);
      return mem.f64(pScores, n).slice();
    },
    dispose() {
      if (!disposed) mem.free(block);
      disposed = true;
    },
  };
}
