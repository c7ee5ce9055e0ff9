// `cadence bench submovements [--reps 7] [--data DIR] [--json]`: what the sub-movement pass
// (scoring/features/submovements.ts), the flat-speed pass (scoring/features/flat-speed.ts) and the
// fast-bends pass (scoring/features/fast-bends.ts) cost, and the three as the live path runs them
// (scoring/features/pointer-window.ts: a window's counts and edges, folded into the session's),
// the edge, side by side in one process with the edge's whole pre-score of the same batches (which
// runs both) and with pointer-noise's pass (the other one-pass pointer feature). Batches: every window of 40 human-mix sessions, and 400 windows of
// Balabit user 7 (15.6 ms clock: the worst case, many moves and presses) when the data is there.
// Microseconds per batch, median of --reps with the three interleaved; ratios matter, not
// absolute times (a shared machine).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernels } from '../cli/build.ts';
import type { BatchEvent } from '../scoring/batch.ts';
import { fastBends } from '../scoring/features/fast-bends.ts';
import { flatMoves } from '../scoring/features/flat-speed.ts';
import { pointerNoise } from '../scoring/features/pointer-noise.ts';
import { foldPointer, pointerWindow, type SessionPointer } from '../scoring/features/pointer-window.ts';
import { reaches } from '../scoring/features/submovements.ts';
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import population from '../scoring/population-keystroke.json' with { type: 'json' };
import { adversarialSessions } from '../scoring/synth/adversarial.ts';
import { loadKernels } from '../wasm/node.ts';
import { flag, intOption, option } from './lib/args.ts';
import { cut } from './lib/corpus.ts';
import { median } from './lib/interleaved.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));

export async function run(argv: string[]): Promise<number> {
  const reps = intOption(argv, 'reps', 7);
  await buildKernels();
  const kernels = await loadKernels();
  const scorer = createPreScorer(population as Profile, kernels.scaledManhattan);
  const windows: BatchEvent[][] = adversarialSessions({ kind: 'human-mix', count: 40, seed: 7 }).flatMap((s) => s.batches.map((b) => b.events));
  const mouseDir = path.join(option(argv, 'data') ?? DEFAULT_DIR, 'mouse/balabit-training');
  const user7 = existsSync(mouseDir) ? (await listSessions(mouseDir)).find((f) => f.user === 'user7') : undefined;
  if (user7) windows.push(...cut(await readBalabitSession(user7.file)).slice(0, 400));
  const impls: [string, (w: BatchEvent[]) => number][] = [
    ['edge pre-score (all features)', (w) => scorer.score(w).score],
    ['submovements (reaches)', (w) => reaches(w).n],
    ['flat-speed (movements)', (w) => flatMoves(w).moves],
    ['fast-bends (movements)', (w) => fastBends(w).bends],
    ['pointer-noise', (w) => pointerNoise(w).pairs],
    // The three passes as the live path runs them: counts and edges of the window, folded into the session's (scoring/features/pointer-window.ts).
    ['pointer window + fold', (w) => {
      const pw = pointerWindow(w);
      if (!pw) return 0;
      const f = foldPointer(folded, pw);
      folded = f.session;
      return f.added.n;
    }],
  ];
  let folded: SessionPointer | undefined;
  const times = new Map<string, number[]>(impls.map(([n]) => [n, []]));
  let sink = 0;
  for (const [, f] of impls) for (const w of windows) sink += f(w);
  for (let r = 0; r < reps; r++) {
    for (const [name, f] of impls) {
      const t0 = performance.now();
      for (const w of windows) sink += f(w);
      times.get(name)!.push(((performance.now() - t0) * 1000) / windows.length);
    }
  }
  const us = Object.fromEntries([...times].map(([n, v]) => [n, Math.round(median(v) * 100) / 100]));
  const whole = us['edge pre-score (all features)']!;
  const result = { batches: windows.length, with_balabit_user7: Boolean(user7), us_per_batch: us, submovements_share_of_prescore: Math.round((us['submovements (reaches)']! / whole) * 1000) / 1000, flat_speed_share_of_prescore: Math.round((us['flat-speed (movements)']! / whole) * 1000) / 1000, fast_bends_share_of_prescore: Math.round((us['fast-bends (movements)']! / whole) * 1000) / 1000, sink: sink > 0 };
  if (!flag(argv, 'json')) for (const [n, v] of Object.entries(us)) process.stdout.write(`${n.padEnd(32)} ${v} us per batch (${((100 * v) / whole).toFixed(1)} % of the pre-score)\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
