// `cadence bench core [--duration 5] [--concurrency 4] [--rate 200] [--json]`: against a real core
// (child process, temp libSQL file), (1) ingest throughput: 250-event batches over native gRPC,
// several in flight, events stored per second; (2) ScoreSession over native gRPC on a logged-in
// user's session of 20 stored windows scored with the user's own model (trained automatically
// during setup): latency at a steady --rate, open loop (bench/lib/paced.ts), then calls/s with
// --concurrency calls in flight. Last stdout line:
// {"score_session":{"rate","p50_ms","p99_ms","p999_ms","rps","saturated_p50_ms","saturated_p99_ms",
// "floor_p50_ms","floor_p99_ms"},"ingest_events_per_s","machine_floor"}; the floor is grpc.health.v1
// Check on the core, measured the same way; the machine floor, the same check on a bare grpc-js
// server in its own process (no Cadence) before anything else.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { buildKernels } from '../cli/build.ts';
import { startCore } from '../cli/processes.ts';
import { toWireBatch } from '../lib/wire.ts';
import { paced, percentiles } from './lib/paced.ts';
import type { BatchEvent, EventBatch } from '../scoring/batch.ts';

const protoDir = fileURLToPath(new URL('../proto/', import.meta.url));

/** Deterministic human-like typing (the same generator shape as the tests' fixtures). */
function typing(keys: number, seed: number, hold = 105, gap = 210): BatchEvent[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: BatchEvent[] = [];
  let t = 1000;
  for (let i = 0; i < keys; i++) {
    const cls = i % 7 === 6 ? 'space' : 'letter';
    out.push({ type: 'keydown', t, keyClass: cls, field: 'note', position: i });
    out.push({ type: 'keyup', t: t + hold * (1 + 0.7 * (rand() - 0.5)), keyClass: cls, field: 'note' });
    t += gap * (1 + 0.7 * (rand() - 0.5));
  }
  return out.sort((x, y) => x.t - y.t);
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * The machine's own gRPC floor: a bare grpc-js server in its own process answering only the
 * standard health check (no Cadence), at `rate` checks/s, measured as the core is. Below this no
 * grpc-js service on this machine can go.
 */
async function grpcMachineFloor(rate: number, seconds: number) {
  const source = `
    const grpc = require('@grpc/grpc-js');
    const { HealthImplementation } = require('grpc-health-check');
    const server = new grpc.Server({ 'grpc.enable_channelz': 0 });
    new HealthImplementation({ '': 'SERVING' }).addToServer(server);
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => console.log(err ? -1 : port));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('..', import.meta.url)) });
  try {
    const port = Number(String(await new Promise((r) => child.stdout!.once('data', r))).trim());
    if (!(port > 0)) throw new Error('the bare gRPC server did not start');
    const def = protoLoader.loadSync(['grpc/health/v1/health.proto'], { includeDirs: [protoDir] });
    const pkg = grpc.loadPackageDefinition(def) as any;
    const health = new pkg.grpc.health.v1.Health(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.enable_channelz': 0 });
    const check = () => new Promise<true>((resolve, reject) => health.Check({ service: '' }, (err: Error | null) => (err ? reject(err) : resolve(true))));
    try {
      await paced(check, { rate, seconds: 5 }); // to steady state
      const r = await paced(check, { rate, seconds });
      return { p50_ms: r.p50_ms, p99_ms: r.p99_ms, p999_ms: r.p999_ms };
    } finally {
      health.close();
    }
  } finally {
    child.kill();
  }
}

/** Cumulative ScoreSession counts by bucket bound (`le`) of the core's cadence_rpc_duration_seconds. */
async function serverBuckets(httpUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('cadence_rpc_duration_seconds_bucket') || !line.includes('method="ScoreSession"')) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le) out.set(le, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '4' },
      rate: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const seconds = Math.min(30, Number(values.duration));
  const inFlight = Math.max(1, Number(values.concurrency));
  const rate = Math.max(1, Number(values.rate));
  await buildKernels();
  const machine = await grpcMachineFloor(rate * 2, seconds);
  process.stderr.write(`bench core: machine floor (bare grpc-js health server, ${rate * 2} checks/s): p50 ${machine.p50_ms} ms, p99 ${machine.p99_ms} ms, p99.9 ${machine.p999_ms} ms\n`);
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-bench-core-'));
  const core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
  const def = protoLoader.loadSync(['cadence/v1/ingest.proto', 'cadence/v1/risk.proto', 'cadence/v1/identity.proto', 'cadence/v1/models.proto', 'grpc/health/v1/health.proto'], {
    includeDirs: [protoDir], longs: String, enums: String, defaults: true, oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const address = `127.0.0.1:${core.grpcPort}`;
  const creds = grpc.credentials.createInsecure();
  const channelOptions = { 'grpc.enable_channelz': 0 }; // the load generator's own bookkeeping kept small
  const clients = ['IngestService', 'RiskService', 'IdentityService', 'ModelService'].map((s) => new pkg.cadence.v1[s](address, creds, channelOptions));
  const [ingest, risk, identity, models] = clients;
  const health = new pkg.grpc.health.v1.Health(address, creds, channelOptions);
  clients.push(health);
  const call = (client: any, method: string, req: unknown): Promise<any> =>
    new Promise((resolve, reject) => client[method](req, { deadline: Date.now() + 30_000 }, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));
  const send = (b: EventBatch) => call(ingest, 'IngestBatch', { batch: toWireBatch(b) });

  try {
    // 1. A user with an own model: 50 genuine windows (seed 001's threshold) train it automatically.
    await call(identity, 'Register', { email: 'bench@example.com', password: 'correct horse battery', mpin: '1357' });
    const login = await call(identity, 'Login', { email: 'bench@example.com', password: 'correct horse battery', deviceId: 'dev-1' });
    for (let i = 0; i < 50; i++) await send({ sessionId: login.sessionId, batchId: `enrol-${i}`, seq: i, consent: true, context: { deviceId: 'dev-1' }, events: typing(30, 100 + i) });
    const until = Date.now() + 60_000;
    while ((await call(models, 'ListModels', { scope: login.userId })).models.length === 0) {
      if (Date.now() > until) throw new Error('the user model was not trained within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const check = await call(risk, 'ScoreSession', { sessionId: login.sessionId });
    if (!check.userModelVersion) throw new Error('ScoreSession did not use the user model');

    process.stderr.write(`bench core: ScoreSession (20 stored windows of 60 events, user model ${check.userModelVersion}), ${rate}/s for ${seconds} s after a 10 s warm-up, then ${inFlight} in flight...\n`);
    const scoreFor = async (ms: number) => {
      const lat: number[] = [];
      const end = Date.now() + ms;
      await Promise.all(Array.from({ length: inFlight }, async () => {
        while (Date.now() < end) {
          const s = performance.now();
          await call(risk, 'ScoreSession', { sessionId: login.sessionId });
          lat.push(performance.now() - s);
        }
      }));
      return lat;
    };
    // 2. Latency at a steady rate, open loop (what a calling service meets), after a warm-up at
    // that rate; then calls/s saturated.
    // Interleaved with the floor under it: the standard health check, which does no work, sent
    // the same way over the same channel. What ScoreSession adds to it is Cadence's; the rest is
    // gRPC, the OS and this machine. Each kind at `rate`, alternating.
    const mixed = (i: number) => (i % 2 === 0 ? call(risk, 'ScoreSession', { sessionId: login.sessionId }) : call(health, 'Check', { service: '' })).then(() => true as const);
    await paced(mixed, { rate: rate * 2, seconds: 10 }); // to steady state: the first seconds run slower
    const before = await serverBuckets(core.httpUrl);
    const eld = monitorEventLoopDelay({ resolution: 1 });
    eld.enable();
    const both = await paced(mixed, { rate: rate * 2, seconds });
    eld.disable();
    const benchLag = { p99_ms: round2(eld.percentile(99) / 1e6), max_ms: round2(eld.max / 1e6) };
    process.stderr.write(`the bench's own event loop meanwhile (the load generator's stalls): p99 ${benchLag.p99_ms} ms, max ${benchLag.max_ms} ms\n`);
    const after = await serverBuckets(core.httpUrl);
    // The core's own time per ScoreSession (decoded request to response ready), from its histogram.
    const inCore = (le: string) => round2(((after.get(le) ?? 0) - (before.get(le) ?? 0)) / Math.max(1, (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0)));
    const server = { within_1ms: inCore('0.001'), within_2_5ms: inCore('0.0025'), within_5ms: inCore('0.005') };
    process.stderr.write(`ScoreSession in the core (its rpc histogram): ${server.within_1ms * 100}% within 1 ms, ${server.within_2_5ms * 100}% within 2.5 ms, ${server.within_5ms * 100}% within 5 ms\n`);
    const kind = (k: 0 | 1) => both.perRequest.filter((_, i) => i % 2 === k);
    const steady = { ...percentiles(kind(0)), sent: both.sent / 2, failed: both.failed };
    const floor = percentiles(kind(1));
    process.stderr.write(`Health/Check at a steady ${rate}/s (floor): p50 ${floor.p50_ms} ms, p99 ${floor.p99_ms} ms, p99.9 ${floor.p999_ms} ms\n`);
    process.stderr.write(`ScoreSession at a steady ${rate}/s: ${steady.sent} calls, ${steady.failed} failed, p50 ${steady.p50_ms} ms, p99 ${steady.p99_ms} ms, p99.9 ${steady.p999_ms} ms, max ${steady.max_ms} ms\n`);
    const s0 = performance.now();
    const lat = await scoreFor(seconds * 1000);
    const rps = Math.round(lat.length / ((performance.now() - s0) / 1000));
    const saturated = percentiles(lat);
    // 3. Ingest, after the latency runs so that its aftermath (GC, checkpoints) is not in them: anonymous sessions, 250-event batches, `inFlight` at a time.
    process.stderr.write(`bench core: ingest, 250-event batches, ${inFlight} in flight, ${seconds} s after a 1 s warm-up...\n`);
    const payload = typing(125, 7);
    let n = 0;
    const ingestFor = async (ms: number) => {
      let events = 0;
      const until = Date.now() + ms;
      await Promise.all(Array.from({ length: inFlight }, async () => {
        while (Date.now() < until) {
          const i = n++;
          await send({ sessionId: `bench-${i % 200}`, batchId: `bench-b-${i}`, seq: i, consent: true, context: { deviceId: 'd' }, events: payload });
          events += payload.length;
        }
      }));
      return events;
    };
    await ingestFor(1000);
    const t0 = performance.now();
    const stored = await ingestFor(seconds * 1000);
    const ingestPerS = Math.round(stored / ((performance.now() - t0) / 1000));
    process.stderr.write(`ingest: ${stored} events in ${((performance.now() - t0) / 1000).toFixed(1)} s = ${ingestPerS} events/s\n`);

    const summary = {
      score_session: {
        rate,
        p50_ms: steady.p50_ms,
        p99_ms: steady.p99_ms,
        p999_ms: steady.p999_ms,
        rps,
        saturated_p50_ms: saturated.p50_ms,
        saturated_p99_ms: saturated.p99_ms,
        floor_p50_ms: floor.p50_ms,
        floor_p99_ms: floor.p99_ms,
        share_in_core_within_1ms: server.within_1ms,
        share_in_core_within_5ms: server.within_5ms,
        bench_loop_lag: benchLag,
      },
      ingest_events_per_s: ingestPerS,
      machine_floor: machine,
    };
    process.stderr.write(`ScoreSession saturated (${inFlight} in flight): ${lat.length} calls, ${rps} calls/s, p50 ${summary.score_session.saturated_p50_ms} ms, p99 ${summary.score_session.saturated_p99_ms} ms\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return steady.failed === 0 && steady.p99_ms < 5 && ingestPerS >= 20_000 ? 0 : 1;
  } finally {
    for (const c of clients) c.close();
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
