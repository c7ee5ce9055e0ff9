// `cadence bench offchain [--duration 10] [--connections 10] [--json]`: POST /predict round trips on
// loopback with autocannon against a real core (child process, temp libSQL file). Every request is
// new (no idempotent replays): a third carry 10 historical_patterns, and DIDs recur so their stored
// history becomes their baseline during the run. Last stdout line: {"p50_ms","p99_ms","rps"}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildKernels } from '../cli/build.ts';
import { startCore } from '../cli/processes.ts';
import { groupCpuSeconds } from './lib/proc.ts';

const API_KEY = 'bench-offchain-key-0123456789';

/** A plausible session for DID `d`, jittered by `n` so that no two requests are the same. */
function body(n: number): string {
  const did = `did:bench:${n % 500}`;
  const r = (k: number) => Math.sin(n * 12.9898 + k * 78.233) * 0.5;
  const session = (k: number) => ({
    typing_speed_wpm: Math.round((52 + 8 * r(k + 1)) * 100) / 100,
    avg_key_hold_time_ms: Math.round((105 + 12 * r(k + 2)) * 100) / 100,
    avg_transition_time_ms: Math.round((150 + 25 * r(k + 3)) * 100) / 100,
    error_rate_percent: Math.round((3.5 + 2 * r(k + 4)) * 100) / 100,
  });
  const history = n % 3 === 0 ? Array.from({ length: 10 }, (_, i) => ({ ...session(10 * (i + 1)), timestamp: 1704067200 + i * 86400 })) : [];
  return JSON.stringify({ did, features: { ...session(0), activity_hour_preference: n % 24 }, historical_patterns: history });
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
    },
  });
  const duration = Math.min(60, Number(values.duration));
  const connections = Number(values.connections);
  await buildKernels();
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-bench-offchain-'));
  const core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`,
    CADENCE_GRPC_PORT: '0',
    CADENCE_HTTP_PORT: '0',
    CADENCE_LOG_LEVEL: 'warn',
    CADENCE_OFFCHAIN_API_KEYS: `bench:${API_KEY}`,
    // The benchmark's key writes every DID's history, as a trusted scoring service's would.
    CADENCE_OFFCHAIN_KEY_DIDS: 'bench=*',
    // One key and 500 DIDs send everything, far above production limits: lift them for the run.
    CADENCE_OFFCHAIN_RATE_PER_KEY: '100000000',
    CADENCE_OFFCHAIN_RATE_PER_DID: '100000000',
  });
  let n = 0;
  const hammer = (seconds: number) =>
    autocannon({
      url: `${core.httpUrl}/predict`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      connections,
      duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, body: body(n++) }) }],
    });
  try {
    process.stderr.write(`bench offchain: POST /predict, ${connections} connections, ${duration} s after a 2 s warm-up...\n`);
    await hammer(2); // JIT, connections, SQLite pages
    const cpuBefore = groupCpuSeconds(core.child.pid!);
    const r = await hammer(duration);
    const cpuMsPerReq = ((groupCpuSeconds(core.child.pid!) - cpuBefore) * 1000) / Math.max(1, r.requests.total);
    const baselines = await countBaselines(core.httpUrl);
    process.stderr.write(
      `p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  ${Math.round(r.requests.average)} req/s  core CPU ${cpuMsPerReq.toFixed(2)} ms/req  ${r.requests.total} requests  non-2xx ${r.non2xx}  errors ${r.errors}\n` +
        `baselines answering after the run: ${JSON.stringify(baselines)}\n`,
    );
    const summary = { p50_ms: r.latency.p50, p99_ms: r.latency.p99, rps: Math.round(r.requests.average) };
    process.stdout.write(`${JSON.stringify(values.json ? summary : { ...summary, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors })}\n`);
    return r.non2xx > 0 || r.errors > 0 ? 1 : 0;
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}


/** Which baseline answers a few fresh requests after the run (DID history should have taken over). */
async function countBaselines(url: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < 30; i++) {
    const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: body(1_000_000 + i) });
    const b = (await res.json()) as { baseline?: string };
    counts[b.baseline ?? `http_${res.status}`] = (counts[b.baseline ?? `http_${res.status}`] ?? 0) + 1;
  }
  return counts;
}
