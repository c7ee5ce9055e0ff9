// `cadence bench offchain [--duration 10] [--connections 10] [--rate 200] [--json]`: POST /predict
// round trips on loopback against a real core (child process, temp libSQL file), beside the
// machine's HTTP floor measured the same way in the same run: a bare node:http server in its own
// process that reads the body and answers a fixed JSON. Every request is new (no idempotent
// replays): a third carry 10 historical_patterns, and DIDs recur so their stored history becomes
// their baseline during the run. Three phases: throughput (autocannon, closed loop, `connections`),
// the floor under the same load, and latency at a steady `rate` per second (open loop, bench/lib/
// paced.ts, so a stall is charged to every request it holds up). Core CPU per request from /proc.
// The floor is also measured at the steady rate (its p99 and CPU per request: what loopback HTTP
// alone costs on this machine now). Last stdout line: {"rps","floor_rps","rps_vs_floor","p50_ms",
// "p99_ms","cpu_ms_per_request","paced":{"rate","p50_ms","p99_ms","cpu_ms_per_request"},
// "floor_paced":{...},"metrics_predict_count"}.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildKernels } from '../cli/build.ts';
import { startCore } from '../cli/processes.ts';
import { jsonPoster, paced } from './lib/paced.ts';
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

/** The machine's HTTP floor: node:http, body read, a fixed JSON answer; in its own process group. */
async function startFloor(): Promise<{ url: string; pid: number; stop: () => void }> {
  const source = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"confidence_score":87,"anomaly_score":0.12}');
      });
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const port = Number(String(await new Promise((r) => child.stdout!.once('data', r))).trim());
  if (!(port > 0)) throw new Error('the bare HTTP server did not start');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
}

/** `predict` count of the core's /metrics (the histogram's count over every status). */
async function predictCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^cadence_offchain_predict_duration_seconds_count\{[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      rate: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const duration = Math.min(60, Number(values.duration));
  const connections = Number(values.connections);
  const rate = Number(values.rate);
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
  const floor = await startFloor();
  let n = 0;
  const hammer = (url: string, seconds: number) =>
    autocannon({
      url: `${url}/predict`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      connections,
      duration: seconds,
      requests: [{ setupRequest: (req) => ({ ...req, body: body(n++) }) }],
    });
  try {
    process.stderr.write(`bench offchain: POST /predict, ${connections} connections, ${duration} s after a 2 s warm-up; the floor the same way; then ${rate}/s steady for ${duration} s...\n`);
    await hammer(core.httpUrl, 2); // JIT, connections, SQLite pages
    const cpuBefore = groupCpuSeconds(core.child.pid!);
    const r = await hammer(core.httpUrl, duration);
    const cpuMs = ((groupCpuSeconds(core.child.pid!) - cpuBefore) * 1000) / Math.max(1, r.requests.total);
    await hammer(floor.url, 2);
    const f = await hammer(floor.url, duration);

    const poster = jsonPoster(core.httpUrl);
    const send = (i: number) => poster.post('/predict', body(1_000_000 + i), { 'x-api-key': API_KEY });
    await paced(send, { rate, seconds: 2 });
    const pacedCpuBefore = groupCpuSeconds(core.child.pid!);
    const p = await paced(send, { rate, seconds: duration });
    const pacedCpuMs = ((groupCpuSeconds(core.child.pid!) - pacedCpuBefore) * 1000) / p.sent;
    poster.close();
    const counted = await predictCount(core.httpUrl);
    // The floor at the same steady rate: its latency and CPU per request are what loopback HTTP costs here.
    const floorPoster = jsonPoster(floor.url);
    const floorSend = (i: number) => floorPoster.post('/predict', body(2_000_000 + i), { 'x-api-key': API_KEY });
    await paced(floorSend, { rate, seconds: 2 });
    const floorCpuBefore = groupCpuSeconds(floor.pid);
    const fp = await paced(floorSend, { rate, seconds: duration });
    const floorCpuMs = ((groupCpuSeconds(floor.pid) - floorCpuBefore) * 1000) / fp.sent;
    floorPoster.close();

    const rps = Math.round(r.requests.average);
    const floorRps = Math.round(f.requests.average);
    process.stderr.write(
      `throughput: ${rps} req/s (p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms), core CPU ${cpuMs.toFixed(2)} ms/request, ${r.requests.total} requests, non-2xx ${r.non2xx}, errors ${r.errors}\n` +
        `HTTP floor (bare node:http): ${floorRps} req/s (p50 ${f.latency.p50} ms, p99 ${f.latency.p99} ms): /predict at ${(rps / floorRps).toFixed(3)} of the floor\n` +
        `steady ${rate}/s: p50 ${p.p50_ms} ms, p99 ${p.p99_ms} ms, p99.9 ${p.p999_ms} ms, ${p.failed} failed, core CPU ${pacedCpuMs.toFixed(2)} ms/request\n` +
        `HTTP floor at ${rate}/s: p50 ${fp.p50_ms} ms, p99 ${fp.p99_ms} ms, CPU ${floorCpuMs.toFixed(2)} ms/request\n` +
        `/metrics cadence_offchain_predict_duration_seconds_count: ${counted}\n`,
    );
    const summary = {
      rps,
      floor_rps: floorRps,
      rps_vs_floor: Math.round((rps / floorRps) * 1000) / 1000,
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      cpu_ms_per_request: Math.round(cpuMs * 1000) / 1000,
      paced: { rate, p50_ms: p.p50_ms, p99_ms: p.p99_ms, p999_ms: p.p999_ms, failed: p.failed, cpu_ms_per_request: Math.round(pacedCpuMs * 1000) / 1000 },
      floor_paced: { rate, p50_ms: fp.p50_ms, p99_ms: fp.p99_ms, cpu_ms_per_request: Math.round(floorCpuMs * 1000) / 1000 },
      metrics_predict_count: counted,
    };
    process.stdout.write(`${JSON.stringify(values.json ? summary : { ...summary, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors })}\n`);
    return r.non2xx > 0 || r.errors > 0 || p.failed > 0 ? 1 : 0;
  } finally {
    floor.stop();
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
