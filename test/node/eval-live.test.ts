// `cadence eval live` against a real stack (a core and a Node edge as processes, signed anonymous
// sessions required, rate limits off), from a tiny corpus of synthetic sessions (never ../shared):
// the corpus format and its converter, every session answered, the report's structure, and a
// zero-interval bot family flagged. Plus an edge that rate-limits everything: counted, not fatal.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type LiveReport } from '../../bench/eval-live.ts';
import { readCorpus, windows, writeCorpus, type CorpusSession } from '../../bench/lib/corpus.ts';
import { synthCorpus } from '../../bench/lib/corpus-sources.ts';
import { startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { checkBatch } from '../../scoring/batch-check.ts';
import { ALL_BOT_KINDS as BOT_KINDS } from '../../scoring/synth/adversarial.ts';

let dir: string;
let core: CoreProcess;
let edge: EdgeProcess;
let corpusFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-eval-live-'));
  core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
  edge = await startEdge('node', {
    coreUrl: core.httpUrl,
    vars: {
      CADENCE_EDGE_AUTH: 'required',
      CADENCE_EDGE_SECRET: 'eval-live-test-secret-0123456789abcdef',
      CADENCE_RATE_IP_PER_MIN: '0',
      CADENCE_RATE_SESSION_PER_MIN: '0',
      CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`,
    },
  });
  corpusFile = path.join(dir, 'synth.jsonl');
  await writeCorpus(corpusFile, synthCorpus({ botsPerFamily: 2, people: 3, seed: 11 }));
});

afterAll(async () => {
  await edge?.stop();
  await core?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the corpus format', () => {
  it('cuts windows as the collector does: at most 3 s from the first event, 500 events, 60 KB of events', () => {
    const events: BatchEvent[] = Array.from({ length: 1500 }, (_, i) => ({ type: 'pointermove', t: i * 5, x: i, y: i, pointerType: 'mouse' }));
    const ws = windows(events);
    expect(ws.flat()).toEqual(events);
    for (const w of ws) {
      expect(w.length).toBeLessThanOrEqual(500);
      expect(w[w.length - 1]!.t - w[0]!.t).toBeLessThan(3000);
    }
  });

  it('holds every bot family and synthetic people, each window a valid batch', async () => {
    const sessions: CorpusSession[] = [];
    for await (const s of readCorpus(corpusFile)) sessions.push(s);
    expect(new Set(sessions.filter((s) => s.label === 'bot').map((s) => s.family))).toEqual(new Set(BOT_KINDS));
    expect(sessions.filter((s) => s.label === 'person')).toHaveLength(3);
    for (const s of sessions) {
      expect(s.batches.length).toBeGreaterThan(0);
      for (const [seq, b] of s.batches.entries()) {
        expect(checkBatch({ sessionId: 's-1', batchId: `p.${seq}`, seq, consent: true, context: { page: b.page, ...s.context }, events: b.events })).toBe(true);
        expect(b.events.at(-1)!.t - b.events[0]!.t).toBeLessThan(3000);
      }
    }
  });
});

describe('cadence eval live', () => {
  it('replays every session through the edge and reports people and bot families', async () => {
    const out = path.join(dir, 'out');
    expect(await run(['--edge', edge.url, '--corpus', corpusFile, '--concurrency', '4', '--out', out])).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as LiveReport;
    const sessions = readFileSync(path.join(out, 'sessions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(readFileSync(path.join(out, 'plot.svg'), 'utf8')).toMatch(/^<svg[\s\S]*zero-interval[\s\S]*<\/svg>\n$/);

    // Every session answered, window by window, under a signed anonymous id.
    expect(sessions).toHaveLength(2 * BOT_KINDS.length + 3);
    for (const s of sessions) {
      // Every window answered, or not sent once the edge had blocked the session (as a collector stops).
      expect(s.answered + s.stopped).toBe(s.windows);
      expect(s.sessionId).toMatch(/^anon_/);
    }
    expect(report.totals).toMatchObject({ sessions: sessions.length, errors: {} });
    expect(report.totals.windows_answered + sessions.reduce((n, s) => n + s.stopped, 0)).toBe(report.totals.windows);
    expect(report.warnings).toEqual([]);

    // People: one row for the corpus; bots: the corpus total, then one row per family.
    expect(report.people.map((r) => [r.corpus, r.family])).toEqual([['synth-people', null]]);
    expect(report.bots.map((r) => r.family)).toEqual([null, ...[...BOT_KINDS].sort()]);
    const keys = ['sessions', 'windows', 'windows_answered', 'sessions_challenged_pct', 'sessions_blocked_pct', 'sessions_monitored_pct', 'windows_challenged_pct', 'windows_blocked_pct', 'windows_to_detection', 'top_reasons', 'errors'];
    for (const r of [...report.people, ...report.bots]) {
      for (const k of keys) expect(r).toHaveProperty(k);
      expect(r.sessions_fully_answered).toBe(r.sessions);
    }
    expect(report.bots[0]!.sessions).toBe(2 * BOT_KINDS.length);

    // The zero-interval family types with 0 ms between keys: the current rules flag it at once.
    const zero = report.bots.find((r) => r.family === 'zero-interval')!;
    expect(zero.sessions_challenged_pct).toBe(100);
    expect(zero.windows_to_detection.median).toBe(1);
    expect(zero.top_reasons.length).toBeGreaterThan(0);
  });

  it('counts refusals instead of crashing, and says how to turn rate limits off on a 429', async () => {
    const limited: Server = createServer((req, res) => {
      req.resume();
      if (req.url === '/healthz') return void res.end('{}');
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' });
      res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }));
    });
    await new Promise<void>((r) => limited.listen(0, '127.0.0.1', r));
    try {
      const out = path.join(dir, 'out-429');
      const port = (limited.address() as { port: number }).port;
      expect(await run(['--edge', `http://127.0.0.1:${port}`, '--corpus', corpusFile, '--max-sessions', '3', '--out', out])).toBe(0);
      const report = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as LiveReport;
      expect(report.totals.sessions).toBe(3);
      expect(report.totals.windows_answered).toBe(0);
      expect(report.totals.errors['POST /v1/session 429 rate_limited']).toBe(3);
      expect(report.warnings.join(' ')).toMatch(/CADENCE_RATE_SESSION_PER_MIN=0 CADENCE_RATE_IP_PER_MIN=0/);
    } finally {
      await new Promise((r) => limited.close(r));
    }
  });
});
