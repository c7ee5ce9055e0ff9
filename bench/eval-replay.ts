// `cadence eval replay [--data DIR] [--bots N] [--seed S] [--options JSON] [--sweep] [--json]`: replay detection
// (scoring/features/replay.ts) measured offline on real people (DIR, default ../shared/datasets:
// Balabit mouse sessions, Aalto/CMU/Kaggle typists cut into the collector's 3-second windows) and
// on `cadence synth`'s bots.
//
//  1. False matches: every session of a set indexed, then every window of every session matched
//     against the others; a flag that points at another person is a false match (a flag at the
//     same person's other session is reported apart). Also each session's first half indexed and
//     its second half matched (the same person is not a replay of themselves).
//  2. Detection: each indexed session replayed as a new session, by the generator's replayWarp and
//     by this file's own replayer (independent: warp with a slow drift, Gaussian timing noise that
//     may reorder close events, sub-pixel spatial noise, a random start in the source so windows are
//     cut elsewhere); share of replays with a flagged window that names the source, windows to it.
//  3. `--sweep`: only the people's sets, each replayed by this file's replayer at fixed levels of
//     timing and spatial noise (SWEEP): how much noise hides a replay of a stored session.
//
// A session is "confirmed" when two of its windows name the same other session (a rule the live
// path can use to keep a single chance window from deciding).
//
// CMU and Kaggle are everyone typing the same text: the hardest case for false matches.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent, EventBatch } from '../scoring/batch.ts';
import { createReplayIndex, type ReplayIndex, type ReplayMatch, type ReplayOptions } from '../scoring/features/replay.ts';
import { Rng } from '../scoring/models/rng.ts';
import { replayWarp } from '../scoring/synth/adversarial.ts';
import type { SynthSession } from '../scoring/synth/generate.ts';
import { flag, intOption, option } from './lib/args.ts';
import { windows, type CorpusSession } from './lib/corpus.ts';
import { sourceSessions, synthCorpus, type Source } from './lib/corpus-sources.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));

interface Session {
  id: string;
  subject: string;
  /** Pages of events, in order (each page its own clock). */
  pages: { page: string; events: BatchEvent[] }[];
  windows: BatchEvent[][];
}

function toSession(c: CorpusSession): Session {
  const pages: Session['pages'] = [];
  for (const b of c.batches) {
    const page = b.page ?? '/';
    const last = pages[pages.length - 1];
    if (last && last.page === page) last.events.push(...b.events);
    else pages.push({ page, events: [...b.events] });
  }
  return { id: c.id, subject: c.subject ?? c.id, pages, windows: c.batches.map((b) => b.events) };
}

/**
 * An independent replayer: warp with drift, timing noise (events sorted again), spatial noise, a
 * random start. `noise` fixes the timing sd (ms) and spatial sd (px) for the sweep (`--sweep`).
 */
function ownReplay(s: Session, rng: Rng, noise?: { sd: number; px: number }): BatchEvent[][] {
  const warp = 0.8 + 0.45 * rng.float();
  const drift = (rng.float() - 0.5) * 0.04; // +-2% over the page
  const sd = noise?.sd ?? 2 + 8 * rng.float();
  const px = noise?.px ?? 0.5 + 2.5 * rng.float();
  const out: BatchEvent[][] = [];
  for (const { events } of s.pages) {
    if (!events.length) continue;
    const t0 = events[0]!.t;
    const span = Math.max(1, events[events.length - 1]!.t - t0);
    // Start somewhere in the first fifth of the page: windows fall elsewhere than the source's.
    const from = events.findIndex((e) => e.t >= t0 + 0.2 * span * rng.float());
    const moved = events.slice(Math.max(0, from)).map((e) => {
      const u = (e.t - t0) / span;
      const r: BatchEvent = { ...e, t: Math.max(0, 1000 + (e.t - t0) * warp * (1 + drift * u) + sd * rng.normal()) };
      if (r.x !== undefined) r.x = r.x + px * rng.normal();
      if (r.y !== undefined) r.y = r.y + px * rng.normal();
      return r;
    });
    moved.sort((a, b) => a.t - b.t);
    out.push(...windows(moved));
  }
  return out;
}

/** The generator's replayWarp on a real session (its windows re-cut by the collector model). */
function generatorReplay(s: Session, rng: Rng): BatchEvent[][] {
  const source = {
    sessionId: s.id,
    user: s.subject,
    kind: 'genuine',
    actor: s.subject,
    index: 0,
    batches: s.pages.map((p, i) => ({ sessionId: 's', batchId: `b${i}`, seq: i, consent: true, context: { page: p.page }, events: p.events }) as EventBatch),
  } as SynthSession;
  return replayWarp(source, rng).batches.map((b) => b.events);
}

interface FalseMatch {
  sessions: number;
  windows: number;
  /** Windows flagged as a replay of another person's session. */
  windowsFlaggedOther: number;
  sessionsFlaggedOther: number;
  /** Windows flagged as a replay of the same person's other session. */
  windowsFlaggedSelf: number;
  /** Best similarity seen against another person (the margin). */
  maxSimilarityOther: number;
  /** Sessions with >= 2 windows flagged as replays of the same other person's session. */
  sessionsConfirmedOther: number;
  examples: string[];
}

function indexAll(idx: ReplayIndex, sessions: Session[]) {
  for (const s of sessions) for (const w of s.windows) idx.add(s.id, idx.fingerprint(w));
}

/** The replayer noise levels of `--sweep`: timing sd (ms) and spatial sd (px). */
const SWEEP = [
  { sd: 5, px: 1 },
  { sd: 10, px: 1 },
  { sd: 15, px: 1 },
  { sd: 20, px: 1 },
  { sd: 30, px: 1 },
  { sd: 5, px: 4 },
  { sd: 5, px: 8 },
];

function falseMatches(sessions: Session[], fresh: () => ReplayIndex): FalseMatch {
  const idx = fresh();
  indexAll(idx, sessions);
  const subjectOf = new Map(sessions.map((s) => [s.id, s.subject]));
  const r: FalseMatch = { sessions: sessions.length, windows: 0, windowsFlaggedOther: 0, sessionsFlaggedOther: 0, windowsFlaggedSelf: 0, maxSimilarityOther: 0, sessionsConfirmedOther: 0, examples: [] };
  for (const s of sessions) {
    let flagged = false;
    const per = new Map<string, number>();
    for (const w of s.windows) {
      r.windows++;
      const m = idx.match(s.id, idx.fingerprint(w));
      if (!m) continue;
      const self = subjectOf.get(m.sessionId) === s.subject;
      if (!self) r.maxSimilarityOther = Math.max(r.maxSimilarityOther, +m.similarity.toFixed(3));
      if (!m.replay) continue;
      if (self) r.windowsFlaggedSelf++;
      else {
        r.windowsFlaggedOther++;
        flagged = true;
        per.set(m.sessionId, (per.get(m.sessionId) ?? 0) + 1);
        if (r.examples.length < 5) r.examples.push(`${s.id} ~ ${m.sessionId} sim ${m.similarity.toFixed(2)} res ${m.residualMs.toFixed(1)}ms pairs ${m.pairs}`);
      }
    }
    if (flagged) r.sessionsFlaggedOther++;
    if ([...per.values()].some((n) => n >= 2)) r.sessionsConfirmedOther++;
  }
  return r;
}

/** First half of each session indexed, second half matched: flags at the own first half. */
function halves(sessions: Session[], fresh: () => ReplayIndex) {
  const idx = fresh();
  const long = sessions.filter((s) => s.windows.length >= 4);
  for (const s of long) for (const w of s.windows.slice(0, s.windows.length >> 1)) idx.add(`${s.id}#a`, idx.fingerprint(w));
  let windowsN = 0;
  let flaggedSelf = 0;
  let flaggedOther = 0;
  let sessionsSelf = 0;
  let confirmedSelf = 0;
  let maxSim = 0;
  for (const s of long) {
    let any = false;
    let own = 0;
    for (const w of s.windows.slice(s.windows.length >> 1)) {
      windowsN++;
      const m = idx.match(`${s.id}#b`, idx.fingerprint(w));
      if (!m) continue;
      if (m.sessionId === `${s.id}#a`) maxSim = Math.max(maxSim, +m.similarity.toFixed(3));
      if (!m.replay) continue;
      if (m.sessionId === `${s.id}#a`) {
        flaggedSelf++;
        own++;
        any = true;
      } else flaggedOther++;
    }
    if (any) sessionsSelf++;
    if (own >= 2) confirmedSelf++;
  }
  return { sessions: long.length, windows: windowsN, windowsFlaggedOwnFirstHalf: flaggedSelf, sessionsFlaggedOwnFirstHalf: sessionsSelf, sessionsConfirmedOwnFirstHalf: confirmedSelf, windowsFlaggedOther: flaggedOther, maxSimilarityOwn: maxSim };
}

function detection(sessions: Session[], idx: ReplayIndex, replay: (s: Session, rng: Rng) => BatchEvent[][], seed: number) {
  let detected = 0;
  let wrongSource = 0;
  let windowsN = 0;
  let flaggedWindows = 0;
  const toDetection: number[] = [];
  const toConfirmation: number[] = [];
  const missed: string[] = [];
  let micros = 0;
  let matched = 0;
  sessions.forEach((s, i) => {
    const rng = new Rng(seed * 1000 + i + 1);
    const ws = replay(s, rng);
    let first = -1;
    let confirmed = -1;
    let fromSource = 0;
    ws.forEach((w, j) => {
      const t = performance.now();
      const m: ReplayMatch | null = idx.match(`replay:${s.id}`, idx.fingerprint(w));
      micros += (performance.now() - t) * 1000;
      matched++;
      windowsN++;
      if (m?.replay) {
        if (m.sessionId !== s.id) wrongSource++;
        else if (++fromSource === 2 && confirmed < 0) confirmed = j;
        flaggedWindows++;
        if (first < 0) first = j;
      }
    });
    if (confirmed >= 0) toConfirmation.push(confirmed + 1);
    if (first >= 0) {
      detected++;
      toDetection.push(first + 1);
    } else if (missed.length < 5) missed.push(`${s.id} (${ws.length} windows)`);
  });
  const sorted = [...toDetection].sort((a, b) => a - b);
  const sortedC = [...toConfirmation].sort((a, b) => a - b);
  return {
    replays: sessions.length,
    detected,
    detected_pct: +((100 * detected) / Math.max(1, sessions.length)).toFixed(1),
    windows: windowsN,
    windows_flagged_pct: +((100 * flaggedWindows) / Math.max(1, windowsN)).toFixed(1),
    flags_naming_another_session: wrongSource,
    median_windows_to_detection: sorted.length ? sorted[sorted.length >> 1]! : null,
    p90_windows_to_detection: sorted.length ? sorted[Math.floor(sorted.length * 0.9)]! : null,
    confirmed_pct: +((100 * toConfirmation.length) / Math.max(1, sessions.length)).toFixed(1),
    median_windows_to_confirmation: sortedC.length ? sortedC[sortedC.length >> 1]! : null,
    p90_windows_to_confirmation: sortedC.length ? sortedC[Math.floor(sortedC.length * 0.9)]! : null,
    us_per_window: +(micros / Math.max(1, matched)).toFixed(1),
    missed,
  };
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const bots = intOption(argv, 'bots', 10);
  const seed = intOption(argv, 'seed', 7);
  // --options '{"maxPostings":256}': any ReplayOptions, for tuning.
  const opts = JSON.parse(option(argv, 'options') ?? '{}') as ReplayOptions;
  const sweep = flag(argv, 'sweep');
  const fresh = () => createReplayIndex(opts);
  const sets: [Source, string | undefined][] = [
    ['balabit', path.join(dir, 'mouse/balabit-training')],
    ['aalto', path.join(dir, 'keystroke/aalto-raw')],
    ['cmu', path.join(dir, 'keystroke/cmu-dsl2009-sessions7-8.csv')],
    ['kaggle', path.join(dir, 'keystroke/kaggle110-press-release.csv')],
  ];
  const result: Record<string, unknown> = {
    protocol:
      'windows of 3 s (<= 500 events) as the collector cuts them; a window is flagged when >= minShingles shingles vote for one diagonal of one other session and the paired events agree (median |timing residual| after a fitted warp, and px for the pointer) with similarity >= 0.5 over >= minPairs pairs',
  };
  const people: Record<string, unknown> = {};
  for (const [source, p] of sets) {
    if (!p || !existsSync(p)) {
      people[source] = 'missing';
      continue;
    }
    const sessions: Session[] = [];
    for await (const c of sourceSessions(source, p)) sessions.push(toSession(c));
    const idx = fresh();
    indexAll(idx, sessions);
    if (sweep) {
      // How much noise a replayer may add before the replay of a stored session is missed.
      people[source] = Object.fromEntries(
        SWEEP.map(({ sd, px }) => {
          const d = detection(sessions, idx, (x, rng) => ownReplay(x, rng, { sd, px }), seed + 1);
          return [`sd ${sd} ms, ${px} px`, `${d.detected}/${d.replays} detected, ${d.windows_flagged_pct}% of windows flagged, median to detection ${d.median_windows_to_detection}`];
        }),
      );
      process.stderr.write(`${source}: done\n`);
      continue;
    }
    people[source] = {
      false_matches: falseMatches(sessions, fresh),
      own_halves: halves(sessions, fresh),
      replay_generator: detection(sessions, idx, generatorReplay, seed),
      replay_own: detection(sessions, idx, ownReplay, seed + 1),
      index: idx.size(),
    };
    process.stderr.write(`${source}: done\n`);
  }
  result.people = people;
  if (sweep) {
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
    return 0;
  }
  // Bots: cadence synth's families; each indexed, replayed, and matched against each other.
  const botSessions: Session[] = [];
  for (const c of synthCorpus({ botsPerFamily: bots, seed })) botSessions.push(toSession(c));
  const bidx = fresh();
  indexAll(bidx, botSessions);
  const byFamily = new Map<string, Session[]>();
  for (const s of botSessions) byFamily.set(s.subject, [...(byFamily.get(s.subject) ?? []), s]);
  const famDetect = (replay: (s: Session, rng: Rng) => BatchEvent[][], sd: number) =>
    Object.fromEntries(
      [...byFamily].map(([fam, ss]) => {
        const d = detection(ss, bidx, replay, sd);
        return [fam, `${d.detected}/${d.replays} detected, ${d.windows} windows (${d.windows_flagged_pct}% flagged), median to detection ${d.median_windows_to_detection}`];
      }),
    );
  result.bots = {
    replay_own_by_family: famDetect(ownReplay, seed + 2),
    sessions: botSessions.length,
    replay_own: detection(botSessions, bidx, ownReplay, seed + 2),
    replay_generator: detection(botSessions, bidx, generatorReplay, seed + 3),
    // Bots of one family repeat themselves: flags between them are not false matches on people.
    among_bots: falseMatches(botSessions, fresh),
  };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  return 0;
}
