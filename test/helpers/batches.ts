// Small self-made batches for tests: human-like typing with jitter, and a bot's constant rhythm.
import type { EventBatch, BatchEvent } from '../../scoring/batch.ts';

/** A deterministic pseudo-random stream (mulberry32), so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let nextSeed = 1;

export function typing(options: { keys?: number; seed?: number; hold?: number; gap?: number; jitter?: number; start?: number } = {}): BatchEvent[] {
  // Each call types differently unless a seed is given: identical timings in two sessions are a
  // replay, and Cadence says so (scoring/replay-guard.ts).
  const { keys = 24, seed = nextSeed++, hold = 95, gap = 190, jitter = 0.35, start = 1000 } = options;
  const rand = rng(seed);
  const events: BatchEvent[] = [];
  let t = start;
  for (let i = 0; i < keys; i++) {
    const h = hold * (1 + jitter * (rand() - 0.5) * 2);
    const space = i % 7 === 6;
    events.push({ type: 'keydown', t, keyClass: space ? 'space' : 'letter', field: 'username', position: i });
    events.push({ type: 'keyup', t: t + h, keyClass: space ? 'space' : 'letter', field: 'username' });
    // As people do, a word's first key comes later (scoring/features/typing-dependence.ts).
    t += gap * (space ? 1.6 : 1) * (1 + jitter * (rand() - 0.5) * 2);
  }
  return events.sort((a, b) => a.t - b.t);
}

let counter = 0;
const runId = crypto.randomUUID().slice(0, 8);
export function batch(overrides: Partial<EventBatch> = {}): EventBatch {
  counter++;
  return {
    sessionId: `sess-${runId}-${counter}`,
    batchId: `batch-${runId}-${counter}`,
    seq: 0,
    consent: true,
    context: { page: '/login', deviceId: 'device-1', language: 'en-GB', screen: { width: 1440, height: 900 } },
    events: typing(),
    ...overrides,
  };
}

/** A bot: zero hold times and a constant 10 ms between keys. */
export function botTyping(keys = 30): BatchEvent[] {
  const events: BatchEvent[] = [];
  for (let i = 0; i < keys; i++) {
    events.push({ type: 'keydown', t: 1000 + i * 10, keyClass: 'letter', field: 'username', position: i });
    events.push({ type: 'keyup', t: 1000 + i * 10, keyClass: 'letter', field: 'username' });
  }
  return events;
}
