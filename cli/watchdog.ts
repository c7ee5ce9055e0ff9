// The supervisor's watchdog (cli/start.ts): a small process in its own process group whose stdin is
// a pipe from the supervisor. The supervisor writes `+<pgid>` when it starts a child (each child
// leads its own group, holding everything it spawned: wrangler's workerd included), `-<pgid>` when
// one has exited, and `rm <path>` for a file to delete at the end (an env file with keys). When
// stdin closes, the supervisor has ended, however it ended (SIGKILL included: the kernel closes its
// end of the pipe): every remaining group gets SIGTERM, then SIGKILL after GRACE_MS, and the files
// go. A clean stop of the supervisor does the same work first, so the watchdog then finds nothing.
import { rmSync } from 'node:fs';
import process from 'node:process';
import { parseSupervisorEnv } from './start-config.ts';

const GRACE_MS = parseSupervisorEnv(process.env).CADENCE_WATCHDOG_GRACE_MS;
const groups = new Set<number>();
const paths = new Set<string>();
let pending = '';

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  let nl: number;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (/^\+\d+$/.test(line)) groups.add(Number(line.slice(1)));
    else if (/^-\d+$/.test(line)) groups.delete(Number(line.slice(1)));
    else if (line.startsWith('rm ')) paths.add(line.slice(3));
  }
});
process.stdin.once('end', () => void finish());
process.stdin.once('close', () => void finish());
process.stdin.once('error', () => void finish());
// Signals are the supervisor's business: a Ctrl-C on the terminal must not end the watchdog early.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => undefined);

function signal(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false; // the group is gone
  }
}

let finishing = false;
async function finish(): Promise<void> {
  if (finishing) return;
  finishing = true;
  for (const g of groups) signal(g, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while ([...groups].some((g) => signal(g, 0)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const g of groups) signal(g, 'SIGKILL');
  for (const p of paths) rmSync(p, { recursive: true, force: true });
  process.exit(0);
}
