// Loads the kernel module into a typed API. Takes a compiled WebAssembly.Module so the same code
// serves the Worker (its `.wasm` import) and Node (WebAssembly.compile of the file).

export interface Kernels {
  /** Scaled Manhattan distance of each `dims`-wide row of `rows` to the profile (mean, mad). */
  scaledManhattan(rows: Float64Array, dims: number, mean: Float64Array, mad: Float64Array): Float64Array;
}

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  scaledManhattanBatch(x: number, rows: number, dims: number, mean: number, mad: number, out: number): void;
}

const PAGE = 65536;

/** A bump layout over linear memory, reset per call: kernels keep no state between calls. */
class Scratch {
  private top = 0;
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {}

  reset(): void {
    this.top = this.base;
  }

  /** Reserves room for `count` f64 values, growing memory when needed; returns the byte offset. */
  f64(count: number): number {
    const at = (this.top + 7) & ~7;
    const end = at + count * 8;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return at;
  }

  write(at: number, values: Float64Array): void {
    new Float64Array(this.memory.buffer, at, values.length).set(values);
  }

  read(at: number, count: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, count).slice();
  }
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
  const scratch = new Scratch(wasm.memory, wasm.heapBase());

  return {
    scaledManhattan(rows, dims, mean, mad) {
      if (dims <= 0 || rows.length % dims !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of dims ${dims}`);
      if (mean.length !== dims || mad.length !== dims) throw new RangeError(`profile has ${mean.length}/${mad.length} values for ${dims} dims`);
      const n = rows.length / dims;
      scratch.reset();
      const pMean = scratch.f64(dims);
      const pMad = scratch.f64(dims);
      const pX = scratch.f64(rows.length);
      const pOut = scratch.f64(n);
      scratch.write(pMean, mean);
      scratch.write(pMad, mad);
      scratch.write(pX, rows);
      wasm.scaledManhattanBatch(pX, n, dims, pMean, pMad, pOut);
      return scratch.read(pOut, n);
    },
  };
}
