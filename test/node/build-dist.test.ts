// The compiled build: `cadence start --runtime node` from dist/ serves /healthz on the edge and the
// core while every process resolves imports as a production install would (no tsx, no TypeScript
// file, no development dependency: test/helpers/production-imports.mjs, through NODE_OPTIONS so the
// watchdog, the core and the edge are held to it too). Also: the check itself catches what it must.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../cli/build-dist.ts';
import { answersOk, freePort, ROOT } from '../../cli/processes.ts';
import { trainUserModel, type TrainOutput } from '../../core/enrolment/train.ts';
import { windowOf, WINDOW_FEATURES } from '../../core/enrolment/windows.ts';
import { loadKernels } from '../../wasm/node.ts';
import { typing } from '../helpers/batches.ts';


const guard = path.join(ROOT, 'test', 'helpers', 'production-imports.mjs');
const productionEnv = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${guard}`.trim() };

const answers = (url: string) => answersOk(url, 1000);

/** Children of `pid`, recursively, with their command lines (from /proc). */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  const children = (p: number) => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  for (const c of children(pid)) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${c}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      /* gone */
    }
    out.push({ pid: c, cmd }, ...descendants(c));
  }
  return out;
}

describe('production import check (the guard the start test relies on)', () => {
  const run = (code: string) => spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env: productionEnv, encoding: 'utf8', timeout: 20_000 });

  it('refuses tsx, a TypeScript file and a development dependency; allows a dependency', () => {
    const tsx = run("await import('tsx/esm/api')");
    expect(tsx.status).not.toBe(0);
    expect(tsx.stderr).toMatch(/production import check: tsx\/esm\/api is a development dependency/);
    const ts = run(`await import(${JSON.stringify(path.join(ROOT, 'lib', 'errors.ts'))})`);
    expect(ts.stderr).toMatch(/production import check: .*lib\/errors\.ts is TypeScript/);
    const dev = run("await import('fast-check')");
    expect(dev.stderr).toMatch(/production import check: fast-check is a development dependency/);
    const ok = run("await import('zod'); console.log('loaded')");
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('loaded');
  });
});

describe('compiled start (dist/)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-dist-'));
  let child: ReturnType<typeof spawn> | undefined;
  let out = '';

  beforeAll(async () => {
    await buildDist(); // a no-op when `npm test` built it first
  }, 120_000);

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      process.kill(-child.pid, 'SIGTERM'); // the supervisor stops its children and its watchdog
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('`cadence start --runtime node` serves /healthz on the edge and the core with production imports only', async () => {
    const edgePort = await freePort();
    const httpPort = await freePort();
    const env = {
      ...productionEnv,
      CADENCE_DB_URL: `file:${dir}/cadence.db`,
      CADENCE_SPOOL_URL: `file:${dir}/spool.db`,
      CADENCE_LOG_DIR: `${dir}/logs`,
      CADENCE_GRPC_PORT: String(await freePort()),
      CADENCE_HTTP_PORT: String(httpPort),
      CADENCE_FROM_SOURCE: '',
    };
    child = spawn(process.execPath, ['bin/cadence.js', 'start', '--runtime', 'node', '--edge-port', String(edgePort)], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + 90_000;
    let up = false;
    while (!up && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`cadence start exited with ${child.exitCode}:\n${out}`);
      up = (await answers(`http://127.0.0.1:${edgePort}/healthz`)) && (await answers(`http://127.0.0.1:${httpPort}/healthz`));
      if (!up) await new Promise((r) => setTimeout(r, 200));
    }
    expect(up, out).toBe(true);
    expect(out).not.toMatch(/production import check/);
    // Every process of the stack runs compiled code from dist/, none through tsx.
    const procs = descendants(child.pid!);
    const cmds = procs.map((p) => p.cmd);
    for (const name of ['core', 'edge-node', 'watchdog']) expect(cmds.some((c) => c.includes(`dist/${name}.js`)), cmds.join('\n')).toBe(true);
    expect(cmds.filter((c) => /tsx|\.ts\b/.test(c))).toEqual([]);
  }, 120_000);
});

describe('compiled training worker (dist/train-worker.js)', () => {
  beforeAll(async () => {
    await buildDist();
  }, 120_000);

  it('trains a user model as the source does inline', async () => {
    const rowsOf = (n: number, seed: number, hold: number, gap: number) =>
      Float64Array.from(Array.from({ length: n }, (_, i) => Array.from(windowOf(typing({ hold, gap, keys: 30, seed: seed + i })).vector)).flat());
    const input = { rows: rowsOf(30, 0, 105, 210), dims: WINDOW_FEATURES.length, impostors: rowsOf(8, 100, 70, 140), monitor: 0.4 };
    const worker = new Worker(pathToFileURL(path.join(ROOT, 'dist', 'train-worker.js')));
    try {
      const reply = await new Promise<{ ok: boolean; output?: TrainOutput; error?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(input);
      });
      expect(reply.error).toBeUndefined();
      const inline = trainUserModel(await loadKernels(), input);
      expect(reply.output!.state).toEqual(inline.state);
      expect(reply.output!.metrics).toEqual(inline.metrics);
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
