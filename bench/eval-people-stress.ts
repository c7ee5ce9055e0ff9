// `cadence eval people-stress [--data DIR] [--stretch 20] [--window-ms 3000] [--variants A,B] [--json]`: the public people sets through
// the variety real people and their machines bring, judged by the live path's own code (the edge's
// pre-score of each window, then the session's evidence; no replay index: every variant is a copy of
// its source). A rule that challenges any of these is a defect, not a finding about the person.
//
// Each variant changes the recording before it is cut into 3-second windows, as the collector would
// have seen it. Typing (Aalto, CMU, Kaggle typists, one chained session each):
//   clock Q          every time floored to Q ms (timer precision: 1 ms in Firefox and Safari, 16.7 ms
//                    under resistFingerprinting, Windows' 15.6 ms tick in older recordings)
//   busy page        each event stamped late by an exponential delay (mean 2 or 8 ms), order kept:
//                    the collector reads the time of a key when its handler runs
//   slower x1.8 / faster x0.6   every time stretched: a hunt-and-peck pace, a 150 wpm one
//   slower, same holds   keydowns spread out x1.8 or x3, each key held as long as before: most
//                    rollover goes (a typist who presses one key at a time: the case the hold-flight
//                    test judges; at 3x, a hunt-and-peck pace)
//   pauses           a pause of 2-12 s before one word in ten (thinking, reading the next line)
// Pointer (Balabit's sessions):
//   slower x1.4 / faster x0.7   every time stretched
//   busy page        each event stamped late (mean 1 or 4 ms), order kept: Chrome on Windows takes a
//                    mouse event's time when its UI thread handles it
//   grid / gain      positions on a grid of 2-4 px counts, or 1.5 and 2.5 px counts landing on whole
//                    pixels (a mouse at a high pointer speed without acceleration)
//   high-DPI         positions in CSS pixels on a 1.5x screen (fractions of a pixel)
//   dropped moves    one move in four lost (a page too busy to read coalesced samples)
//   clock 16.7 ms    every time floored to a frame
//   acceleration     each move's gain rising with its speed to 2x or 3x at 1.5 px/ms (a stronger
//                    "enhance pointer precision")
//   smoothed         positions filtered half way from the last (a touchpad's or a driver's smoothing)
//   held speed       each movement re-timed to one speed along its path, with 100 ms ramps (a
//                    trackpoint at its plateau, a pointer moved from the keyboard): a model, and a
//                    known failure (flat_speed challenges every such session; session 16)
//   mouse keys       each movement redrawn as Mouse Keys (an accessibility setting) moves the pointer:
//                    eight directions, a step every 20 ms at one speed (a model; session 17)
//   1000 / 125 Hz    the recording upsampled along a spline to a sample every 1 or 8 ms, on whole
//                    pixels, as the collector sends a modern mouse (a model; session 19)
//   low-pass / inertia  at 125 Hz, a driver's smoothing with a time constant, first order (30 ms)
//                    or second (an inertia, 25 and 35 ms): models from session 20's review, a known
//                    failure of the sub-movement count (smoothing fills the valleys between
//                    sub-movements); with 1000 Hz and acceleration x3 (jittered_path until session 20)
// Judged as whole sessions and as stretches of `--stretch` windows (a short visit starting
// anywhere). `--window-ms`: the batch length (the collector's 3 s; a 1000 Hz mouse fills its 500
// events in half a second of moving, so 500 and 1000 are real batch lengths too). Reported per set and variant: sessions and stretches challenged and blocked, and the
// signals behind the first challenge.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernels } from '../cli/build.ts';
import type { BatchEvent } from '../scoring/batch.ts';
import { Rng } from '../scoring/models/rng.ts';
import { DEFAULT_THRESHOLDS } from '../scoring/policy.ts';
import population from '../scoring/population-keystroke.json' with { type: 'json' };
import { createPreScorer, type Assessment } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import { accumulate, judgeInSession, NO_EVIDENCE } from '../scoring/session-evidence.ts';
import { loadKernels } from '../wasm/node.ts';
import { flag, intOption, option } from './lib/args.ts';
import { chainBySubject, cut } from './lib/corpus.ts';
import { readAalto, readCmu, readPressRelease } from './lib/keystroke-data.ts';
import { accelerated, busy, chain, clock, deviceRate, dropMoves, grid, heldSpeed, highDpi, lowPass, mouseKeys, pauses, slowerSameHolds, smoothed, stretch, type Variant } from './lib/people-variants.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));

const TYPING_VARIANTS: Record<string, Variant> = {
  'as recorded': (e) => [...e],
  'clock 1 ms': clock(1),
  'clock 15.6 ms': clock(15.625),
  'clock 16.7 ms': clock(1000 / 60),
  'busy page, 2 ms': busy(2),
  'busy page, 8 ms': busy(8),
  'slower x1.8': stretch(1.8),
  'faster x0.6': stretch(0.6),
  'slower x1.8, same holds': slowerSameHolds(1.8),
  'slower x3, same holds': slowerSameHolds(3),
  pauses,
};

const POINTER_VARIANTS: Record<string, Variant> = {
  'as recorded': (e) => [...e],
  'slower x1.4': stretch(1.4),
  'faster x0.7': stretch(0.7),
  'busy page, 1 ms': busy(1),
  'busy page, 4 ms': busy(4),
  'gain 1.5 px': grid(1.5),
  'grid 2 px': grid(2),
  'gain 2.5 px': grid(2.5),
  'grid 3 px': grid(3),
  'grid 4 px': grid(4),
  'high-DPI 1.5x': highDpi,
  'dropped moves': dropMoves,
  'clock 16.7 ms': clock(1000 / 60),
  'acceleration x2': accelerated(1),
  'acceleration x3': accelerated(2),
  'smoothed 0.5': smoothed(0.5),
  'held speed': heldSpeed(100),
  'mouse keys': mouseKeys(20),
  '1000 Hz mouse': deviceRate(1),
  '125 Hz mouse': deviceRate(8),
  '1000 Hz, acceleration x3': chain(deviceRate(1), accelerated(2)),
  '125 Hz, low-pass 30 ms': chain(deviceRate(8), lowPass(30)),
  '125 Hz, inertia 25 ms': chain(deviceRate(8), lowPass(25, 2)),
  '125 Hz, inertia 35 ms': chain(deviceRate(8), lowPass(35, 2)),
};

interface Row {
  set: string;
  variant: string;
  sessions: number;
  sessionsChallenged: number;
  sessionsBlocked: number;
  stretches: number;
  stretchesChallenged: number;
  stretchesBlocked: number;
  reasons: Record<string, number>;
}

/** Judges one run of scored windows as a session: whether any answer challenged or blocked, and the signals then. */
function judge(windows: readonly Assessment[]): { challenged: boolean; blocked: boolean; reasons: string[] } {
  let evidence = NO_EVIDENCE;
  let reasons: string[] = [];
  let challenged = false;
  let blocked = false;
  for (const window of windows) {
    evidence = accumulate(evidence, window);
    const a = judgeInSession(evidence, window, DEFAULT_THRESHOLDS);
    if ((a.decision === 'challenge' || a.decision === 'block') && !challenged) {
      challenged = true;
      reasons = evidence.signals;
    }
    if (a.decision === 'block') blocked = true;
  }
  return { challenged, blocked, reasons };
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const stretchWindows = intOption(argv, 'stretch', 20);
  const windowMs = intOption(argv, 'window-ms', 3000);
  const only = option(argv, 'variants')?.split(',');
  if (!existsSync(dir)) {
    process.stderr.write(`usage: cadence eval people-stress [--data DIR] [--stretch 20] [--window-ms 3000] [--variants A,B] [--json]\n  ${dir} does not exist\n`);
    return 2;
  }
  await buildKernels();
  const kernels = await loadKernels();
  const scorer = createPreScorer(population as Profile, kernels.scaledManhattan, DEFAULT_THRESHOLDS);

  const sets: { name: string; sessions: BatchEvent[][]; variants: Record<string, Variant> }[] = [];
  const ks = path.join(dir, 'keystroke');
  const typing = (name: string, samples: Awaited<ReturnType<typeof readAalto>>, gapMs: number) => sets.push({ name, sessions: [...chainBySubject(samples, gapMs).values()], variants: TYPING_VARIANTS });
  if (existsSync(path.join(ks, 'aalto-raw'))) typing('aalto', await readAalto(path.join(ks, 'aalto-raw')), 3000);
  if (existsSync(path.join(ks, 'cmu-dsl2009-sessions7-8.csv'))) typing('cmu', await readCmu(path.join(ks, 'cmu-dsl2009-sessions7-8.csv')), 1500);
  if (existsSync(path.join(ks, 'kaggle110-press-release.csv'))) typing('kaggle', await readPressRelease(path.join(ks, 'kaggle110-press-release.csv')), 1500);
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  if (existsSync(mouseDir)) {
    const sessions: BatchEvent[][] = [];
    for (const f of await listSessions(mouseDir)) sessions.push(await readBalabitSession(f.file));
    sets.push({ name: 'balabit', sessions, variants: POINTER_VARIANTS });
  }

  const rows: Row[] = [];
  for (const set of sets) {
    for (const [variant, apply] of Object.entries(set.variants)) {
      if (only && !only.includes(variant)) continue;
      const rng = new Rng(29);
      const row: Row = { set: set.name, variant, sessions: 0, sessionsChallenged: 0, sessionsBlocked: 0, stretches: 0, stretchesChallenged: 0, stretchesBlocked: 0, reasons: {} };
      for (const events of set.sessions) {
        // Each window scored once: the whole session and its stretches fold the same assessments.
        const windows = cut(apply(events, rng), windowMs).map((w) => scorer.score(w));
        const whole = judge(windows);
        row.sessions++;
        if (whole.challenged) row.sessionsChallenged++;
        if (whole.blocked) row.sessionsBlocked++;
        for (const r of whole.reasons) row.reasons[r] = (row.reasons[r] ?? 0) + 1;
        // Short visits: consecutive stretches (the whole session when shorter).
        for (let s = 0; s < windows.length; s += stretchWindows) {
          const part = judge(windows.slice(s, s + stretchWindows));
          row.stretches++;
          if (part.challenged) row.stretchesChallenged++;
          if (part.blocked) row.stretchesBlocked++;
          for (const r of part.reasons) row.reasons[r] = (row.reasons[r] ?? 0) + 1;
        }
      }
      rows.push(row);
    }
  }
  if (flag(argv, 'json')) {
    process.stdout.write(`${JSON.stringify({ protocol: `each variant applied to the recording, cut into ${windowMs} ms windows, judged by the edge pre-score and the session evidence as whole sessions and stretches of ${stretchWindows} windows; no replay index`, rows }, null, 1)}\n`);
    return 0;
  }
  process.stdout.write(`people under variation: challenged / blocked, whole sessions and stretches of ${stretchWindows} windows\n`);
  for (const r of rows) {
    const reasons = Object.entries(r.reasons).map(([k, n]) => `${k} ${n}`).join(', ');
    process.stdout.write(`  ${r.set.padEnd(8)} ${r.variant.padEnd(18)} sessions ${r.sessionsChallenged}/${r.sessionsBlocked} of ${r.sessions}  stretches ${r.stretchesChallenged}/${r.stretchesBlocked} of ${r.stretches}${reasons ? `  (${reasons})` : ''}\n`);
  }
  return 0;
}
