// What `cadence start` needs to run its children as operators expect: a child that dies is
// restarted with backoff while the others keep serving; a watchdog (cli/watchdog.ts) stops every
// child's process group when the supervisor dies, however it dies; each child's output goes to a
// size-rotated log file as well as to stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { entryArgs } from '../lib/entries.ts';
import { ROOT, type LaunchHooks, type Running } from './processes.ts';

/**
 * An append-only log file rotated by size: past `maxBytes`, name.log becomes name.log.1 (.1 becomes
 * .2, ...), `keep` old files are kept. Files are created with mode 0600 (they hold user and session
 * ids and addresses; never keys), in a folder of mode 0700.
 */
export class RotatingLog {
  private fd: number;
  private size: number;

  constructor(readonly file: string, private readonly maxBytes = 10 << 20, private readonly keep = 5) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  write(data: string | Buffer): void {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.size > 0 && this.size + buf.length > this.maxBytes) this.rotate();
    writeSync(this.fd, buf);
    this.size += buf.length;
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    if (this.keep > 0) renameSync(this.file, `${this.file}.1`);
    else rmSync(this.file, { force: true });
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Runs cli/watchdog.ts (compiled or not, as this module runs) in its own process group; tell it about each child's group as it starts and ends. */
export function startWatchdog() {
  const child: ChildProcess = spawn(process.execPath, entryArgs('watchdog'), {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.unref();
  const send = (line: string) => {
    if (child.stdin?.writable) child.stdin.write(`${line}\n`);
  };
  child.stdin!.on('error', () => undefined);
  return {
    pid: child.pid,
    watch: (pgid: number) => send(`+${pgid}`),
    forget: (pgid: number) => send(`-${pgid}`),
    removeOnExit: (p: string) => send(`rm ${p}`),
    /** After a clean stop of every child: closing stdin ends the watchdog. */
    close: () => child.stdin?.end(),
  };
}
export type Watchdog = ReturnType<typeof startWatchdog>;

/**
 * Delay before restart number `attempt` (1-based) of a child that keeps failing: 0.1 s doubling,
 * capped at 30 s. The first is short because a core restart must be back within seconds (its start
 * takes 1.5-2.5 s on two busy cores); a crash loop still slows down quickly (0.1, 0.2, 0.4 ... 25.6, 30 s).
 */
export function backoffMs(attempt: number, baseMs = 100, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export interface Supervised<R extends Running> {
  current(): R | undefined;
  /** Stops the child and any pending restart. */
  stop(): Promise<void>;
}

/**
 * Keeps one child running: `start` launches it (with the hooks) and resolves once it is ready. When
 * it exits without being asked to, it is started again after backoffMs(n), n counting the restarts
 * since it last stayed up for `stableMs`. A start that fails counts as a failure too.
 */
export function supervise<R extends Running>(
  name: string,
  first: R,
  start: (hooks: LaunchHooks) => Promise<R>,
  options: { hooks: LaunchHooks; note: (msg: string) => void; stableMs?: number; baseMs?: number; capMs?: number },
): Supervised<R> {
  const stableMs = options.stableMs ?? 30_000;
  let current: R | undefined = first;
  let startedAt = Date.now();
  let failures = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const restartLater = (why: string) => {
    if (stopping) return;
    failures = Date.now() - startedAt >= stableMs ? 1 : failures + 1;
    const delay = backoffMs(failures, options.baseMs, options.capMs);
    options.note(`${name} ${why}; restarting in ${delay} ms (restart ${failures} in a row)`);
    timer = setTimeout(() => void restart(), delay);
  };
  const watch = (r: R) =>
    r.child.once('exit', (code, sig) => {
      if (current === r) current = undefined;
      try {
        process.kill(-r.child.pid!, 'SIGKILL'); // what it left in its group (wrangler's workerd) would hold the ports
      } catch {
        /* nothing left */
      }
      restartLater(`exited (${sig ?? `code ${code}`})`);
    });
  const restart = async () => {
    timer = undefined;
    if (stopping) return;
    const t0 = Date.now();
    startedAt = t0;
    try {
      const r = await start(options.hooks);
      if (stopping) return void (await r.stop());
      current = r;
      watch(r);
      options.note(`${name} is back (pid ${r.child.pid}, ready in ${Date.now() - t0} ms)`);
    } catch (err) {
      restartLater(`did not start: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  watch(first);
  return {
    current: () => current,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await current?.stop();
    },
  };
}

/** Splits a child's output into lines: each line to its log file, and to stdout prefixed with the child's name. */
export function outputTo(name: string, log: RotatingLog | undefined, echo: boolean): (chunk: Buffer) => void {
  let pending = '';
  const prefix = `${name.padEnd(5)}| `;
  return (chunk) => {
    log?.write(chunk);
    if (!echo) return;
    pending += chunk.toString();
    const nl = pending.lastIndexOf('\n');
    if (nl < 0) {
      if (pending.length < 64_000) return;
    }
    const text = nl < 0 ? pending : pending.slice(0, nl);
    pending = nl < 0 ? '' : pending.slice(nl + 1);
    process.stdout.write(text.split('\n').map((l) => `${prefix}${l}\n`).join(''));
  };
}
