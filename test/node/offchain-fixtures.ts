// Shared pieces of the off-chain endpoint tests: a core on port 0 with a temp libSQL file and an
// adjustable clock, seed 003's request, and sessions that look like a human or a script.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { testDb } from '../helpers/db.ts';

export const API_KEY = 'worker-key-0123456789abcdef';
export const OTHER_KEY = 'other-key-0123456789abcdef';
export const OWNER_KEY = 'owner-key-0123456789abcdef';

export interface TestCore {
  core: RunningCore;
  url: string;
  dbUrl: string;
  /** Moves the core's clock forward. */
  advance(ms: number): void;
  stop(): Promise<void>;
}

export async function startTestCore(env: Record<string, string> = {}, reuse?: { dir: string }): Promise<TestCore & { dir: string }> {
  const dir = reuse?.dir ?? mkdtempSync(path.join(tmpdir(), 'cadence-offchain-'));
  const database = await testDb(dir);
  const dbUrl = database.url;
  let offset = 0;
  const config = parseCoreConfig({
    CADENCE_GRPC_PORT: '0',
    CADENCE_HTTP_PORT: '0',
    CADENCE_DB_URL: dbUrl,
    CADENCE_OFFCHAIN_API_KEYS: `worker:${API_KEY},other:${OTHER_KEY}`,
    // The worker may enrol for every DID (a trusted enroller); `other` is bound to none: read-only.
    CADENCE_OFFCHAIN_KEY_DIDS: 'worker=*',
    ...env,
  });
  const core = await serveCore(config, createLogger('silent'), { now: () => Date.now() + offset });
  return {
    core,
    dir,
    dbUrl,
    url: `http://127.0.0.1:${core.httpPort}`,
    advance: (ms) => void (offset += ms),
    stop: async () => {
      await core.stop();
      await database.stop();
    },
  };
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

let didCounter = 0;
/** A DID no other test uses. */
export const freshDid = () => `did:cadence:test-${process.pid}-${Date.now().toString(36)}-${didCounter++}`;

/** Seed 003's example request. */
export function seedRequest(did = freshDid()) {
  return {
    did,
    features: { typing_speed_wpm: 65, avg_key_hold_time_ms: 120, avg_transition_time_ms: 85, error_rate_percent: 2, activity_hour_preference: 14 },
    historical_patterns: [{ typing_speed_wpm: 63, avg_key_hold_time_ms: 118, avg_transition_time_ms: 87, error_rate_percent: 3, timestamp: 1704067200 }],
  };
}

/** A session near the population's centre with a little deterministic jitter (a typical human). */
export function humanSession(i: number) {
  const j = (k: number) => Math.sin(i * 12.9898 + k * 78.233) * 0.5; // in [-0.5, 0.5]
  return {
    typing_speed_wpm: Math.round((52 + 6 * j(1)) * 10) / 10,
    avg_key_hold_time_ms: Math.round((105 + 10 * j(2)) * 10) / 10,
    avg_transition_time_ms: Math.round((150 + 20 * j(3)) * 10) / 10,
    error_rate_percent: Math.round((3.5 + 1.5 * j(4)) * 10) / 10,
  };
}

/** A scripted session: superhuman speed, near-zero holds and gaps, no errors. */
export const botSession = { typing_speed_wpm: 280, avg_key_hold_time_ms: 3, avg_transition_time_ms: 1, error_rate_percent: 0 };

export async function postPredict(url: string, body: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }) {
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
