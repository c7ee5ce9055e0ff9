// `cadence bench edge [--duration 10] [--connections 10] [--rate 200] [--events 50] [--batches
// mixed|visits] [--json]`: POST /v1/events round trips on loopback with autocannon, against the Node
// edge and the Worker on workerd in one run, each backed by a real core and libSQL file. Every
// request is a new batch, so each one is stored. `--batches mixed` (the default, comparable with
// every earlier figure): `--events` events a batch, typing beside pointer samples scattered at
// random; `visits`: people's visits as the collector cuts them (bench/lib/visit-load.ts: desktop
// reaches, presses, typing and wheel; a phone's taps, swipes and soft keys), each session's windows
// in order, so that every pass of the edge (reaches, movements across batches, touch) does its work.
// Two phases per runtime: latency (p50/p99) at a steady request rate, open loop
// (bench/lib/paced.ts), which is what a user meets, and throughput (requests/s, CPU per request)
// with the edge saturated by autocannon.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildKernels } from '../cli/build.ts';
import { startCore, startEdge, type EdgeRuntimeName } from '../cli/processes.ts';
import type { BatchEvent } from '../scoring/batch.ts';
import { jsonPoster, paced, percentiles } from './lib/paced.ts';
import { VisitStream } from './lib/visit-load.ts';
import { groupCpuSeconds } from './lib/proc.ts';
import { buildEdge } from '../edge/build.ts';
import { createNodeBytesPost } from '../edge/node-post.ts';
import { Spool } from '../edge/spool.ts';
import { compileKernelModule } from '../wasm/node.ts';

/** What each request carries (see the header). */
type Batches = 'mixed' | 'visits';

/** Seconds at the steady rate before it is measured. */
const WARMUP_S = 10;

/**
 * The machine's own floor: a bare node:http server in its own process (no Cadence) answering 404,
 * at the same request rate, measured the same way. Below this no server on this machine can go.
 */
async function machineFloor(rate: number, seconds: number) {
  const child = spawn(process.execPath, ['-e', "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>s.writeHead(404).end())}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})"], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = Number(String(await new Promise((r) => child.stdout!.once('data', r))).trim());
    const client = jsonPoster(`http://127.0.0.1:${port}`);
    const get = () => client.get('/').then((r) => (r === true || r.startsWith('404') ? true : r));
    await paced(get, { rate, seconds: 2 });
    const r = await paced(get, { rate, seconds }).finally(() => client.close());
    return { p50_ms: r.p50_ms, p99_ms: r.p99_ms, p999_ms: r.p999_ms };
  } finally {
    child.kill();
  }
}

/** A realistic mixed batch: typing with jitter plus pointer movement, `n` events in all. */
export function sampleEvents(n: number, seed = 1): BatchEvent[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const events: BatchEvent[] = [];
  let t = 1000;
  let i = 0;
  while (events.length < n) {
    if (i % 3 === 2) {
      events.push({ type: 'pointermove', t, x: 300 + rand() * 400, y: 200 + rand() * 200, pointerType: 'mouse' });
      t += 8 + rand() * 8;
    } else {
      const hold = 70 + rand() * 60;
      events.push({ type: 'keydown', t, keyClass: 'letter', field: 'username', position: i });
      if (events.length < n) events.push({ type: 'keyup', t: t + hold, keyClass: 'letter', field: 'username' });
      t += hold + 60 + rand() * 120;
    }
    i++;
  }
  return events.slice(0, n).sort((a, b) => a.t - b.t);
}

interface Result {
  /** Latency at the fixed rate, open loop, from when each request was due (bench/lib/paced.ts). */
  p50_ms: number;
  p99_ms: number;
  p999_ms: number;
  /** The same for a GET the app answers without work (404), interleaved: the floor. */
  floor_p50_ms: number;
  floor_p99_ms: number;
  rps: number;
  /** CPU time (user + system) of the whole edge process group per request: an upper bound on the handler's. */
  cpu_ms_per_req: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Responses by status code over both phases, so that anything but 200 can be explained. */
  codes: Record<string, number>;
  /** The first few answers that were not 200. */
  samples: string[];
}


function mergeCodes(...stats: (Record<string, { count?: number }> | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of stats) for (const [code, v] of Object.entries(s ?? {})) out[code] = (out[code] ?? 0) + (v.count ?? 0);
  return out;
}

async function hammer(
  url: string,
  pgid: number,
  events: BatchEvent[],
  opts: { duration: number; connections: number; rate: number; batches: Batches },
  tag: string,
): Promise<Result> {
  const { duration, connections, rate } = opts;
  let n = 0;
  const samples: string[] = [];
  // Every batch types and moves differently (its own seed): identical batches in many sessions are a
  // replay farm, which Cadence flags and then refuses (403 session_blocked), not a benchmark's load.
  const visits = new VisitStream(`bench-${tag}-${Date.now().toString(36)}`);
  const body = (id: number) =>
    opts.batches === 'visits'
      ? visits.nextBody()
      : JSON.stringify({ sessionId: `bench-${tag}-${id % 1000}`, batchId: `bench-${tag}-${Date.now().toString(36)}-${id}`, seq: id, consent: true, events: sampleEvents(events.length, id + 1) });
  const run = (seconds: number, conns: number) =>
    autocannon({
      url: `${url}/v1/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      connections: conns,
      duration: seconds,
      requests: [
        {
          setupRequest: (req) => ({ ...req, body: body(n++) }),
          onResponse: (status: number, resBody: string) => {
            if (status !== 200 && samples.length < 3) samples.push(`${status} ${String(resBody).slice(0, 160)}`);
          },
        },
      ],
    });
  // Steady rate first, after a warm-up at that rate to steady state (JIT tiers, connections,
  // SQLite pages; the first seconds' p99 is about twice the steady one): a saturated
  // run before it would leave a backlog that the edge is still forwarding to the core. Batches are
  // interleaved with a floor: a GET of a route that does nothing (the app's 404), at the same rate
  // over the same connections. What the batches add to it is Cadence's; the rest is HTTP, the OS
  // and three processes on this machine.
  const poster = jsonPoster(url);
  const floorPoster = jsonPoster(url);
  const mixed = (base: number) => (i: number) =>
    i % 2 === 0
      ? poster.post('/v1/events', body(base + i))
      : floorPoster.get('/v1/nothing').then((r) => (r === true || r.startsWith('404') ? true : `floor: ${r}`), (e: Error) => `floor: ${e.message}`);
  const both = await paced(mixed(1_000_000), { rate: rate * 2, seconds: WARMUP_S })
    .then(() => paced(mixed(2_000_000), { rate: rate * 2, seconds: duration }))
    .finally(() => {
      poster.close();
      floorPoster.close();
    });
  const steady = { ...percentiles(both.perRequest.filter((_, i) => i % 2 === 0)), failed: both.failed, sent: both.sent };
  const floor = percentiles(both.perRequest.filter((_, i) => i % 2 === 1));
  samples.push(...both.samples);
  const cpuBefore = groupCpuSeconds(pgid);
  const r = await run(duration, connections);
  const cpu = groupCpuSeconds(pgid) - cpuBefore;
  return {
    p50_ms: steady.p50_ms,
    p99_ms: steady.p99_ms,
    p999_ms: steady.p999_ms,
    floor_p50_ms: floor.p50_ms,
    floor_p99_ms: floor.p99_ms,
    rps: Math.round(r.requests.average),
    cpu_ms_per_req: Math.round((cpu * 1000 * 1000) / Math.max(1, r.requests.total)) / 1000,
    codes: { ...mergeCodes(r.statusCodeStats), paced_failed: steady.failed },
    samples,
    requests: r.requests.total + steady.sent,
    non2xx: r.non2xx + steady.failed,
    errors: r.errors,
  };
}

/**
 * The handler alone, in process (app.request, real spool file, the production Node post to the
 * core, no sockets on the browser's side): what Cadence's own code costs per batch, apart from the
 * HTTP stack and the machine's scheduling. Twice: with a core that answers (what users meet), and
 * with the core away (an outage: every batch goes to the spool's retry rounds). CPU is this
 * process's own (the core runs in a child), per request.
 */
async function handlerLatency(events: BatchEvent[], batches: Batches, dir: string, coreUrl: string, label: string): Promise<{ p50_ms: number; p99_ms: number; cpu_ms_per_req: number }> {
  let spool: Spool | undefined;
  const { app } = await buildEdge(
    await compileKernelModule(),
    { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: coreUrl, CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0' },
    {
      runtime: 'node',
      clientIp: () => 'bench',
      post: createNodeBytesPost(),
      delivery: async (f) => (spool = await Spool.open({ url: `file:${path.join(dir, `handler-spool-${label}.db`)}`, forwarder: f, retryCapMs: 3_600_000 })),
    },
  );
  const times: number[] = [];
  let cpu = { user: 0, system: 0 };
  const visits = new VisitStream(`h-${label}`);
  const bodyOf = (i: number) =>
    batches === 'visits' ? visits.nextBody() : JSON.stringify({ sessionId: `h-${label}-${i % 1000}`, batchId: `h-${i}`, seq: i, consent: true, events: sampleEvents(events.length, i + 1) });
  try {
    for (let i = 0; i < 3000; i++) {
      const body = bodyOf(i);
      if (i === 500) cpu = process.cpuUsage();
      const t0 = performance.now();
      await (await app.request('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
      if (i >= 500) times.push(performance.now() - t0); // after warm-up
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    cpu = process.cpuUsage(cpu);
  } finally {
    await spool?.close();
  }
  const { p50_ms, p99_ms } = percentiles(times);
  return { p50_ms, p99_ms, cpu_ms_per_req: Math.round(((cpu.user + cpu.system) / 1000 / times.length) * 1000) / 1000 };
}

/** The handler with a core of its own that answers, then with the core away (port 9: nothing listens). */
async function handlerRuns(events: BatchEvent[], batches: Batches) {
  const dir = mkdtempSync(path.join(process.env.BENCH_TMP ?? tmpdir(), 'cadence-bench-'));
  const core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
  try {
    const up = await handlerLatency(events, batches, dir, core.httpUrl, 'up');
    const away = await handlerLatency(events, batches, dir, 'http://127.0.0.1:9', 'away');
    return { up, away };
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      rate: { type: 'string', default: '200' },
      events: { type: 'string', default: '50' },
      batches: { type: 'string', default: 'mixed' },
      // workerd: the deploy bundle on workerd via Miniflare; workerd-dev: through `wrangler dev` (its proxy in the path).
      runtimes: { type: 'string', default: 'node,workerd' },
      json: { type: 'boolean', default: false },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const events = sampleEvents(Number(values.events));
  const batches = values.batches as Batches;
  if (batches !== 'mixed' && batches !== 'visits') throw new Error(`unknown --batches ${batches}: use mixed or visits`);
  await buildKernels();
  const results: Record<string, Result> = {};
  const bare = await machineFloor(Number(values.rate) * 2, duration);
  process.stderr.write(`bench edge: machine floor (bare node:http, 404, ${Number(values.rate) * 2} req/s): p50 ${bare.p50_ms} ms, p99 ${bare.p99_ms} ms, p99.9 ${bare.p999_ms} ms\n`);
  const processOf: Record<string, EdgeRuntimeName> = { node: 'node', workerd: 'workerd-direct', 'workerd-dev': 'workerd' };
  for (const runtime of values.runtimes!.split(',')) {
    const kind = processOf[runtime];
    if (!kind) throw new Error(`unknown runtime ${runtime}: use node, workerd or workerd-dev`);
    const dir = mkdtempSync(path.join(process.env.BENCH_TMP ?? tmpdir(), 'cadence-bench-'));
    const core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
    const edge = await startEdge(kind, {
      coreUrl: core.httpUrl,
      // One client address sends everything here, so the per-address limit is off for the run.
      vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}` },
    });
    try {
      process.stderr.write(`bench edge: ${runtime}, ${batches === 'visits' ? "visits' windows" : `${events.length}-event batches`}: ${duration} s at ${values.rate} req/s, then ${duration} s with ${connections} connections...\n`);
      results[runtime] = await hammer(edge.url, edge.child.pid!, events, { duration, connections, rate: Number(values.rate), batches }, runtime);
      if (results[runtime]!.non2xx > 0) {
        const failures = edge.output().split('\n').filter((l) => l.includes('delivery failed'));
        process.stderr.write(`${runtime}: ${failures.length} delivery failures logged, e.g. ${failures.slice(0, 2).join(' | ')}\n`);
      }
    } finally {
      await edge.stop();
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stderr.write(`\n(p50/p99/p99.9 at a steady ${values.rate} req/s, open loop; req/s and cpu ms/req saturated with ${connections} connections); floor: a GET answered 404 without work, interleaved\nruntime   p50 ms  p99 ms  p99.9 ms  floor p50/p99   req/s  cpu ms/req   requests  non-2xx\n`);
  for (const [rt, r] of Object.entries(results)) {
    process.stderr.write(`${rt.padEnd(9)} ${String(r.p50_ms).padStart(6)} ${String(r.p99_ms).padStart(7)} ${String(r.p999_ms).padStart(9)} ${`${r.floor_p50_ms}/${r.floor_p99_ms}`.padStart(15)} ${String(r.rps).padStart(7)} ${String(r.cpu_ms_per_req).padStart(11)} ${String(r.requests).padStart(10)} ${String(r.non2xx).padStart(8)}\n`);
  }
  for (const [rt, r] of Object.entries(results)) {
    if (r.non2xx > 0) process.stderr.write(`${rt}: responses by status ${JSON.stringify(r.codes)}; e.g. ${r.samples.join(' | ')}\n`);
  }
  const handler = results.node ? await handlerRuns(events, batches) : undefined;
  if (handler) {
    for (const [state, h] of [['core up', handler.up], ['core away', handler.away]] as const) {
      process.stderr.write(`node handler in process (no sockets), ${state}: p50 ${h.p50_ms} ms, p99 ${h.p99_ms} ms, cpu ${h.cpu_ms_per_req} ms/req\n`);
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([rt, r]) => [
      rt,
      {
        p50_ms: r.p50_ms,
        p99_ms: r.p99_ms,
        p999_ms: r.p999_ms,
        floor_p50_ms: r.floor_p50_ms,
        floor_p99_ms: r.floor_p99_ms,
        rps: r.rps,
        cpu_ms_per_req: r.cpu_ms_per_req,
        ...(rt === 'node' && handler
          ? {
              handler_p50_ms: handler.up.p50_ms,
              handler_p99_ms: handler.up.p99_ms,
              handler_cpu_ms_per_req: handler.up.cpu_ms_per_req,
              handler_away_p50_ms: handler.away.p50_ms,
              handler_away_p99_ms: handler.away.p99_ms,
              handler_away_cpu_ms_per_req: handler.away.cpu_ms_per_req,
            }
          : {}),
      },
    ]),
  );
  process.stdout.write(`${JSON.stringify(values.json ? { ...summary, machine_floor: bare } : { ...results, machine_floor: bare })}\n`);
  return Object.values(results).some((r) => r.non2xx > 0 || r.errors > 0) ? 1 : 0;
}
