// `cadence bench load [--duration 60] [--rate 200] [--events 50] [--settle 60] [--svg FILE] [--json]`:
// the Node edge and the core together, as separate processes on one libSQL file, at a steady rate of
// realistic batches (typing plus pointer movement, bench/edge.ts) for a bounded time. Reports
// latency p50/p99 open loop (bench/lib/paced.ts), failures (anything but 200; must be zero), the
// memory of the edge and of the core once a second (RSS, V8 heap, external; bench/lib/mem-probe.mjs)
// with its growth after the first `--settle` seconds (flat: <= 5 %), drawn to an SVG (default
// artifacts/load-memory.svg), and then checks the database: every acknowledged batch stored
// (lost = 0) and none twice (duplicates = 0). Last stdout line: JSON.
//
// A 10-minute run as in docs/operations.md: `npx cadence bench load --duration 600 --rate 200 --json`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildKernels } from '../cli/build.ts';
import { ROOT, startCore, startEdge } from '../cli/processes.ts';
import { createDb } from '../db/client.ts';
import { sampleEvents } from './edge.ts';
import { jsonPoster, paced } from './lib/paced.ts';
import { groupRssMb } from './lib/proc.ts';
import { lineChartSvg } from './lib/svg-lines.ts';

/** One memory sample of a child (MB), `t` seconds after the measured run began. */
interface MemSample {
  t: number;
  rss: number;
  heapUsed: number;
  external: number;
}

/** Memory of one process over the run, and its growth after the warm-up minute. */
export interface MemoryFigures {
  /**
   * Mean RSS (MB) over the minute after the warm-up (`settle`) and over the last minute of the load:
   * a minute holds a V8 heap's grow-and-collect cycle or two, so the means compare like with like.
   */
  rss_settled_mb: number;
  rss_end_mb: number;
  /** Highest RSS after the warm-up. */
  rss_peak_after_settle_mb: number;
  /** (end - settled) / settled, in percent: flat is <= 5. */
  rss_growth_pct: number;
  heap_used_settled_mb: number;
  heap_used_end_mb: number;
  external_end_mb: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20 * 10) / 10;

/** The probe's samples (bench/lib/mem-probe.mjs), in MB, timed from `t0`. */
function readSamples(file: string, t0: number): MemSample[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { at: number; rss: number; heapUsed: number; external: number })
    .map((m) => ({ t: (m.at - t0) / 1000, rss: mb(m.rss), heapUsed: mb(m.heapUsed), external: mb(m.external) }));
}

function figuresOf(samples: MemSample[], settle: number, end: number): MemoryFigures {
  const mean = (from: number, to: number, pick: (s: MemSample) => number) => {
    const xs = samples.filter((s) => s.t >= from && s.t <= to).map(pick);
    return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : NaN;
  };
  const span = Math.min(60, (end - settle) / 2);
  const settledRss = mean(settle, settle + span, (s) => s.rss);
  const endRss = mean(end - span, end, (s) => s.rss);
  return {
    rss_settled_mb: settledRss,
    rss_end_mb: endRss,
    rss_peak_after_settle_mb: Math.max(...samples.filter((s) => s.t >= settle && s.t <= end).map((s) => s.rss)),
    rss_growth_pct: Math.round(((endRss - settledRss) / settledRss) * 1000) / 10,
    heap_used_settled_mb: mean(settle, settle + span, (s) => s.heapUsed),
    heap_used_end_mb: mean(end - span, end, (s) => s.heapUsed),
    external_end_mb: mean(end - span, end, (s) => s.external),
  };
}

export interface LoadResult {
  duration_s: number;
  rate: number;
  events_per_batch: number;
  requests: number;
  achieved_rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Requests not answered 200 (refused, reset or timed out). */
  failed: number;
  failures: string[];
  acknowledged: number;
  stored: number;
  lost: number;
  duplicates: number;
  drain_ms: number;
  edge_rss_mb: { start: number; peak: number; end: number };
  core_rss_mb: { start: number; peak: number; end: number };
  /** Growth after the first `settle_s` seconds of the run (the probe's samples). */
  settle_s: number;
  edge_memory: MemoryFigures;
  core_memory: MemoryFigures;
  /** Both RSS growths <= 5 %. */
  memory_flat: boolean;
  svg: string;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60' },
      rate: { type: 'string', default: '200' },
      events: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '3' },
      settle: { type: 'string', default: '60' },
      svg: { type: 'string', default: path.join(ROOT, 'artifacts', 'load-memory.svg') },
      'drain-timeout': { type: 'string', default: '300' },
      json: { type: 'boolean', default: false },
    },
  });
  const duration = Number(values.duration);
  const rate = Number(values.rate);
  const warmup = Number(values.warmup);
  // A run shorter than two warm-ups is judged after its first quarter instead.
  const settle = Math.min(Number(values.settle), Number(values.duration) / 4);
  const drainTimeoutMs = Number(values['drain-timeout']) * 1000;
  if (!(duration > 0 && duration <= 3600 && rate > 0 && settle >= 0 && drainTimeoutMs > 0)) {
    process.stderr.write('bench load: --duration (1-3600 s), --rate and --drain-timeout must be positive, --settle at least 0\n');
    return 2;
  }
  const events = sampleEvents(Number(values.events));
  await buildKernels();
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-load-'));
  const dbUrl = `file:${path.join(dir, 'core.db')}`;
  // The children sample their own memory (bench/lib/mem-probe.mjs, preloaded by the Node flags).
  const probe = { core: path.join(dir, 'core-mem.jsonl'), edge: path.join(dir, 'edge-mem.jsonl') };
  process.env.CADENCE_CHILD_NODE_FLAGS = `${process.env.CADENCE_CHILD_NODE_FLAGS ?? ''} --import ${path.join(ROOT, 'bench', 'lib', 'mem-probe.mjs')}`.trim();
  const core = await startCore({ CADENCE_DB_URL: dbUrl, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn', CADENCE_MEM_PROBE_FILE: probe.core });
  const edge = await startEdge('node', {
    coreUrl: core.httpUrl,
    // One client address sends everything here, so the per-address limit is off for the run;
    // 1,000 sessions at `rate` batches/s stay under the per-session limit anyway.
    vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}`, CADENCE_MEM_PROBE_FILE: probe.edge },
  });
  const run = Date.now().toString(36);
  let n = 0;
  const acked = new Set<string>();
  // Open loop at a steady rate (bench/lib/paced.ts): latency from when each batch was due.
  const poster = jsonPoster(edge.url);
  const shoot = (seconds: number, tag: string, record: boolean) =>
    paced(async (i) => {
      const id = n++;
      const batchId = `load-${tag}-${run}-${id}`;
      const body = JSON.stringify({ sessionId: `load-${run}-${id % 1000}`, batchId, seq: id, consent: true, context: { page: '/login', deviceId: 'dev-load' }, events });
      const r = await poster.post('/v1/events', body);
      if (record && r === true) acked.add(batchId);
      return r;
    }, { rate, seconds });
  try {
    await shoot(warmup, 'warm', false); // JIT, connections, SQLite pages
    await new Promise((r) => setTimeout(r, 1000));
    const rss = { edge: [groupRssMb(edge.child.pid!)], core: [groupRssMb(core.child.pid!)] };
    const sampler = setInterval(() => {
      rss.edge.push(groupRssMb(edge.child.pid!));
      rss.core.push(groupRssMb(core.child.pid!));
    }, 1000);
    process.stderr.write(`bench load: Node edge + core, ${events.length}-event batches at ${rate} req/s for ${duration} s, open loop...\n`);
    const t0 = Date.now();
    const r = await shoot(duration, 'run', true);
    const runEnd = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    rss.edge.push(groupRssMb(edge.child.pid!));
    rss.core.push(groupRssMb(core.child.pid!));

    // Every acknowledged batch must reach the core's database exactly once (the spool drains in the background).
    const db = await createDb(dbUrl, { migrate: false });
    const drainStart = Date.now();
    let stored = 0;
    let distinct = 0;
    let missing = acked.size;
    for (;;) {
      const rows = await db.$client.execute(`select batch_id from batches where batch_id like 'load-run-${run}-%'`);
      const ids = rows.rows.map((row) => String(row.batch_id));
      stored = ids.length;
      const set = new Set(ids);
      distinct = set.size;
      missing = [...acked].filter((id) => !set.has(id)).length;
      if (missing === 0 || Date.now() - drainStart > drainTimeoutMs) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    const drainMs = Date.now() - drainStart;
    // A batch stored twice shows as a second batch row, or (batch keys being unique by schema) as
    // more event rows than it has: counted per batch, so batches still arriving do not count.
    const overfull = Number(
      (await db.$client.execute(
        `select count(*) as n from (select 1 from events where batch_id like 'load-run-${run}-%' group by session_id, batch_id having count(*) > ${events.length})`,
      )).rows[0]!.n,
    );
    const duplicates = stored - distinct + overfull;
    db.$client.close();
    const summary = (xs: number[]) => ({ start: xs[0]!, peak: Math.max(...xs), end: xs[xs.length - 1]! });
    const series = { core: readSamples(probe.core, t0).filter((m) => m.t >= 0 && m.t <= runEnd), edge: readSamples(probe.edge, t0).filter((m) => m.t >= 0 && m.t <= runEnd) };
    const coreMemory = figuresOf(series.core, settle, runEnd);
    const edgeMemory = figuresOf(series.edge, settle, runEnd);
    const flat = coreMemory.rss_growth_pct <= 5 && edgeMemory.rss_growth_pct <= 5;
    const line = (name: string, color: string, xs: MemSample[], pick: (m: MemSample) => number, dashed = false) => ({ name, color, dashed, points: xs.map((m) => [Math.round(m.t * 10) / 10, pick(m)] as [number, number]) });
    mkdirSync(path.dirname(values.svg), { recursive: true });
    writeFileSync(
      values.svg,
      lineChartSvg(
        `Memory under ${rate} batches/s for ${duration} s (Node edge + core)`,
        [
          line('core RSS', '#c0392b', series.core, (m) => m.rss),
          line('core V8 heap used', '#c0392b', series.core, (m) => m.heapUsed, true),
          line('core external', '#e59866', series.core, (m) => m.external, true),
          line('edge RSS', '#2471a3', series.edge, (m) => m.rss),
          line('edge V8 heap used', '#2471a3', series.edge, (m) => m.heapUsed, true),
          line('edge external', '#7fb3d5', series.edge, (m) => m.external, true),
        ],
        {
          subtitle: `RSS growth after ${settle} s: core ${coreMemory.rss_growth_pct} %, edge ${edgeMemory.rss_growth_pct} % (flat: <= 5 %); ${acked.size} acknowledged, ${missing} lost, ${duplicates} duplicated`,
          xLabel: 'seconds into the run',
          yLabel: 'MB',
          markers: [{ x: settle, label: 'warm-up ends' }],
        },
      ),
    );
    const result: LoadResult = {
      duration_s: duration,
      rate,
      events_per_batch: events.length,
      requests: r.sent,
      achieved_rps: Math.round((r.sent / duration) * 10) / 10,
      p50_ms: r.p50_ms,
      p90_ms: r.p90_ms,
      p99_ms: r.p99_ms,
      max_ms: r.max_ms,
      failed: r.failed,
      failures: r.samples,
      acknowledged: acked.size,
      stored,
      lost: missing,
      duplicates,
      drain_ms: drainMs,
      edge_rss_mb: summary(rss.edge),
      core_rss_mb: summary(rss.core),
      settle_s: settle,
      edge_memory: edgeMemory,
      core_memory: coreMemory,
      memory_flat: flat,
      svg: values.svg,
    };
    process.stderr.write(
      `requests ${result.requests} (${result.achieved_rps}/s)  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms  max ${result.max_ms} ms  failed ${result.failed}${result.failed ? ` (e.g. ${result.failures.join(' | ')})` : ''}\n` +
        `acknowledged ${result.acknowledged}  stored ${result.stored}  lost ${result.lost}  duplicates ${result.duplicates}  (drained ${drainMs} ms after the run)\n` +
        `RSS MB  edge ${result.edge_rss_mb.start} → ${result.edge_rss_mb.end} (peak ${result.edge_rss_mb.peak})  core ${result.core_rss_mb.start} → ${result.core_rss_mb.end} (peak ${result.core_rss_mb.peak})\n` +
        `after ${settle} s: core RSS ${coreMemory.rss_settled_mb} → ${coreMemory.rss_end_mb} MB (${coreMemory.rss_growth_pct} %), edge ${edgeMemory.rss_settled_mb} → ${edgeMemory.rss_end_mb} MB (${edgeMemory.rss_growth_pct} %): ${flat ? 'flat' : 'GROWING'}; plot ${values.svg}\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.failed > 0 || result.lost > 0 || result.duplicates > 0 ? 1 : 0;
  } finally {
    poster.close();
    await edge.stop();
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
