// `cadence bench startup [--runs 5] [--json]`: time from `cadence start --runtime node` to both the
// edge's and the core's /healthz answering, for the compiled build (dist/, what `npm start` runs)
// and for the sources through tsx (CADENCE_FROM_SOURCE=1, how every start ran before the build),
// alternated run by run on a fresh database each time. The floor is a bare Node process that serves
// /healthz (no Cadence), measured the same way in the same run. Last stdout line:
// {"runs","compiled":{"median_ms","min_ms","max_ms","ratio_to_floor"},"source":{...},"floor":{...},
// "speedup"} where speedup is the source median over the compiled median.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAll } from '../cli/build.ts';
import { answersOk, freePort, ROOT } from '../cli/processes.ts';
import { flag, intOption } from './lib/args.ts';

type Variant = 'compiled' | 'source' | 'floor';

const answers = (url: string) => answersOk(url, 500);

/** One start: milliseconds from spawn until every /healthz answers 200; the process group is then stopped. */
async function timeStart(variant: Variant): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-startup-'));
  const edgePort = await freePort();
  const floorServer = `require('node:http').createServer((q, s) => s.end('ok')).listen(${edgePort}, '127.0.0.1')`;
  const args = variant === 'floor' ? ['-e', floorServer] : ['bin/cadence.js', 'start', '--runtime', 'node', '--edge-port', String(edgePort)];
  const env = {
    ...process.env,
    CADENCE_DB_URL: `file:${dir}/cadence.db`,
    CADENCE_SPOOL_URL: `file:${dir}/spool.db`,
    CADENCE_LOG_DIR: `${dir}/logs`,
    CADENCE_GRPC_PORT: '0',
    CADENCE_HTTP_PORT: '0',
    CADENCE_FROM_SOURCE: variant === 'source' ? '1' : '',
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  try {
    const urls = [`http://127.0.0.1:${edgePort}/healthz`];
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant} start exited with ${child.exitCode}:\n${out}`);
      if (performance.now() - started > 60_000) throw new Error(`${variant} start took over 60 s:\n${out}`);
      // The core's HTTP port is free-picked: its ready line names it.
      const core = /"ready":true,"grpcPort":\d+,"httpPort":(\d+)/.exec(out);
      if (variant !== 'floor' && urls.length === 1 && core) urls.push(`http://127.0.0.1:${core[1]}/healthz`);
      if (urls.length === (variant === 'floor' ? 1 : 2) && (await Promise.all(urls.map(answers))).every(Boolean)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM'); // the supervisor stops its children
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function summary(ms: number[], floor?: number) {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { median_ms: Math.round(median), min_ms: Math.round(sorted[0]!), max_ms: Math.round(sorted.at(-1)!), ...(floor ? { ratio_to_floor: +(median / floor).toFixed(1) } : {}) };
}

export async function run(argv: string[]): Promise<number> {
  const runs = intOption(argv, 'runs', 5);
  await buildAll(); // both variants then start from built kernels and assets; compiled from a fresh dist/
  const times: Record<Variant, number[]> = { compiled: [], source: [], floor: [] };
  for (let i = 0; i < runs; i++) {
    for (const v of (i % 2 ? ['source', 'compiled', 'floor'] : ['floor', 'compiled', 'source']) as Variant[]) {
      times[v].push(await timeStart(v));
      process.stderr.write(`  run ${i + 1}/${runs} ${v.padEnd(8)} ${Math.round(times[v].at(-1)!)} ms\n`);
    }
  }
  const floor = summary(times.floor);
  const compiled = summary(times.compiled, floor.median_ms);
  const source = summary(times.source, floor.median_ms);
  const result = { runs, compiled, source, floor, speedup: +(source.median_ms / compiled.median_ms).toFixed(2) };
  if (!flag(argv, 'json')) {
    process.stdout.write(`start to both /healthz, median of ${runs} (min-max):\n`);
    for (const [k, s] of Object.entries({ compiled, source, floor })) process.stdout.write(`  ${k.padEnd(9)}${s.median_ms} ms (${s.min_ms}-${s.max_ms})\n`);
    process.stdout.write(`  compiled is ${result.speedup}x faster to serve than the tsx path\n`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
