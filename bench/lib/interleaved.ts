// Side-by-side timing of scoring implementations in one process (`bench kernel`, `bench trees`):
// one row per call and whole batches, implementations interleaved within each repetition so that
// the machine's drift hits them all alike; the median of the repetitions, in microseconds per row.

export interface Impl {
  name: string;
  /** Scores one row; returns a number so that the work cannot be optimised away. */
  one(row: number): number;
  /** Scores every row at once. */
  batch(): ArrayLike<number>;
  /** Rows per repetition of the one-at-a-time loop (slow peers: a slice). */
  singleRows: number;
}

export interface Timing {
  single_us: number;
  batch_us: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Median per-row time over `reps` repetitions of `impls`, each batch holding `batchRows` rows. */
export function measureInterleaved(impls: Impl[], reps: number, batchRows: number, warmRows = 500): Map<string, Timing> {
  const single = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  const batch = new Map<string, number[]>(impls.map((i) => [i.name, []]));
  let sink = 0;
  for (const impl of impls) {
    // Warm-up: lets the JIT settle before timing.
    for (let r = 0; r < Math.min(impl.singleRows, warmRows); r++) sink += impl.one(r);
    sink += impl.batch()[0]!;
  }
  for (let rep = 0; rep < reps; rep++) {
    for (const impl of impls) {
      const t0 = performance.now();
      for (let r = 0; r < impl.singleRows; r++) sink += impl.one(r);
      const t1 = performance.now();
      sink += impl.batch()[0]!;
      const t2 = performance.now();
      single.get(impl.name)!.push(((t1 - t0) * 1000) / impl.singleRows);
      batch.get(impl.name)!.push(((t2 - t1) * 1000) / batchRows);
    }
  }
  if (Number.isNaN(sink)) process.stderr.write('(NaN scores seen)\n');
  return new Map(impls.map((i) => [i.name, { single_us: round(median(single.get(i.name)!)), batch_us: round(median(batch.get(i.name)!)) }]));
}
