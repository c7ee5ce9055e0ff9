// `cadence eval sessions [--data DIR] [--window-ms 3000] [--clock-ms Q] [--no-replay] [--json]`: people and bots judged as whole
// sessions, offline, by the live path's own code (the edge's pre-score of each window, then the
// session's evidence: scoring/session-evidence.ts). People come from the public sets in DIR
// (default ../shared/datasets): Balabit mouse sessions and the Aalto, CMU and Kaggle typists, cut
// into windows as the collector cuts batches; bots from `cadence synth`'s families. Reports, per
// corpus, the sessions challenged and blocked and the windows a bot needed to be caught.
//
// Nothing here is fitted: the rules and the evidence model are fixed in scoring/; this measures them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernels } from '../cli/build.ts';
import type { BatchEvent } from '../scoring/batch.ts';
import { DEFAULT_THRESHOLDS } from '../scoring/policy.ts';
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import population from '../scoring/population-keystroke.json' with { type: 'json' };
import { accumulate, judgeInSession, NO_EVIDENCE, typingOf } from '../scoring/session-evidence.ts';
import { ADVERSARIAL_KINDS, adversarialSessions } from '../scoring/synth/adversarial.ts';
import { BOT_KINDS, synthSessions } from '../scoring/synth/generate.ts';
import { loadKernels } from '../wasm/node.ts';
import { Rng } from '../scoring/models/rng.ts';
import { createReplayGuard, withReplay } from '../scoring/replay-guard.ts';
import { flag, intOption, option } from './lib/args.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { chainBySubject, cut } from './lib/corpus.ts';
import { readAalto, readCmu, readPressRelease, type Window } from './lib/keystroke-data.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

export { cut };

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));

/**
 * A window's keys as a soft keyboard sends them: each keyup 0-2 ms after its own keydown, the keydowns
 * as typed; `touch`: the page says its device has a touch screen at the window's end, as the collector
 * does on a phone.
 */
function asSoftKeyboard(window: readonly BatchEvent[], rng: Rng, touch = false): BatchEvent[] {
  const out: BatchEvent[] = [];
  for (const e of window) {
    if (e.type === 'keyup') continue;
    out.push(e);
    if (e.type !== 'keydown') continue;
    const { position: _position, ...key } = e;
    // Never before its keydown (rounding a keydown stamped 7024.100000000001 gives 7024.1).
    out.push({ ...key, type: 'keyup', t: Math.max(e.t, Math.round((e.t + 2 * rng.float()) * 10) / 10) });
  }
  out.sort((a, b) => a.t - b.t);
  if (touch && out.length) out.push({ type: 'environment', t: out[out.length - 1]!.t, state: 'touch' });
  return out;
}

interface Session {
  id: string;
  windows: BatchEvent[][];
}

/** One session per subject: their samples in order, `gapMs` apart (a person moving to the next sentence). */
function bySubject(samples: Window[], gapMs: number, ms: number): Session[] {
  return [...chainBySubject(samples, gapMs)].map(([id, events]) => ({ id, windows: cut(events, ms) }));
}

interface Outcome {
  sessions: number;
  windows: number;
  challenged: number;
  blocked: number;
  /** Sessions with an answer of monitor at least once and never worse. */
  monitored: number;
  /** Windows until the first challenge, per caught session. */
  toDetection: number[];
  reasons: Record<string, number>;
  /** Windows that raised each reason, whether or not the session was challenged. */
  windowReasons: Record<string, number>;
  /** Windows in which the session's typing was judged independent of its keys (typing_ignores_keys). */
  typingWindows: number;
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const ms = intOption(argv, 'window-ms', 3000);
  // People on a coarse clock: browsers that reduce timer precision against fingerprinting (Firefox's
  // resistFingerprinting and Tor Browser round event times to 16.67 or 100 ms). Every time is floored
  // to a multiple of --clock-ms, people's and bots' alike.
  const clockMs = Number(option(argv, 'clock-ms') ?? 0);
  if (!existsSync(dir)) {
    process.stderr.write(`usage: cadence eval sessions [--data DIR] [--window-ms 3000] [--clock-ms Q] [--no-replay] [--json]\n  ${dir} does not exist\n`);
    return 2;
  }
  await buildKernels();
  const kernels = await loadKernels();
  const scorer = createPreScorer(population as Profile, kernels.scaledManhattan, DEFAULT_THRESHOLDS);

  // One replay index for the whole run, as a core has: people first (each matched against everyone
  // seen before), then the bots, among them replays of those people.
  const replays = flag(argv, 'no-replay') ? undefined : createReplayGuard({ maxWindows: 100_000 });
  const judge = (sessions: Session[], prefix: string, index: typeof replays | null = replays): Outcome => {
    if (clockMs > 0) sessions = sessions.map((s) => ({ ...s, windows: s.windows.map((w) => w.map((e) => ({ ...e, t: Math.floor(e.t / clockMs) * clockMs }))) }));
    const o: Outcome = { sessions: sessions.length, windows: 0, challenged: 0, blocked: 0, monitored: 0, toDetection: [], reasons: {}, windowReasons: {}, typingWindows: 0 };
    for (const s of sessions) {
      let evidence = NO_EVIDENCE;
      let challengedAt = -1;
      let blocked = false;
      let monitored = false;
      const sessionId = `${prefix}/${s.id}`;
      s.windows.forEach((w, i) => {
        const replay = index?.check(sessionId, sessionId, w);
        const window = withReplay(scorer.score(w), replay?.match ?? null);
        if (replay) index!.remember(sessionId, sessionId, replay.fp);
        if (typingOf(evidence, window).ignoresKeys) o.typingWindows++;
        for (const r of window.reasons) o.windowReasons[r] = (o.windowReasons[r] ?? 0) + 1;
        evidence = accumulate(evidence, window);
        const a = judgeInSession(evidence, window, DEFAULT_THRESHOLDS);
        if ((a.decision === 'challenge' || a.decision === 'block') && challengedAt < 0) {
          challengedAt = i;
          for (const r of a.reasons) o.reasons[r] = (o.reasons[r] ?? 0) + 1;
        }
        if (a.decision === 'block') blocked = true;
        if (a.decision === 'monitor') monitored = true;
      });
      o.windows += s.windows.length;
      if (challengedAt >= 0) {
        o.challenged++;
        o.toDetection.push(challengedAt + 1);
      }
      if (blocked) o.blocked++;
      else if (monitored && challengedAt < 0) o.monitored++;
    }
    return o;
  };

  const people: Record<string, Session[]> = {};
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  if (existsSync(mouseDir)) {
    people['balabit-mouse'] = [];
    for (const f of await listSessions(mouseDir)) people['balabit-mouse'].push({ id: `${f.user}/${f.session}`, windows: cut(await readBalabitSession(f.file), ms) });
  }
  const ks = path.join(dir, 'keystroke');
  if (existsSync(path.join(ks, 'aalto-raw'))) people['aalto-typing'] = bySubject(await readAalto(path.join(ks, 'aalto-raw')), 3000, ms);
  if (existsSync(path.join(ks, 'cmu-dsl2009-sessions7-8.csv'))) people['cmu-typing'] = bySubject(await readCmu(path.join(ks, 'cmu-dsl2009-sessions7-8.csv')), 1500, ms);
  if (existsSync(path.join(ks, 'kaggle110-press-release.csv'))) people['kaggle-typing'] = bySubject(await readPressRelease(path.join(ks, 'kaggle110-press-release.csv')), 1500, ms);
  // The same typists as a phone's soft keyboard sends their keys: each keyup 0-2 ms after its keydown
  // (iOS sends both when the finger leaves the glass, with the key's identity), their own pace kept,
  // no touch screen declared (a recording, not our collector). Holds are the soft keyboard's, not theirs.
  const softRng = new Rng(17);
  const soft = (sessions: Session[], touch = false): Session[] => sessions.map((p) => ({ id: `${p.id}/soft${touch ? '/phone' : ''}`, windows: p.windows.map((w) => asSoftKeyboard(w, softRng, touch)) }));
  // Judged apart from the replay index: their keydowns are the typists' own, which the index holds already.
  const derived: Record<string, Session[]> = {};
  if (people['aalto-typing'] && people['cmu-typing']) derived['aalto+cmu as a soft keyboard'] = [...soft(people['aalto-typing']), ...soft(people['cmu-typing'])];
  // Not developed on: Kaggle's typists, the check.
  if (people['kaggle-typing']) derived['kaggle as a soft keyboard (check)'] = soft(people['kaggle-typing']);
  // The same from a phone through the collector: its page declares a touch screen with every batch.
  if (people['aalto-typing'] && people['cmu-typing']) derived['aalto+cmu from a phone (touch declared)'] = [...soft(people['aalto-typing'], true), ...soft(people['cmu-typing'], true)];
  if (people['kaggle-typing']) derived['kaggle from a phone (check)'] = soft(people['kaggle-typing'], true);

  const bots: Record<string, Session[]> = Object.fromEntries(BOT_KINDS.map((k) => [k, [] as Session[]]));
  for (const kind of ADVERSARIAL_KINDS) bots[kind] = adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => ({ id: s.sessionId, windows: s.batches.map((b) => b.events) }));
  for (const s of synthSessions({ users: 40, sessions: 0, impostors: 0, bots: BOT_KINDS.length, seed: 7 })) {
    bots[s.bot!]!.push({ id: s.sessionId, windows: s.batches.map((b) => b.events) });
  }

  // Replays of the people above (an independent replayer, not the synth one): the first 60 windows of
  // each, time-warped x0.8-1.25, timing noise sd 2-10 ms, 0.5-3 px, re-cut into windows elsewhere.
  const rng = new Rng(13);
  bots['replay-of-people'] = Object.values(people).flat().map((p, k) => {
    const warp = 0.8 + 0.45 * rng.float();
    const sd = 2 + 8 * rng.float();
    const px = 0.5 + 2.5 * rng.float();
    const events = p.windows.slice(0, 60).flat();
    const t0 = events[0]?.t ?? 0;
    let last = 0;
    const moved = events.map((e) => {
      const t = Math.max(last, Math.round((t0 + (e.t - t0) * warp + sd * rng.normal()) * 10) / 10);
      last = t;
      return { ...e, t, ...(e.x !== undefined ? { x: Math.round(e.x + px * rng.normal()), y: Math.round(e.y! + px * rng.normal()) } : {}) };
    });
    return { id: `replay-${k}`, windows: cut(moved.slice(Math.floor(rng.float() * 20)), ms) };
  });

  // The held-out red team (bench/lib/heldout-bots.ts): not for developing detectors, for checking them.
  for (const s of heldoutSessions(40, 7)) (bots[`heldout:${s.family}`] ??= []).push({ id: s.id, windows: s.pages.flatMap((p) => cut(p.events, ms)) });

  const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1]! : null);
  const summary = (o: Outcome) => ({
    sessions: o.sessions,
    windows: o.windows,
    challenged_pct: +((100 * o.challenged) / Math.max(1, o.sessions)).toFixed(2),
    blocked_pct: +((100 * o.blocked) / Math.max(1, o.sessions)).toFixed(2),
    monitored_pct: +((100 * o.monitored) / Math.max(1, o.sessions)).toFixed(2),
    median_windows_to_detection: median(o.toDetection),
    typing_ignores_keys_windows: o.typingWindows,
    reasons: o.reasons,
    window_reasons: o.windowReasons,
  });
  const result = {
    protocol: `${clockMs > 0 ? `every time floored to ${clockMs} ms; ` : ''}each session's windows (${ms} ms, <= 500 events) scored by the edge pre-score, folded into the session evidence; a session counts once if any answer was challenge or block`,
    people: { ...Object.fromEntries(Object.entries(people).map(([k, v]) => [k, summary(judge(v, k))])), ...Object.fromEntries(Object.entries(derived).map(([k, v]) => [k, summary(judge(v, k, null))])) },
    bots: Object.fromEntries(Object.entries(bots).map(([k, v]) => [k, summary(judge(v, k))])),
  };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  else {
    for (const [group, rows] of [['people', result.people], ['bots', result.bots]] as const) {
      process.stdout.write(`${group}\n`);
      for (const [name, r] of Object.entries(rows)) {
        process.stdout.write(`  ${name.padEnd(18)} ${String(r.sessions).padStart(4)} sessions ${String(r.windows).padStart(6)} windows  challenged ${r.challenged_pct}%  blocked ${r.blocked_pct}%  monitored ${r.monitored_pct}%  median windows to detection ${r.median_windows_to_detection ?? '-'}  typing_ignores_keys in ${r.typing_ignores_keys_windows} windows\n`);
      }
    }
  }
  return 0;
}
