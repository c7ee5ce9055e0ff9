// The corpus of recorded sessions that `cadence eval live` replays through a running stack.
//
// Format: JSON Lines, one session per line (UTF-8, `\n`-separated; blank lines are skipped):
//
//   { "id": "balabit:user7/session_0041905381",   unique within the file
//     "label": "person" | "bot",                  who produced it
//     "corpus": "balabit-mouse",                  the set it comes from (a report row)
//     "family"?: "zero-interval",                 a sub-group, e.g. the bot family (a report row)
//     "subject"?: "user7",                        the person (or generator) behind it
//     "context"?: { "deviceId"?, "language"?, "screen"?: { "width", "height" } },
//     "batches": [ { "events": [ ...BatchEvent ], "page"?: "/login" }, ... ] }
//
// Each batch is what the browser collector would send for one window: the events of at most 3
// seconds from the window's first event, at most 500 events (LIMITS.maxEvents) and small enough
// for the edge's 64 KB body limit, exactly as scoring/batch.ts validates them (timings and key
// classes, never key values). Timestamps are the collector's: ms on the page's clock
// (performance.now()), non-decreasing within a page; a batch with a new `page` may start again
// from a small `t`, as a new page's clock does. The replayer adds sessionId, batchId, seq,
// consent and context; the corpus holds only what the person or bot did.
//
// Converters from public data sets (`cadence eval corpus`, bench/lib/corpus-sources.ts) write
// these files; the data itself never enters the repository.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { BatchEvent } from '../../scoring/batch.ts';
import { LIMITS } from '../../scoring/batch-limits.ts';
import type { Window } from './keystroke-data.ts';

export interface CorpusBatch {
  events: BatchEvent[];
  page?: string;
}

export interface CorpusSession {
  id: string;
  label: 'person' | 'bot';
  corpus: string;
  family?: string;
  subject?: string;
  context?: { deviceId?: string; language?: string; screen?: { width: number; height: number } };
  batches: CorpusBatch[];
}

/** The collector's flush interval. */
export const WINDOW_MS = 3000;
/** Events' JSON per batch: the edge takes 64 KB bodies; the envelope (ids, context) stays well under 4 KB. */
export const MAX_EVENTS_BYTES = 60_000;

/** Cuts a session's events into windows as the collector does: every `ms`, at most 500 events. */
export function cut(events: readonly BatchEvent[], ms = WINDOW_MS, maxEvents: number = LIMITS.maxEvents): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  for (let s = 0; s < events.length; ) {
    const t0 = events[s]!.t;
    let e = s;
    while (e < events.length && events[e]!.t < t0 + ms && e - s < maxEvents) e++;
    out.push(events.slice(s, e));
    s = e;
  }
  return out;
}

/** Splits a window whose JSON would exceed `maxBytes` into halves, as the collector shrinks a batch to fit. */
export function fitBytes(window: BatchEvent[], maxBytes = MAX_EVENTS_BYTES): BatchEvent[][] {
  if (window.length <= 1 || Buffer.byteLength(JSON.stringify(window)) <= maxBytes) return [window];
  const mid = window.length >> 1;
  return [...fitBytes(window.slice(0, mid), maxBytes), ...fitBytes(window.slice(mid), maxBytes)];
}

/** The collector's windows of one stream of events: cut by time and count, then by size. */
export function windows(events: readonly BatchEvent[], ms = WINDOW_MS): BatchEvent[][] {
  return cut(events, ms).flatMap((w) => fitBytes(w));
}

/**
 * Samples of the same subject chained into one session, in order, `gapMs` apart (a person moving
 * to the next sentence or repetition): per subject, one continuous stream of events.
 */
export function chainBySubject(samples: readonly Window[], gapMs: number): Map<string, BatchEvent[]> {
  const subjects = new Map<string, BatchEvent[]>();
  for (const w of samples) {
    const list = subjects.get(w.subject) ?? [];
    const start = list.length ? list[list.length - 1]!.t + gapMs : 0;
    for (const e of w.events) list.push({ ...e, t: e.t + start });
    subjects.set(w.subject, list);
  }
  return subjects;
}

/** Checks one parsed line; the message names what is wrong. */
export function checkSession(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const s = value as Partial<CorpusSession>;
  if (typeof s.id !== 'string' || !s.id) return 'id must be a non-empty string';
  if (s.label !== 'person' && s.label !== 'bot') return 'label must be "person" or "bot"';
  if (typeof s.corpus !== 'string' || !s.corpus) return 'corpus must be a non-empty string';
  if (s.family !== undefined && typeof s.family !== 'string') return 'family must be a string';
  if (!Array.isArray(s.batches)) return 'batches must be an array';
  for (const [i, b] of s.batches.entries()) {
    if (!b || !Array.isArray(b.events)) return `batches.${i}.events must be an array`;
    if (b.events.length > LIMITS.maxEvents) return `batches.${i} has ${b.events.length} events (at most ${LIMITS.maxEvents})`;
  }
  return undefined;
}

/** Streams a corpus file, one session at a time (a Balabit session is megabytes). */
export async function* readCorpus(file: string): AsyncGenerator<CorpusSession> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${n}: not JSON (${(err as Error).message})`);
    }
    const problem = checkSession(value);
    if (problem) throw new Error(`${file}:${n}: ${problem}`);
    yield value as CorpusSession;
  }
}

/** Writes sessions as JSON Lines, honouring back-pressure; returns how many sessions and windows. */
export async function writeCorpus(file: string, sessions: AsyncIterable<CorpusSession> | Iterable<CorpusSession>): Promise<{ sessions: number; windows: number }> {
  const out = createWriteStream(file, 'utf8');
  let count = 0;
  let windowCount = 0;
  try {
    for await (const s of sessions) {
      const problem = checkSession(s);
      if (problem) throw new Error(`session ${s.id}: ${problem}`);
      count++;
      windowCount += s.batches.length;
      if (!out.write(`${JSON.stringify(s)}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { sessions: count, windows: windowCount };
}
