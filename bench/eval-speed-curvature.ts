// `cadence eval speed-curvature [--data DIR] [--json]`: whether reaches' speed follows their bends
// (scoring/features/speed-curvature.ts) on people and bots, and the leave-users-out check of the
// joint pointer test's count built on it (scoring/features/clean-pointer.ts, `clean_pointer`): reaches
// made of one sub-movement that also ignore their bends.
//
// 1. Reaches: per source and clock, in 3-s windows folded as the live path folds them
//    (scoring/features/pointer-window.ts), the reaches whose slope was measured, the share that
//    ignored their bends and the share that were also one sub-movement (the test's count). People:
//    Balabit's finely sampled users (7, 9, 20; the other seven are on a ~100 ms clock, where reaches
//    are not judged), as recorded and re-clocked (a Windows 15.6 ms tick skipping 30 % of ticks, an
//    irregular ~30 ms clock); the browser tests' drive (bench/lib/hands.ts); bots: the synth pointer families developed on and the held-out red team
//    (bench/lib/heldout-bots.ts), never tuned to.
//    The same three users also upsampled to a modern mouse's rate (1 and 8 ms, whole pixels; a model,
//    bench/lib/people-variants.ts deviceRate), since the collector sends every coalesced sample.
//    And the slopes' medians per source, as recorded (the law's -1/3 for people).
// 2. Leave-users-out: the bound for each finely sampled user = 2 x the largest share (of the test's
//    count) among the other two at any clock, recorded or modelled; the joint test with that bound,
//    window by window over the held-out user's sessions whole and in 1-minute stretches (20 windows),
//    at every clock: how many are raised.
// 3. Sessions of bots raised by the joint test (once: monitor; twice: challenge on it alone), with the
//    shipped bounds: without the fourth count, with session 19's count, and with this one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../scoring/batch.ts';
import { CLEAN_BOUNDS, pointerTooClean, SINGLE_UNSLOWED_TEST, type CleanBounds } from '../scoring/features/clean-pointer.ts';
import { addedPerWindow } from '../scoring/features/pointer-window.ts';
import { speedCurvatureSlope } from '../scoring/features/speed-curvature.ts';
import { addReaches, NO_REACHES, reachesUncorrected, SUBMOVEMENT_RULES, type Reaches } from '../scoring/features/submovements.ts';
import { ADVERSARIAL_KINDS, adversarialSessions } from '../scoring/synth/adversarial.ts';
import { Rng } from '../scoring/models/rng.ts';
import { flag, option } from './lib/args.ts';
import { cut } from './lib/corpus.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';
import { stretches } from './lib/session-counts.ts';
import { handsSession, reclock, type Clock } from './eval-submovements.ts';
import { deviceRate } from './lib/people-variants.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const POINTER_FAMILIES = ['bezier-mouse', 'windmouse', 'overshoot-mouse', 'human-mix'] as const;
const FINE_USERS = ['user7', 'user9', 'user20'];
const CLOCKS: Clock[] = ['as recorded', 'tick 15.6 ms', '~30 ms'];
/** The people also at a modern mouse's rate (bench/lib/people-variants.ts deviceRate: spline-upsampled, whole pixels). */
const RATES = [1, 8] as const;
const STRETCH = 20;

/** Times the joint test is raised over a run of windows, as the live path raises it (a window adding a clean outcome, no single test holding). */
function raised(ws: readonly Reaches[], bounds: CleanBounds): number {
  let total = NO_REACHES;
  let k = 0;
  for (const w of ws) {
    if (w.n === 0 && !w.moves && !w.bends) continue;
    total = addReaches(total, w);
    // The fourth count's outcome: redundant with `single` for this session's count, session 19's rule for its variant (asSession19).
    const addsClean = w.single > 0 || (w.flat ?? 0) > 0 || (w.fastBends ?? 0) > 0 || (bounds.singleUnslowed < 1 && (w.singleUnslowed ?? 0) > 0);
    if (addsClean && !reachesUncorrected(total) && pointerTooClean(total, undefined, bounds)) k++;
  }
  return k;
}

const shareOf = (ws: readonly Reaches[]) => {
  const curved = ws.reduce((s, w) => s + (w.curved ?? 0), 0);
  const unslowed = ws.reduce((s, w) => s + (w.unslowed ?? 0), 0);
  const single = ws.reduce((s, w) => s + (w.singleUnslowed ?? 0), 0);
  return { reaches: ws.reduce((s, w) => s + w.n, 0), curved, unslowed_share: curved ? +(unslowed / curved).toFixed(4) : null, single_unslowed_share: curved ? +(single / curved).toFixed(4) : null };
};

const perWindow = (events: readonly BatchEvent[]) => addedPerWindow(cut(events));

/**
 * The slopes themselves, for the claim that people sit near the law's -1/3: each stretch from a
 * release or a rest to a press, from its sample farthest from the press, finely sampled (no step
 * over 50 ms that moved over 4 px) and 50 px or more, as the reach test judges one (whole sessions,
 * not folded window by window as the live path counts: the slopes, not the counts).
 */
function reachSlopes(events: readonly BatchEvent[]): number[] {
  const out: number[] = [];
  let t: number[] = [], x: number[] = [], y: number[] = [];
  for (const e of events) {
    if ((e.pointerType !== undefined && e.pointerType !== 'mouse') || e.x === undefined || e.y === undefined) continue;
    if (e.type === 'pointerup') [t, x, y] = [[e.t], [e.x], [e.y]];
    else if (e.type === 'pointermove') {
      if (e.state === 'drag') [t, x, y] = [[], [], []];
      else {
        if (t.length && e.t - t[t.length - 1]! > SUBMOVEMENT_RULES.restMs) [t, x, y] = [[t[t.length - 1]!], [x[x.length - 1]!], [y[y.length - 1]!]];
        t.push(e.t);
        x.push(e.x);
        y.push(e.y);
      }
    } else if (e.type === 'pointerdown') {
      const m = t.length;
      let from = 0, far = -1;
      for (let i = 0; i < m; i++) {
        const d = (x[i]! - x[m - 1]!) ** 2 + (y[i]! - y[m - 1]!) ** 2;
        if (d >= far) [far, from] = [d, i];
      }
      let fine = m >= 3 && far >= SUBMOVEMENT_RULES.minDistancePx ** 2;
      for (let i = from + 1; fine && i < m; i++) if (t[i]! - t[i - 1]! > SUBMOVEMENT_RULES.maxStepMs && Math.hypot(x[i]! - x[i - 1]!, y[i]! - y[i - 1]!) > SUBMOVEMENT_RULES.pausePx) fine = false;
      const b = fine ? speedCurvatureSlope(Float64Array.from(t), Float64Array.from(x), Float64Array.from(y), from, m) : NaN;
      if (!Number.isNaN(b)) out.push(b);
      [t, x, y] = [[], [], []];
    }
  }
  return out;
}
const median = (v: readonly number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? +s[s.length >> 1]!.toFixed(3) : null;
};
/** Without this count: the bound at 1 and the outcomes dropped. */
const WITHOUT: CleanBounds = { ...CLEAN_BOUNDS, singleUnslowed: 1 };
const dropped = (ws: readonly Reaches[]) => ws.map(({ curved: _c, unslowed: _u, singleUnslowed: _s, ...r }) => r);
/** Session 19's count: every measured reach ignoring its bends, corrected or not, at its bound then. */
const SESSION19: CleanBounds = { ...CLEAN_BOUNDS, singleUnslowed: 0.25 };
const asSession19 = (ws: readonly Reaches[]) => ws.map((w) => (w.curved ? { ...w, singleUnslowed: w.unslowed } : w));

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  if (!existsSync(mouseDir)) {
    process.stderr.write(`usage: cadence eval speed-curvature [--data DIR] [--json]\n  ${mouseDir} does not exist\n`);
    return 2;
  }
  const rng = new Rng(5);
  const rows: { source: string; clock: Clock; sessions: number; reaches: number; curved: number; unslowed_share: number | null; single_unslowed_share: number | null }[] = [];
  // The finely sampled users' recordings, read once.
  const fine: { user: string; events: BatchEvent[] }[] = [];
  for (const f of await listSessions(mouseDir)) if (FINE_USERS.includes(f.user)) fine.push({ user: f.user, events: await readBalabitSession(f.file) });
  // People: user -> clock -> sessions (windows' added counts).
  const people = new Map<string, Map<Clock, Reaches[][]>>();
  for (const f of fine) {
    const events = f.events;
    const byClock = people.get(f.user) ?? people.set(f.user, new Map()).get(f.user)!;
    for (const clock of CLOCKS) (byClock.get(clock) ?? byClock.set(clock, []).get(clock)!).push(perWindow(reclock(events, clock, rng)));
  }
  for (const [user, byClock] of people) for (const [clock, sessions] of byClock) rows.push({ source: `balabit ${user}`, clock, sessions: sessions.length, ...shareOf(sessions.flat()) });
  // At 1000 and 125 Hz (a model of the same hands; whole pixels): the rate the collector sends.
  const rated = new Map<string, Reaches[][]>();
  for (const { user, events } of fine) {
    for (const ms of RATES) {
      const key = `balabit ${user}|${ms} ms (model)`;
      (rated.get(key) ?? rated.set(key, []).get(key)!).push(perWindow(deviceRate(ms)(events, rng)));
    }
  }
  for (const [key, sessions] of rated) {
    const [source, clock] = key.split('|') as [string, string];
    rows.push({ source, clock: clock as Clock, sessions: sessions.length, ...shareOf(sessions.flat()) });
  }
  const ratedRaised = [...rated].map(([key, sessions]) => ({ key, raised: sessions.filter((s) => raised(s, CLEAN_BOUNDS) > 0).length, sessions: sessions.length }));
  const hands: { clock: Clock; sessions: number; raised_once: number; raised_twice: number }[] = [];
  for (const clock of CLOCKS) {
    const sessions = Array.from({ length: 40 }, (_, i) => perWindow(reclock(handsSession(i + 1), clock, rng)));
    rows.push({ source: 'hands.ts drive', clock, sessions: sessions.length, ...shareOf(sessions.flat()) });
    hands.push({ clock, sessions: sessions.length, raised_once: sessions.filter((s) => raised(s, CLEAN_BOUNDS) > 0).length, raised_twice: sessions.filter((s) => raised(s, CLEAN_BOUNDS) > 1).length });
  }
  const bots = new Map<string, Reaches[][]>();
  for (const kind of ADVERSARIAL_KINDS.filter((k) => (POINTER_FAMILIES as readonly string[]).includes(k))) bots.set(kind, adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => addedPerWindow(s.batches.map((b) => b.events))));
  for (const s of heldoutSessions(40, 7)) (bots.get(`held-out ${s.family}`) ?? bots.set(`held-out ${s.family}`, []).get(`held-out ${s.family}`)!).push(addedPerWindow(s.pages.flatMap((p) => cut(p.events))));
  for (const [source, sessions] of bots) if (sessions.some((s) => s.some((w) => w.n))) rows.push({ source, clock: 'as recorded', sessions: sessions.length, ...shareOf(sessions.flat()) });

  // The slopes' medians, as recorded, people and the families developed on.
  const slopeSets = new Map<string, number[]>();
  const addSlopes = (source: string, v: number[]) => (slopeSets.get(source) ?? slopeSets.set(source, []).get(source)!).push(...v);
  for (const f of fine) addSlopes(`balabit ${f.user}`, reachSlopes(f.events));
  for (const kind of ADVERSARIAL_KINDS.filter((k) => (POINTER_FAMILIES as readonly string[]).includes(k))) for (const x of adversarialSessions({ kind, count: 40, seed: 7 })) addSlopes(kind, reachSlopes(x.batches.flatMap((b) => b.events)));
  const slopes = [...slopeSets].map(([source, v]) => ({ source, reaches: v.length, median_slope: median(v) }));

  // Leave-users-out: each user's bound from the other two, at any clock.
  const shareAt = (user: string) =>
    Math.max(...CLOCKS.map((c) => shareOf(people.get(user)!.get(c)!.flat()).single_unslowed_share ?? 0), ...RATES.map((ms) => shareOf((rated.get(`balabit ${user}|${ms} ms (model)`) ?? []).flat()).single_unslowed_share ?? 0));
  const lou = [...people.keys()].flatMap((user) => {
    const bound = 2 * Math.max(...[...people.keys()].filter((u) => u !== user).map(shareAt));
    return CLOCKS.map((clock) => {
      const sessions = people.get(user)!.get(clock)!;
      const parts = sessions.flatMap((s) => stretches(s, STRETCH));
      const bounds = { ...CLEAN_BOUNDS, singleUnslowed: bound };
      return { user, clock, own_share: shareOf(sessions.flat()).single_unslowed_share, single_unslowed_p0: +bound.toFixed(4), sessions_raised: sessions.filter((s) => raised(s, bounds) > 0).length, stretches: parts.length, stretches_raised: parts.filter((s) => raised(s, bounds) > 0).length, stretches_raised_twice: parts.filter((s) => raised(s, bounds) > 1).length };
    });
  });
  const sessionsRaised = [...bots].filter(([, sessions]) => sessions.some((s) => s.some((w) => w.n))).map(([source, sessions]) => {
    const count = (bounds: CleanBounds, drop: boolean, times: number, of19 = false) => sessions.filter((s) => raised(drop ? dropped(s) : of19 ? asSession19(s) : s, bounds) >= times).length / sessions.length;
    return {
      source,
      sessions: sessions.length,
      without: { once: count(WITHOUT, true, 1), twice: count(WITHOUT, true, 2) },
      session19: { once: count(SESSION19, false, 1, true), twice: count(SESSION19, false, 2, true) },
      with: { once: count(CLEAN_BOUNDS, false, 1), twice: count(CLEAN_BOUNDS, false, 2) },
    };
  });
  const result = { single_unslowed_p0: SINGLE_UNSLOWED_TEST.p0, window_ms: 3000, slopes, rows, leave_users_out: lou, hands_joint_test: hands, device_rate_joint_test: ratedRaised, bots_joint_test: sessionsRaised };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  else {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    process.stdout.write(`reaches whose speed ignores their bends (slope of log speed on log curvature > -0.1), and of one sub-movement too (the joint test's count, bound p0 ${SINGLE_UNSLOWED_TEST.p0}), in 3-s windows\n`);
    process.stdout.write(`median slope of log speed on log curvature per reach (as recorded, whole sessions; the law: -1/3)\n`);
    for (const r of slopes) process.stdout.write(`  ${r.source.padEnd(34)} ${String(r.reaches).padStart(5)} reaches  median ${r.median_slope}\n`);
    for (const r of rows) process.stdout.write(`  ${r.source.padEnd(34)} ${r.clock.padEnd(13)} ${String(r.sessions).padStart(4)} sessions ${String(r.reaches).padStart(5)} reaches ${String(r.curved).padStart(5)} measured  ignore their bends ${r.unslowed_share === null ? '-' : pct(r.unslowed_share)}  and one sub-movement ${r.single_unslowed_share === null ? '-' : pct(r.single_unslowed_share)}\n`);
    process.stdout.write(`leave-users-out: the bound 2 x the other two users' largest share at any clock (recorded or modelled); joint test raised on the held-out user\n`);
    for (const r of lou) process.stdout.write(`  ${r.user.padEnd(7)} ${r.clock.padEnd(13)} own ${r.own_share} p0 ${r.single_unslowed_p0}  sessions raised ${r.sessions_raised}  1-minute stretches raised ${r.stretches_raised} (twice: ${r.stretches_raised_twice}) of ${r.stretches}\n`);
    for (const r of ratedRaised) process.stdout.write(`  ${r.key.replace('|', ' at ')}: sessions raised by the joint test (shipped bound) ${r.raised} of ${r.sessions}\n`);
    for (const h of hands) process.stdout.write(`  hands.ts drive (browser tests' person) ${h.clock.padEnd(13)} sessions raised ${h.raised_once} (twice: ${h.raised_twice}) of ${h.sessions}\n`);
    process.stdout.write(`bots' sessions raised by the joint test, without this count / with session 19's (every reach ignoring its bends, p0 ${SESSION19.singleUnslowed}) / with this one (once: monitor; twice: challenge on it alone)\n`);
    for (const r of sessionsRaised) process.stdout.write(`  ${r.source.padEnd(34)} once ${pct(r.without.once)} / ${pct(r.session19.once)} / ${pct(r.with.once)}   twice ${pct(r.without.twice)} / ${pct(r.session19.twice)} / ${pct(r.with.twice)}\n`);
  }
  return 0;
}
