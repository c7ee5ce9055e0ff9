// `cadence eval submovements [--data DIR] [--reversed] [--json]`: how the sub-movement signal
// (scoring/features/submovements.ts, `uncorrected_reaches` in scoring/session-evidence.ts) behaves
// on people and bots, and whether it measures movement rather than the sampling clock. `--reversed`:
// the same for corrections that come back against the primary movement (`overshooting_reaches`).
//
// 1. Reaches: per source, reaches judged and the share made of one sub-movement, each source as
//    recorded and re-clocked: bots' paths on a Windows-like 15.6 ms tick that skips 30 % of ticks
//    (Balabit users 7, 9 and 20 are sampled so), on an irregular ~30 ms clock, and on Balabit's
//    ~100 ms irregular clock; the finely sampled people on the ~30 and ~100 ms clocks too. A signal
//    that learnt "fine sampling = bot" would see the re-clocked bots' shares move toward people's;
//    this one abstains on coarse clocks and counts the same bell on fine ones.
// 2. Sessions: the session test on people's sessions cut into 1-minute stretches (20 windows; a visit
//    to a bank's login and transfer is about that) and whole, and on bots' sessions: stretches or
//    sessions in which the signal was raised once (monitor) and twice (challenge on its own).
// 3. Leave-users-out: p0 for each finely sampled user fitted on the others (twice the largest share
//    of one-sub-movement reaches among them), and the held-out user's stretches raised at that p0.
//
// Developed on the synth families (bezier, windmouse, overshoot, human-mix); the held-out red team
// (bench/lib/heldout-bots.ts) is reported apart as the check, never tuned to.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../scoring/batch.ts';
import { Rng } from '../scoring/models/rng.ts';
import { addedPerWindow } from '../scoring/features/pointer-window.ts';
import { reaches, REACH_TEST, REVERSAL_TEST } from '../scoring/features/submovements.ts';
import { adversarialSessions } from '../scoring/synth/adversarial.ts';
import { synthSessions } from '../scoring/synth/generate.ts';
import { flag, option } from './lib/args.ts';
import { cut } from './lib/corpus.ts';
import { reachSteps, rng as handsRng } from './lib/hands.ts';
import { countRow, raises, share, stretches, sum, type CountRow, type Counts } from './lib/session-counts.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const DEV_FAMILIES = ['bezier-mouse', 'windmouse', 'overshoot-mouse', 'human-mix'] as const;
const HELDOUT_POINTER = ['min-jerk-125hz', 'min-jerk-noisy-60hz', 'pyautogui-tween', 'spline-wander', 'ghost-cursor-overshoot', 'humancursor-curve', 'undershoot-correct'] as const;
const STRETCH = 20;

export type Clock = 'as recorded' | 'tick 15.6 ms' | '~30 ms' | '~100 ms';

/** A stream's pointer moves re-sampled on a clock: positions interpolated at the clock's instants. */
export function reclock(events: readonly BatchEvent[], clock: Clock, rng: Rng): BatchEvent[] {
  if (clock === 'as recorded') return [...events];
  const next = (t: number) => (clock === 'tick 15.6 ms' ? t + 15.625 * (rng.float() < 0.3 ? 2 : 1) : t + (clock === '~30 ms' ? 30 : 100) * (0.5 + rng.float()));
  const out: BatchEvent[] = [];
  let prev: BatchEvent | undefined;
  let at = NaN;
  for (const e of events) {
    if (e.type !== 'pointermove') {
      out.push(e);
      prev = undefined;
      continue;
    }
    if (!prev || e.t < prev.t) {
      out.push(e);
      prev = e;
      at = next(e.t);
      continue;
    }
    // A pointer at rest sends nothing: a gap of more than 300 ms restarts the clock at the next move.
    if (e.t - prev.t > 300) {
      out.push(e);
      prev = e;
      at = next(e.t);
      continue;
    }
    while (at <= e.t) {
      const f = (at - prev.t) / Math.max(1e-9, e.t - prev.t);
      out.push({ ...e, t: Math.round(at * 10) / 10, x: Math.round(prev.x! + f * (e.x! - prev.x!)), y: Math.round(prev.y! + f * (e.y! - prev.y!)) });
      at = next(at);
    }
    prev = e;
  }
  return out;
}

/** The offline twin of bench/lib/hands.ts's press(): presses on controls of a form, 3 s apart or more. */
export function handsSession(seed: number): BatchEvent[] {
  const random = handsRng(seed);
  const events: BatchEvent[] = [];
  let t = 500;
  let at = { x: 300, y: 300 };
  for (let k = 0; k < 12; k++) {
    const to = { x: 200 + 600 * random(), y: 120 + 420 * random() };
    for (const s of reachSteps(at, to, random)) {
      events.push({ type: 'pointermove', t: Math.round(t * 10) / 10, x: Math.round(s.x), y: Math.round(s.y), pointerType: 'mouse' });
      t += s.waitMs;
    }
    at = to;
    t += 150 + random() * 150;
    events.push({ type: 'pointerdown', t, x: Math.round(to.x), y: Math.round(to.y), button: 0, pointerType: 'mouse' });
    t += 60 + random() * 60;
    events.push({ type: 'pointerup', t, x: Math.round(to.x), y: Math.round(to.y), button: 0, pointerType: 'mouse' });
    t += 1500 + 2000 * random(); // typing into the field
  }
  return events;
}

/**
 * Which session test the run measures: reaches of one sub-movement (`uncorrected_reaches`, the
 * default) or corrections that come back against the primary movement (`--reversed`:
 * `overshooting_reaches`). The same reaches, counted for one outcome or the other.
 */
let outcome: 'single' | 'reversed' = 'single';
const test = () => (outcome === 'single' ? REACH_TEST : REVERSAL_TEST);

/** Reach counts each window of a session adds, as the session folds them (whole reaches across batches: scoring/features/pointer-window.ts). */
const perWindow = (windows: readonly BatchEvent[][]): Counts[] => addedPerWindow(windows).map((r) => ({ n: r.n, k: outcome === 'single' ? r.single : r.reversed ?? 0 }));
const minK = () => (outcome === 'single' ? 0 : REVERSAL_TEST.minReversed);
const row = (source: string, clock: Clock, sessions: Counts[][]) => countRow(source, clock, sessions, test(), minK());
const inStretches = (ws: Counts[]) => stretches(ws, STRETCH);

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  if (!existsSync(mouseDir)) {
    process.stderr.write(`usage: cadence eval submovements [--data DIR] [--json]\n  ${mouseDir} does not exist\n`);
    return 2;
  }
  outcome = flag(argv, 'reversed') ? 'reversed' : 'single';
  const rng = new Rng(11);
  const clocks: Clock[] = ['as recorded', 'tick 15.6 ms', '~30 ms', '~100 ms'];
  const rows: CountRow[] = [];

  // People: Balabit per user, in 1-minute stretches and whole.
  const users = new Map<string, { events: BatchEvent[][] }>();
  for (const f of await listSessions(mouseDir)) (users.get(f.user) ?? users.set(f.user, { events: [] }).get(f.user)!).events.push(await readBalabitSession(f.file));
  const userStretches = new Map<string, Counts[][]>();
  for (const [user, { events }] of users) {
    const sessions = events.map((ev) => perWindow(cut(ev)));
    userStretches.set(user, sessions.flatMap(inStretches));
    rows.push(row(`balabit ${user} (1-min stretches)`, 'as recorded', sessions.flatMap(inStretches)));
    rows.push(row(`balabit ${user} (whole sessions)`, 'as recorded', sessions));
    const fine = sum(sessions.flat()).n > 0;
    if (fine) for (const clock of ['~30 ms', '~100 ms'] as const) rows.push(row(`balabit ${user} (1-min stretches)`, clock, events.flatMap((ev) => inStretches(perWindow(cut(reclock(ev, clock, rng)))))));
  }

  // Synthetic people: cadence synth's genuine users, and the browser tests' hands.
  rows.push(row('synth genuine users', 'as recorded', [...synthSessions({ users: 40, sessions: 1, impostors: 0, bots: 0, seed: 7 })].map((s) => perWindow(s.batches.map((b) => b.events)))));
  for (const clock of ['as recorded', 'tick 15.6 ms'] as const) rows.push(row('hands.ts drive (12 presses)', clock, Array.from({ length: 40 }, (_, i) => perWindow(cut(reclock(handsSession(i + 1), clock, rng))))));

  // Bots: the families developed on, on every clock; the held-out families as recorded (the check).
  for (const kind of DEV_FAMILIES) {
    const sessions = adversarialSessions({ kind, count: 40, seed: 7 });
    for (const clock of clocks) rows.push(row(kind, clock, sessions.map((s) => perWindow(s.batches.map((b) => reclock(b.events, clock, rng))))));
  }
  const heldout = heldoutSessions(40, 7, HELDOUT_POINTER);
  for (const family of HELDOUT_POINTER) rows.push(row(`heldout:${family}`, 'as recorded', heldout.filter((s) => s.family === family).map((s) => s.pages.flatMap((p) => perWindow(cut(p.events))))));

  // Leave-users-out over the users the signal judges at all.
  const judgedUsers = [...userStretches].filter(([, s]) => sum(s.flat()).n > 0);
  const lou = judgedUsers.map(([user, held]) => {
    const others = judgedUsers.filter(([u]) => u !== user).map(([, s]) => share(sum(s.flat()))!);
    const p0: number = Math.min(0.5, 2 * Math.max(...others));
    const r = held.map((s) => raises(s, { p0, alpha: test().alpha }, minK()));
    return { held_out: user, p0: +p0.toFixed(3), held_out_share: share(sum(held.flat())), stretches: held.length, raised_once: r.filter((x) => x >= 1).length, raised_twice: r.filter((x) => x >= 2).length };
  });

  const result = { outcome, test: test(), stretch_windows: STRETCH, rows, leave_users_out: lou };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  else {
    process.stdout.write(`${outcome === 'single' ? 'one sub-movement (uncorrected_reaches)' : 'corrections that come back (overshooting_reaches)'}: session test p0 ${test().p0}, alpha ${test().alpha}; raised once = monitor, twice = challenge on this signal alone\n`);
    for (const r of rows) {
      process.stdout.write(`  ${r.source.padEnd(38)} ${r.clock.padEnd(13)} ${String(r.sessions).padStart(4)} sessions ${String(r.units).padStart(5)} reaches judged  ${outcome === 'single' ? 'one sub-movement' : 'reversed'} ${r.clean_share ?? '-'}  raised once ${r.raised_once_pct}%  twice ${r.raised_twice_pct}%\n`);
    }
    process.stdout.write('leave-users-out (p0 = 2 x the others\' largest share, at most 0.5)\n');
    for (const l of lou) process.stdout.write(`  ${l.held_out.padEnd(8)} p0 ${l.p0}  its share ${l.held_out_share}  ${l.stretches} stretches: raised once ${l.raised_once}, twice ${l.raised_twice}\n`);
  }
  return 0;
}
