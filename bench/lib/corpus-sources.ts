// Converters from public data sets (and `cadence synth`'s generator) into the corpus format of
// bench/lib/corpus.ts. Each yields sessions one at a time; the readers are the offline
// evaluations' own (mouse-balabit.ts, keystroke-data.ts), so live and offline see the same events.
import type { BatchEvent } from '../../scoring/batch.ts';
import { ADVERSARIAL_KINDS, adversarialSessions } from '../../scoring/synth/adversarial.ts';
import { BOT_KINDS, synthSessions, type SynthSession } from '../../scoring/synth/generate.ts';
import { chainBySubject, windows, type CorpusSession } from './corpus.ts';
import { heldoutSessions } from './heldout-bots.ts';
import { readAalto, readCmu, readPressRelease } from './keystroke-data.ts';
import { listSessions, readBalabitSession } from './mouse-balabit.ts';

export const SOURCES = ['balabit', 'aalto', 'cmu', 'kaggle', 'synth', 'heldout'] as const;
export type Source = (typeof SOURCES)[number];

/** The corpus name each source writes (a report row). */
export const CORPUS_NAMES: Record<Source, string> = {
  balabit: 'balabit-mouse',
  aalto: 'aalto-typing',
  cmu: 'cmu-typing',
  kaggle: 'kaggle-typing',
  synth: 'synth',
  heldout: 'heldout-bots',
};

export interface SourceOptions {
  /** Synth: bot sessions per bot family (every kind in BOT_KINDS). */
  botsPerFamily?: number;
  /** Synth: genuine synthetic people (one session each), corpus `synth-people`. */
  people?: number;
  seed?: number;
}

/** Balabit Mouse Dynamics Challenge: `dir/userN/session_*` (e.g. balabit-training), one corpus session per file. */
export async function* balabitSessions(dir: string): AsyncGenerator<CorpusSession> {
  const files = await listSessions(dir);
  if (!files.length) throw new Error(`${dir}: no userN/session_* files`);
  for (const f of files) {
    yield { id: `balabit:${f.user}/${f.session}`, label: 'person', corpus: CORPUS_NAMES.balabit, subject: f.user, batches: windows(await readBalabitSession(f.file)).map((events) => ({ events })) };
  }
}

/**
 * Typing sets: each subject's samples (sentences, password repetitions) chained into one session,
 * `gapMs` apart, then cut into the collector's windows (the offline `eval sessions` does the same).
 */
async function* typingSessions(source: 'aalto' | 'cmu' | 'kaggle', path: string): AsyncGenerator<CorpusSession> {
  const [samples, gapMs] =
    source === 'aalto' ? [await readAalto(path), 3000] : source === 'cmu' ? [await readCmu(path), 1500] : [await readPressRelease(path), 1500];
  for (const [subject, events] of chainBySubject(samples, gapMs)) {
    yield { id: `${source}:${subject}`, label: 'person', corpus: CORPUS_NAMES[source], subject, batches: windows(events).map((e) => ({ events: e })) };
  }
}

/**
 * One synthetic session re-cut into 3-second windows, page by page (the generator's own batches
 * are 200 events each; the collector cuts by time). Each page's clock starts again.
 */
export function fromSynth(s: SynthSession, label: 'person' | 'bot', corpus: string, family?: string): CorpusSession {
  const pages: { page: string; events: BatchEvent[] }[] = [];
  for (const b of s.batches) {
    const page = b.context?.page ?? '/';
    const last = pages[pages.length - 1];
    if (last && last.page === page) last.events.push(...b.events);
    else pages.push({ page, events: [...b.events] });
  }
  const ctx = s.batches[0]?.context;
  return {
    id: `synth:${s.sessionId}`,
    label,
    corpus,
    ...(family ? { family } : {}),
    subject: s.actor,
    context: { ...(ctx?.deviceId ? { deviceId: ctx.deviceId } : {}), ...(ctx?.language ? { language: ctx.language } : {}), ...(ctx?.screen ? { screen: ctx.screen } : {}) },
    batches: pages.flatMap(({ page, events }) => windows(events).map((w) => ({ page, events: w }))),
  };
}

/**
 * `cadence synth`'s bots, `botsPerFamily` sessions of every kind in BOT_KINDS (whatever kinds the
 * generator has when this runs: each user gets one bot of every kind), family = kind; plus
 * `people` genuine synthetic users, one session each, as corpus `synth-people`.
 */
export function* synthCorpus(options: SourceOptions = {}): Generator<CorpusSession> {
  const seed = options.seed ?? 7;
  const perFamily = options.botsPerFamily ?? 40;
  if (perFamily > 0) {
    for (const s of synthSessions({ users: perFamily, sessions: 0, impostors: 0, bots: BOT_KINDS.length, seed })) {
      if (s.kind === 'bot' && s.bot) yield fromSynth(s, 'bot', CORPUS_NAMES.synth, s.bot);
    }
    // The human-like families (scoring/synth/adversarial.ts), recorded through a model of the collector.
    for (const kind of ADVERSARIAL_KINDS) for (const s of adversarialSessions({ kind, count: perFamily, seed })) yield fromSynth(s, 'bot', CORPUS_NAMES.synth, kind);
  }
  if ((options.people ?? 0) > 0) {
    for (const s of synthSessions({ users: options.people!, sessions: 1, impostors: 0, bots: 0, seed: seed + 1 })) {
      if (s.kind === 'genuine') yield fromSynth(s, 'person', 'synth-people');
    }
  }
}

/** The held-out red team (bench/lib/heldout-bots.ts), `botsPerFamily` sessions of each family. */
export function* heldoutCorpus(options: SourceOptions = {}): Generator<CorpusSession> {
  for (const s of heldoutSessions(options.botsPerFamily ?? 40, options.seed ?? 7)) {
    yield {
      id: s.id,
      label: 'bot',
      corpus: CORPUS_NAMES.heldout,
      family: s.family,
      subject: s.family,
      context: { deviceId: `dev-${s.id}`, language: 'en-US', screen: { width: 1920, height: 1080 } },
      batches: s.pages.flatMap(({ page, events }) => windows(events).map((w) => ({ page, events: w }))),
    };
  }
}

/** The sessions of one source; `path` is a directory (balabit, aalto) or a CSV file (cmu, kaggle); synth needs none. */
export function sourceSessions(source: Source, path: string | undefined, options: SourceOptions = {}): AsyncIterable<CorpusSession> | Iterable<CorpusSession> {
  if (source === 'synth') return synthCorpus(options);
  if (source === 'heldout') return heldoutCorpus(options);
  if (!path) throw new Error(`--from ${source} needs --in PATH`);
  if (source === 'balabit') return balabitSessions(path);
  return typingSessions(source, path);
}
