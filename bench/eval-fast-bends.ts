// `cadence eval fast-bends [--data DIR] [--json]`: how the fast-bend count
// (scoring/features/fast-bends.ts) behaves on people and bots, and the leave-users-out check of its
// bound in the joint pointer test (scoring/features/clean-pointer.ts, `clean_pointer`).
//
// 1. Bends: per source, in 3-s windows as the collector cuts them, movements with a bend and the
//    share taken fast. People: Balabit's ten users (users 7, 9 and 20 finely sampled, the others on
//    a ~100 ms clock) and the synth people (scoring/synth/generate.ts); bots: the synth families
//    developed on and the held-out red team (bench/lib/heldout-bots.ts), the check, never tuned to.
// 2. Leave-users-out over Balabit's ten users: the bend bound for each user = 2 x the largest share
//    among the other nine (BEND_TEST.p0 = 0.15 is 2 x the largest of all ten); the joint test, with
//    that bound and the reach and flat tests' own, run window by window over the held-out user's
//    sessions whole and in 1-minute stretches (20 windows): how many are raised.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BEND_TEST, CLEAN_BOUNDS, pointerTooClean } from '../scoring/features/clean-pointer.ts';
import { addedPerWindow } from '../scoring/features/pointer-window.ts';
import { addReaches, NO_REACHES, type Reaches } from '../scoring/features/submovements.ts';
import { ADVERSARIAL_KINDS, adversarialSessions } from '../scoring/synth/adversarial.ts';
import { synthSessions } from '../scoring/synth/generate.ts';
import { flag, option } from './lib/args.ts';
import { cut } from './lib/corpus.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const POINTER_FAMILIES = ['bezier-mouse', 'windmouse', 'overshoot-mouse', 'human-mix'] as const;
const STRETCH = 20;

/** Times the joint test is raised over a run of windows (a window adding pointer counts of its own). */
function raised(ws: readonly Reaches[], bend: number): number {
  let total = NO_REACHES;
  let k = 0;
  for (const w of ws) {
    if (w.n === 0 && !w.moves && !w.bends) continue;
    total = addReaches(total, w);
    if (pointerTooClean(total, undefined, { ...CLEAN_BOUNDS, bend })) k++;
  }
  return k;
}

const shareOf = (ws: readonly Reaches[]) => {
  const bends = ws.reduce((s, w) => s + (w.bends ?? 0), 0);
  const fast = ws.reduce((s, w) => s + (w.fastBends ?? 0), 0);
  return { bends, fast_share: bends ? +(fast / bends).toFixed(4) : null };
};

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  if (!existsSync(mouseDir)) {
    process.stderr.write(`usage: cadence eval fast-bends [--data DIR] [--json]\n  ${mouseDir} does not exist\n`);
    return 2;
  }
  const users = new Map<string, Reaches[][]>();
  for (const f of await listSessions(mouseDir)) (users.get(f.user) ?? users.set(f.user, []).get(f.user)!).push(addedPerWindow(cut(await readBalabitSession(f.file))));
  const rows: { source: string; sessions: number; bends: number; fast_share: number | null }[] = [];
  for (const [user, sessions] of users) rows.push({ source: `balabit ${user}`, sessions: sessions.length, ...shareOf(sessions.flat()) });
  const synthPeople = [...synthSessions({ users: 30, sessions: 2, impostors: 0, bots: 0, seed: 7 })].map((s) => addedPerWindow(s.batches.map((b) => b.events)));
  rows.push({ source: 'synth people', sessions: synthPeople.length, ...shareOf(synthPeople.flat()) });
  const bots = new Map<string, Reaches[][]>();
  for (const kind of ADVERSARIAL_KINDS.filter((k) => (POINTER_FAMILIES as readonly string[]).includes(k))) bots.set(kind, adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => addedPerWindow(s.batches.map((b) => b.events))));
  for (const s of heldoutSessions(40, 7)) (bots.get(`held-out ${s.family}`) ?? bots.set(`held-out ${s.family}`, []).get(`held-out ${s.family}`)!).push(addedPerWindow(s.pages.flatMap((p) => cut(p.events))));
  for (const [source, sessions] of bots) if (sessions.some((s) => s.some((w) => w.moves))) rows.push({ source, sessions: sessions.length, ...shareOf(sessions.flat()) });

  const shares = new Map([...users].map(([u, s]) => [u, shareOf(s.flat()).fast_share ?? 0]));
  const lou = [...users].map(([user, sessions]) => {
    const bend = 2 * Math.max(...[...shares].filter(([u]) => u !== user).map(([, v]) => v));
    const parts = sessions.flatMap((s) => Array.from({ length: Math.ceil(s.length / STRETCH) }, (_, i) => s.slice(i * STRETCH, (i + 1) * STRETCH)));
    return { user, bend_p0: +bend.toFixed(4), sessions_raised: sessions.filter((s) => raised(s, bend) > 0).length, stretches: parts.length, stretches_raised: parts.filter((s) => raised(s, bend) > 0).length, stretches_raised_twice: parts.filter((s) => raised(s, bend) > 1).length };
  });
  const result = { bend_p0: BEND_TEST.p0, window_ms: 3000, rows, leave_users_out: lou };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  else {
    process.stdout.write(`bends taken fast (bound p0 ${BEND_TEST.p0}), in 3-s windows\n`);
    for (const r of rows) process.stdout.write(`  ${r.source.padEnd(34)} ${String(r.sessions).padStart(4)} sessions ${String(r.bends).padStart(6)} bends  fast ${r.fast_share === null ? '-' : `${(100 * r.fast_share).toFixed(1)}%`}\n`);
    process.stdout.write(`leave-users-out: bend bound 2 x the other nine's largest share; joint test raised on the held-out user\n`);
    for (const r of lou) process.stdout.write(`  ${r.user.padEnd(8)} p0 ${r.bend_p0}  sessions raised ${r.sessions_raised}  1-minute stretches raised ${r.stretches_raised} (twice: ${r.stretches_raised_twice}) of ${r.stretches}\n`);
  }
  return 0;
}
