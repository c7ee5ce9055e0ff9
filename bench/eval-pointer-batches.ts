// `cadence eval pointer-batches [--data DIR] [--json]`: do the session's pointer counts depend on how
// the events were cut into batches? The collector sends a batch 3 s after its first event or at 500
// events (half a second of a 1000 Hz mouse moving), so people's movements are cut at any point.
// Balabit's 20 sessions, as recorded and under two of `eval people-stress`'s variations (smoothing,
// a stronger acceleration), cut into batches of 3 s, 1 s, 0.5 s and 0.25 s; per cut, the session
// counts as the live path folds them (scoring/features/pointer-window.ts: a movement still going at
// a batch's end joined to the next batch's first) and, beside them, the sum of each batch's own
// counts (how they were folded before session 15): reaches judged and the share of one
// sub-movement, movements judged and the share flat, bends and the share taken fast.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../scoring/batch.ts';
import { addedPerWindow, pointerCounts } from '../scoring/features/pointer-window.ts';
import { addReaches, NO_REACHES, type Reaches } from '../scoring/features/submovements.ts';
import { Rng } from '../scoring/models/rng.ts';
import { flag, option } from './lib/args.ts';
import { cut } from './lib/corpus.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';
import { accelerated, smoothed, type Variant } from './lib/people-variants.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const CUTS = [3000, 1000, 500, 250];
const VARIANTS: Record<string, Variant> = { 'as recorded': (e) => [...e], 'smoothed 0.5': smoothed(0.5), 'acceleration x3': accelerated(2) };

interface Row {
  variant: string;
  batchMs: number;
  fold: 'joined' | 'per batch';
  reaches: number;
  single: number;
  moves: number;
  flat: number;
  bends: number;
  fastBends: number;
}

const share = (k: number, n: number) => (n ? `${((100 * k) / n).toFixed(1)} %` : '-');

export async function run(argv: string[]): Promise<number> {
  const dir = path.join(option(argv, 'data') ?? DEFAULT_DIR, 'mouse/balabit-training');
  if (!existsSync(dir)) {
    process.stderr.write(`usage: cadence eval pointer-batches [--data DIR] [--json]\n  ${dir} does not exist\n`);
    return 2;
  }
  const sessions: BatchEvent[][] = [];
  for (const f of await listSessions(dir)) sessions.push(await readBalabitSession(f.file));
  const rows: Row[] = [];
  for (const [variant, apply] of Object.entries(VARIANTS)) {
    for (const batchMs of CUTS) {
      let joined: Reaches = NO_REACHES;
      let naive: Reaches = NO_REACHES;
      for (const events of sessions) {
        const windows = cut(apply(events, new Rng(29)), batchMs);
        for (const added of addedPerWindow(windows)) joined = addReaches(joined, added);
        for (const w of windows) naive = addReaches(naive, pointerCounts(w));
      }
      for (const [fold, c] of [['joined', joined], ['per batch', naive]] as const) {
        rows.push({ variant, batchMs, fold, reaches: c.n, single: c.single, moves: c.moves ?? 0, flat: c.flat ?? 0, bends: c.bends ?? 0, fastBends: c.fastBends ?? 0 });
      }
    }
  }
  if (flag(argv, 'json')) {
    process.stdout.write(`${JSON.stringify({ protocol: "Balabit's 20 training sessions, each variant cut into batches of each length; session counts folded as the live path folds them ('joined') and as the sum of each batch's own counts ('per batch')", rows }, null, 1)}\n`);
    return 0;
  }
  process.stdout.write('Balabit, 20 sessions: pointer counts by batch length (joined: as the live path folds them; per batch: each batch alone)\n');
  for (const r of rows) {
    process.stdout.write(`  ${r.variant.padEnd(16)} ${String(r.batchMs).padStart(5)} ms  ${r.fold.padEnd(9)}  reaches ${String(r.reaches).padStart(5)}, one sub-movement ${share(r.single, r.reaches).padStart(7)}  movements ${String(r.moves).padStart(6)}, flat ${share(r.flat, r.moves).padStart(6)}  bends ${String(r.bends).padStart(6)}, fast ${share(r.fastBends, r.bends).padStart(6)}\n`);
  }
  return 0;
}
