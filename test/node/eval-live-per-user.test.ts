// `cadence eval live --per-user` against a real stack (a core and a Node edge as processes, the
// edge's identity face, per-user training in the core), from a tiny corpus of synthetic typists
// (never ../shared): each gets an account, enrols, is trained (or refused by the quality gate), and
// is typed into by its owner and by another typist; the report counts both sides.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalLivePerUser } from '../../bench/eval-live-per-user.ts';
import { writeCorpus, type CorpusSession } from '../../bench/lib/corpus.ts';
import { startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';
import { typing } from '../helpers/batches.ts';

const KEY = 'per-user-eval-service-key-0123456789';
let dir: string;
let core: CoreProcess;
let edge: EdgeProcess;
let corpus: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-eval-per-user-'));
  core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn',
    CADENCE_SERVICE_API_KEYS: `eval:${KEY}`, CADENCE_OFFCHAIN_API_KEYS: 'offchain-test-key-0123456789abcdef', CADENCE_ENROL_MIN_WINDOWS: '6', CADENCE_MODEL_QUALITY_GATE: 'off',
  });
  edge = await startEdge('node', {
    coreUrl: core.httpUrl,
    vars: { CADENCE_CORE_API_KEY: KEY, CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RATE_AUTH_PER_MIN: '0', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}` },
  });
  // Three typists with their own rhythm, 9 windows each (6 to enrol, 3 to test).
  const rhythms = [{ hold: 95, gap: 180 }, { hold: 130, gap: 260 }, { hold: 80, gap: 340 }];
  const sessions: CorpusSession[] = rhythms.map((r, i) => ({
    id: `typist-${i}`, label: 'person', corpus: 'synthetic-typists', subject: `typist-${i}`,
    batches: Array.from({ length: 9 }, (_, w) => ({ events: typing({ ...r, keys: 30, seed: 100 * i + w }) })),
  }));
  corpus = path.join(dir, 'typists.jsonl');
  await writeCorpus(corpus, sessions);
}, 90_000);

afterAll(async () => {
  await edge?.stop();
  await core?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('eval live --per-user', () => {
  it('enrols each typist through the edge, waits for their model, and reports owners and impostors apart', async () => {
    const report = await evalLivePerUser({ edge: edge.url, core: core.httpUrl, apiKey: KEY, corpora: [corpus], enrol: 6, test: 3, impostors: 1, concurrency: 2, modelWaitMs: 30_000 });
    const [row] = report.corpora;
    expect(row).toMatchObject({ corpus: 'synthetic-typists', accounts: 3, models_active: 3, owner_sessions: 3, impostor_sessions: 3 });
    expect(report.sessions).toHaveLength(6);
    for (const s of report.sessions) {
      expect(s.windows).toBe(3);
      expect(s.windowScores.length).toBeGreaterThan(0);
      // The core scored the account's sessions with the account's own model.
      expect(s.userModelVersion).toMatch(/^1\./);
    }
    // Other people's rhythms in an account score higher than the owner's own.
    expect(row!.window_eer).not.toBeNull();
    expect(row!.session_eer!).toBeLessThan(0.5);
  }, 120_000);
});
