// `cadence start` as operators run it, as a real process on free ports (issue 16, items 6-8):
// - internal faces closed by default: IngestBatch, ScoreSession and /predict without a key are
//   refused (401 / UNAUTHENTICATED) on a fresh start; the generated keys are printed on stdout only,
//   never in a log file, and every log file is mode 0600; a core started by hand without keys refuses
//   to start;
// - kill -9 of the core: the edge keeps accepting (spooling) and the core is back within 5 s, then
//   gets every batch acknowledged meanwhile;
// - kill -9 of the supervisor: every child (wrangler's workerd included) is gone and every port free
//   within 5 s, on the Node edge and on workerd.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersOk, freePort, ROOT } from '../../cli/processes.ts';
import { backoffMs, RotatingLog } from '../../cli/supervisor.ts';
import { createDb } from '../../db/client.ts';
import { batch, typing } from '../helpers/batches.ts';
import { grpcClients } from '../helpers/grpc-client.ts';
import { IngestService, RiskService } from '../../client/index.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { connectTransport, status, unary, type CallError } from '../helpers/typed-core.ts';

let dir: string;
const started: Cadence[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-faults-start-'));
});

afterAll(async () => {
  for (const c of started) c.kill();
  await new Promise((r) => setTimeout(r, 300));
  for (const c of started) c.kill(); // a group that a watchdog was still stopping
  rmSync(dir, { recursive: true, force: true });
});

interface Cadence {
  child: ChildProcess;
  out: () => string;
  grpcPort: number;
  httpPort: number;
  edgePort: number;
  coreUrl: string;
  edgeUrl: string;
  dbUrl: string;
  logDir: string;
  keys: { admin: string; service: string; offchain: string };
  /** SIGKILL to the supervisor's group and every process it started (cleanup). */
  kill(): void;
}

/** Every live descendant of `pid`, from /proc (zombies left out: they hold no ports). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const list = children.get(Number(ppid)) ?? [];
      list.push(Number(name));
      children.set(Number(ppid), list);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function startCadence(runtime: 'node' | 'workerd', name: string): Promise<Cadence> {
  const [grpcPort, httpPort, edgePort] = [await freePort(), await freePort(), await freePort()];
  const base = path.join(dir, name);
  const dbUrl = `file:${base}-core.db`;
  const logDir = `${base}-logs`;
  // A fresh start: no keys, no opt-out in the environment.
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of ['CADENCE_ADMIN_API_KEYS', 'CADENCE_SERVICE_API_KEYS', 'CADENCE_OFFCHAIN_API_KEYS', 'CADENCE_CORE_API_KEY', 'CADENCE_INSECURE_OPEN_SERVICES', 'CADENCE_EDGE_SECRET']) delete env[k];
  Object.assign(env, {
    CADENCE_DB_URL: dbUrl,
    CADENCE_GRPC_PORT: String(grpcPort),
    CADENCE_HTTP_PORT: String(httpPort),
    CADENCE_SPOOL_URL: `file:${base}-spool.db`,
    CADENCE_LOG_DIR: logDir,
    CADENCE_LOG_MAX_BYTES: '20000',
    CADENCE_LOG_FILES: '2',
    CADENCE_CORE_TIMEOUT_MS: '1000',
    CADENCE_RETRY_CAP_MS: '1000',
  });
  const child = spawn(process.execPath, ['bin/cadence.js', 'start', '--runtime', runtime, '--edge-port', String(edgePort)], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const known = new Set<number>();
  const c: Cadence = {
    child, out: () => out, grpcPort, httpPort, edgePort, dbUrl, logDir,
    coreUrl: `http://127.0.0.1:${httpPort}`,
    edgeUrl: `http://127.0.0.1:${edgePort}`,
    keys: { admin: '', service: '', offchain: '' },
    kill() {
      for (const p of [child.pid!, ...descendants(child.pid!)]) known.add(p);
      for (const p of known) {
        for (const target of [-p, p]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    },
  };
  started.push(c);
  const deadline = Date.now() + 150_000;
  while (!/A child that exits is restarted/.test(out)) {
    if (child.exitCode !== null) throw new Error(`cadence start exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`cadence start not up within 150 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const p of descendants(child.pid!)) known.add(p);
  const key = (label: string) => new RegExp(`^  ${label}\\s+(cadence-[A-Za-z0-9_-]+)`, 'm').exec(out)?.[1] ?? '';
  c.keys = { admin: key('admin key'), service: key('service key'), offchain: key('off-chain key') };
  return c;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });

const healthy = (url: string) => answersOk(url, 500);

describe('the parts', () => {
  it('rotates a log file by size, keeping N, each of mode 0600', () => {
    const file = path.join(dir, 'rot', 'x.log');
    const log = new RotatingLog(file, 100, 2);
    for (let i = 0; i < 10; i++) log.write(`${String(i).repeat(39)}\n`); // 40 bytes: two lines a file
    log.close();
    const files = readdirSync(path.dirname(file)).sort();
    expect(files).toEqual(['x.log', 'x.log.1', 'x.log.2']);
    expect(readFileSync(file, 'utf8')).toBe(`${'8'.repeat(39)}\n${'9'.repeat(39)}\n`);
    expect(readFileSync(`${file}.2`, 'utf8').startsWith('4')).toBe(true);
    for (const f of files) expect(statSync(path.join(path.dirname(file), f)).mode & 0o777).toBe(0o600);
  });

  it('backs off 0.1 s doubling to 30 s', () => {
    expect([1, 2, 3, 4, 10, 20].map((n) => backoffMs(n))).toEqual([100, 200, 400, 800, 30_000, 30_000]);
  });

  it('a core without service and off-chain keys refuses to start', () => {
    const env: Record<string, string | undefined> = { ...process.env, CADENCE_DB_URL: `file:${path.join(dir, 'refuse.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0' };
    for (const k of ['CADENCE_SERVICE_API_KEYS', 'CADENCE_OFFCHAIN_API_KEYS', 'CADENCE_INSECURE_OPEN_SERVICES']) delete env[k];
    const run = (extra: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'core/main.ts'], { cwd: ROOT, env: { ...env, ...extra }, encoding: 'utf8', timeout: 30_000 });
    const open = run({});
    expect(open.status).toBe(1);
    expect(open.stderr).toMatch(/refusing to serve open internal services: set CADENCE_SERVICE_API_KEYS .* and CADENCE_OFFCHAIN_API_KEYS/);
    const half = run({ CADENCE_SERVICE_API_KEYS: 'edge:0123456789abcdef0123' });
    expect(half.status).toBe(1);
    expect(half.stderr).toMatch(/set CADENCE_OFFCHAIN_API_KEYS/);
  }, 60_000);
});

describe('cadence start --runtime node', () => {
  let c: Cadence;
  beforeAll(async () => {
    c = await startCadence('node', 'node');
  }, 180_000);

  it('refuses IngestBatch, ScoreSession and /predict without a key, and takes the generated keys', async () => {
    expect(c.keys.service).toMatch(/^cadence-/);
    expect(c.keys.offchain).toMatch(/^cadence-/);
    expect(c.keys.admin).toMatch(/^cadence-/);
    const b = batch({ sessionId: 'open-1', batchId: 'open-1-0', seq: 0, events: typing({ keys: 6, seed: 1 }) });
    const predict = { did: '0x742d35Cc6634C0532925a3b844Bc9e7595f0bEb', features: { typing_speed_wpm: 65, avg_key_hold_time_ms: 120, avg_transition_time_ms: 85, error_rate_percent: 2, activity_hour_preference: 14 } };
    // Connect calls through the typed client (codes), /predict as a page posts it (HTTP statuses).
    const { transport } = connectTransport(c.coreUrl);
    const ingest = unary(transport, IngestService, 'ingestBatch');
    const score = unary(transport, RiskService, 'scoreSession');
    const codeOf = (p: Promise<unknown>) => p.then(() => status.OK, (e: CallError) => e.code);
    const wire = { batch: toWireBatch(b) };
    const refused = {
      ingest: await codeOf(ingest(wire)),
      score: await codeOf(score({ sessionId: 'open-1' })),
      predict: (await post(`${c.coreUrl}/predict`, predict)).status,
      wrongKey: await codeOf(ingest(wire, { headers: { 'x-api-key': c.keys.offchain } })),
    };
    const grpc = grpcClients(`127.0.0.1:${c.grpcPort}`);
    const grpcCode = await grpc.ingestBatch(wire).then(() => 0, (e: { code: number }) => e.code);
    grpc.close();
    // With the generated keys, the same calls get through the key check.
    const service = { headers: { 'x-api-key': c.keys.service } };
    const allowed = {
      ingest: await codeOf(ingest(wire, service)),
      score: await codeOf(score({ sessionId: 'open-1' }, service)),
    };
    const predictAllowed = (await post(`${c.coreUrl}/predict`, predict, { 'x-api-key': c.keys.offchain })).status;
    process.stdout.write(`faults-start: without a key ${JSON.stringify(refused)}, native IngestBatch code ${grpcCode}; with the generated keys ${JSON.stringify(allowed)}, /predict ${predictAllowed}\n`);
    expect(refused).toEqual({ ingest: status.UNAUTHENTICATED, score: status.UNAUTHENTICATED, predict: 401, wrongKey: status.PERMISSION_DENIED });
    expect(grpcCode).toBe(status.UNAUTHENTICATED);
    for (const code of Object.values(allowed)) expect([status.UNAUTHENTICATED, status.PERMISSION_DENIED]).not.toContain(code);
    expect([401, 403]).not.toContain(predictAllowed);
  });

  it('kill -9 of the core: the edge keeps accepting and the core is back within 5 s with every batch', async () => {
    const core = descendants(c.child.pid!).find((p) => cmdline(p).includes('dist/core.js'));
    expect(core).toBeDefined();
    // Four sessions in turn, one post every 150 ms: well within the edge's rate limits.
    const sessions: string[] = [];
    for (let k = 0; k < 4; k++) sessions.push(((await (await post(`${c.edgeUrl}/v1/session`, {})).json()) as { sessionId: string }).sessionId);
    const statuses: Record<number, number> = {};
    const acked: string[] = [];
    let i = 0;
    const send = async () => {
      const b = batch({ sessionId: sessions[i % 4], batchId: `kill-core-${i}`, seq: Math.floor(i / 4), events: typing({ keys: 6, seed: i }) });
      i++;
      const res = await post(`${c.edgeUrl}/v1/events`, b);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 200) acked.push(b.batchId);
      await res.body?.cancel();
    };
    await send();
    const t0 = Date.now();
    process.kill(core!, 'SIGKILL');
    let backMs: number | undefined;
    while (Date.now() - t0 < 15_000) {
      await send(); // the edge answers whatever the core does
      if (await healthy(`${c.coreUrl}/healthz`)) {
        backMs = Date.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    for (let k = 0; k < 5; k++) await send();
    const newCore = descendants(c.child.pid!).find((p) => cmdline(p).includes('dist/core.js'));
    // Delivered: every acknowledged batch reaches the restarted core (the edge sends it with its key).
    const db = await createDb(c.dbUrl, { migrate: false });
    let stored = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      stored = Number((await db.$client.execute("select count(*) as n from batches where batch_id like 'kill-core-%'")).rows[0]!.n);
      if (stored >= acked.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    db.$client.close();
    const readyIn = /core is back \(pid \d+, ready in (\d+) ms\)/.exec(c.out())?.[1];
    process.stdout.write(`faults-start: core kill -9: back (healthz 200) after ${backMs} ms (the new core's start ${readyIn} ms); edge answered ${JSON.stringify(statuses)} (${i} posts); ${stored} of ${acked.length} acknowledged batches stored\n`);
    expect(backMs).toBeDefined();
    expect(backMs!).toBeLessThan(5000);
    expect(newCore).toBeDefined();
    expect(newCore).not.toBe(core);
    expect(Object.keys(statuses)).toEqual(['200']);
    expect(stored).toBe(acked.length);
    expect(c.out()).toMatch(/core exited \(SIGKILL\); restarting in \d+ ms/);
  }, 60_000);

  it('writes logs to 0600 files, rotated, with no key in any of them', () => {
    const files = readdirSync(c.logDir);
    expect(files).toEqual(expect.arrayContaining(['core.log', 'edge.log', 'supervisor.log']));
    expect(statSync(c.logDir).mode & 0o777).toBe(0o700);
    for (const f of files) {
      expect(statSync(path.join(c.logDir, f)).mode & 0o777, f).toBe(0o600);
      const text = readFileSync(path.join(c.logDir, f), 'utf8');
      for (const k of Object.values(c.keys)) expect(text.includes(k), `${f} holds a key`).toBe(false);
    }
    expect(readFileSync(path.join(c.logDir, 'supervisor.log'), 'utf8')).toMatch(/core is back/);
    // The keys are on the supervisor's stdout, once.
    for (const k of Object.values(c.keys)) expect(c.out().split(k).length - 1).toBe(1);
  });

  it('kill -9 of the supervisor: every child is gone and every port free within 5 s', async () => {
    await expectSupervisorKillFrees(c);
  }, 30_000);
});

describe('cadence start --runtime workerd', () => {
  it('kill -9 of the supervisor: wrangler, workerd and every port gone within 5 s', async () => {
    const c = await startCadence('workerd', 'workerd');
    const session = await post(`${c.edgeUrl}/v1/session`, {});
    expect(session.ok).toBe(true);
    // The edge's key and secret reach wrangler in a dotenv file of mode 0600, never on its command line.
    const wrangler = descendants(c.child.pid!).map(cmdline).find((l) => l.includes('wrangler.js dev'))!;
    const secrets = / --env-file (\S+)/.exec(wrangler)?.[1];
    expect(secrets).toBeDefined();
    expect(statSync(secrets!).mode & 0o777).toBe(0o600);
    expect(readFileSync(secrets!, 'utf8')).toContain(`CADENCE_CORE_API_KEY=${c.keys.service}`);
    expect(wrangler).not.toContain(c.keys.service);
    await expectSupervisorKillFrees(c);
    // ... and the watchdog deletes it once the children are gone.
    const deadline = Date.now() + 5000;
    while (existsSync(secrets!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(secrets!)).toBe(false);
  }, 240_000);
});

async function expectSupervisorKillFrees(c: Cadence): Promise<void> {
  const children = descendants(c.child.pid!);
  const listening = listeningPorts(children);
  expect(listening).toEqual(expect.arrayContaining([c.grpcPort, c.httpPort, c.edgePort]));
  const t0 = Date.now();
  process.kill(c.child.pid!, 'SIGKILL');
  let freeMs: number | undefined;
  while (Date.now() - t0 < 10_000) {
    const free = await Promise.all(listening.map(portFree));
    if (free.every(Boolean) && children.every((p) => !alive(p))) {
      freeMs = Date.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const left = children.filter(alive).map((p) => `${p} ${cmdline(p)}`);
  process.stdout.write(`faults-start: supervisor kill -9: ${children.length} processes and ports ${listening.join(',')} gone after ${freeMs} ms${left.length ? `; left: ${left.join('; ')}` : ''}\n`);
  expect(left).toEqual([]);
  expect(freeMs).toBeDefined();
  expect(freeMs!).toBeLessThan(5000);
}

/** TCP ports on which any of `pids` listens (from `ss`, as the test's own user). */
function listeningPorts(pids: number[]): number[] {
  const ss = spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  const ports = new Set<number>();
  for (const line of ss.stdout.split('\n')) {
    const pid = /pid=(\d+)/.exec(line)?.[1];
    const port = /:(\d+)\s/.exec(line)?.[1];
    if (pid && port && pids.includes(Number(pid))) ports.add(Number(port));
  }
  return [...ports].sort((a, b) => a - b);
}
