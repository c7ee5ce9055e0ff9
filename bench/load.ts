// `cadence bench load [--duration 60] [--rate 200] [--events 50] [--json]`:
// the Node edge and the core together, as separate processes on one libSQL file, at a steady rate of
// realistic batches (typing plus pointer movement, bench/edge.ts) for a bounded time. Reports
// latency p50/p99 open loop (bench/lib/paced.ts), failures (anything but 200; must be zero), the resident memory of the
// edge and of the core at start, during and at the end (from /proc), and then checks the database:
// every acknowledged batch stored (lost = 0) and none twice (duplicates = 0). Last stdout line: JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildKernels } from '../cli/build.ts';
import { startCore, startEdge } from '../cli/processes.ts';
import { createDb } from '../db/client.ts';
import { sampleEvents } from './edge.ts';
import { jsonPoster, paced } from './lib/paced.ts';
import { groupRssMb } from './lib/proc.ts';

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
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60' },
      rate: { type: 'string', default: '200' },
      events: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const duration = Number(values.duration);
  const rate = Number(values.rate);
  const warmup = Number(values.warmup);
  if (!(duration > 0 && duration <= 3600 && rate > 0)) {
    process.stderr.write('bench load: --duration (1-3600 s) and --rate must be positive\n');
    return 2;
  }
  const events = sampleEvents(Number(values.events));
  await buildKernels();
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-load-'));
  const dbUrl = `file:${path.join(dir, 'core.db')}`;
  const core = await startCore({ CADENCE_DB_URL: dbUrl, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
  const edge = await startEdge('node', {
    coreUrl: core.httpUrl,
    // One client address sends everything here, so the per-address limit is off for the run;
    // 1,000 sessions at `rate` batches/s stay under the per-session limit anyway.
    vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}` },
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
    const r = await shoot(duration, 'run', true);
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
      if (missing === 0 || Date.now() - drainStart > 120_000) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    const drainMs = Date.now() - drainStart;
    // Batch ids are unique by schema, so a duplicate would show as extra event rows: count those.
    const eventRows = Number(
      (await db.$client.execute(`select count(*) as n from events where batch_id like 'load-run-${run}-%'`)).rows[0]!.n,
    );
    db.$client.close();
    const summary = (xs: number[]) => ({ start: xs[0]!, peak: Math.max(...xs), end: xs[xs.length - 1]! });
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
      duplicates: Math.max(0, eventRows - distinct * events.length) / events.length,
      drain_ms: drainMs,
      edge_rss_mb: summary(rss.edge),
      core_rss_mb: summary(rss.core),
    };
    process.stderr.write(
      `requests ${result.requests} (${result.achieved_rps}/s)  p50 ${result.p50_ms} ms  p99 ${result.p99_ms} ms  max ${result.max_ms} ms  failed ${result.failed}${result.failed ? ` (e.g. ${result.failures.join(' | ')})` : ''}\n` +
        `acknowledged ${result.acknowledged}  stored ${result.stored}  lost ${result.lost}  duplicates ${result.duplicates}  (drained ${drainMs} ms after the run)\n` +
        `RSS MB  edge ${result.edge_rss_mb.start} → ${result.edge_rss_mb.end} (peak ${result.edge_rss_mb.peak})  core ${result.core_rss_mb.start} → ${result.core_rss_mb.end} (peak ${result.core_rss_mb.peak})\n`,
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
