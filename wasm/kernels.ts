// Loads the kernel module into a typed API. Takes a compiled WebAssembly.Module so the same code
// serves the Worker (its `.wasm` import) and Node (WebAssembly.compile of the file).
import { averagePathLength, type ForestModel } from '../scoring/models/iforest.ts';

export interface Kernels {
  /** Scaled Manhattan distance of each `dims`-wide row of `rows` to the profile (mean, mad). */
  scaledManhattan(rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array): Float64Array;
  /** Uploads a forest once into linear memory; its handle scores rows without copying the model. */
  loadForest(model: ForestModel): ForestKernel;
}

/** A forest resident in linear memory. Rows are `features` wide; values are read as float32. */
export interface ForestKernel {
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
  iforestScoreOne(forest: number, trees: number, depth: number, row: number, invC: number): number;
  iforestScoreBatch(forest: number, trees: number, depth: number, x: number, rows: number, dims: number, invC: number, out: number): void;
  iforestContributions(forest: number, values: number, trees: number, depth: number, row: number, dims: number, out: number): void;
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
  };
}

function uploadForest(wasm: Exports, mem: Memory, m: ForestModel): ForestKernel {
  const { trees, depth, features } = m;
  const inner = (1 << depth) - 1;
  const perTree = 2 * inner + 1;
  if (m.thresholds.length !== trees * inner || m.leaves.length !== trees * (inner + 1)) throw new RangeError('forest arrays do not match its shape');
  // One block: the interleaved forest, the node values (for contributions), one row, one f64 out.
  const forestBytes = trees * perTree * 8;
  const valuesBytes = align(trees * inner * 4, 16);
  const rowBytes = align(features * 4, 16);
  const block = mem.alloc(forestBytes + valuesBytes + rowBytes + features * 8);
  const pForest = block;
  const pValues = block + forestBytes;
  const pRow = pValues + valuesBytes;
  const pOut = pRow + rowBytes;
  {
    const f = mem.f32(pForest, trees * perTree * 2);
    const u = mem.u32(pForest, trees * perTree * 2);
    for (let t = 0; t < trees; t++) {
      const entry = t * perTree * 2;
      for (let i = 0; i < inner; i++) {
        f[entry + 2 * i] = m.thresholds[t * inner + i]!;
        u[entry + 2 * i + 1] = m.splitFeatures[t * inner + i]! * 4;
      }
      for (let i = 0; i <= inner; i++) {
        f[entry + 2 * (inner + i)] = m.leaves[t * (inner + 1) + i]!;
        u[entry + 2 * (inner + i) + 1] = 0;
      }
    }
    mem.f32(pValues, trees * inner).set(m.nodeValues);
  }
  const invC = 1 / averagePathLength(m.sampleSize);
  let rowView = mem.f32(pRow, features);
  let disposed = false;
  const writeRow = (row: ArrayLike<number>): void => {
    if (disposed) throw new Error('forest kernel used after dispose()');
    if (row.length !== features) throw new RangeError(`row has ${row.length} values, forest takes ${features}`);
    // Memory growth detaches old views.
    if (rowView.buffer !== wasm.memory.buffer) rowView = mem.f32(pRow, features);
    rowView.set(row);
  };

  return {
    features,
    trees,
    scoreOne(row) {
      writeRow(row);
      return wasm.iforestScoreOne(pForest, trees, depth, pRow, invC);
    },
    score(rows) {
      if (disposed) throw new Error('forest kernel used after dispose()');
      if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
      const n = rows.length / features;
      mem.resetScratch();
      const pX = mem.scratch(rows.length * 4);
      const pScores = mem.scratch(n * 8);
      mem.f32(pX, rows.length).set(rows);
      wasm.iforestScoreBatch(pForest, trees, depth, pX, n, features, invC, pScores);
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
