// Preloaded (`--import`) into the Node children that cli/processes.ts starts (core, Node edge).
// 1. A log line must never kill a child: once its supervisor is gone, writes to the stdout/stderr
//    pipe fail with EPIPE, which Node would throw as an uncaught error mid-request. They are dropped.
// 2. A child must not outlive its parent: when it is re-parented (its parent died, however: SIGKILL
//    included; Node has no PR_SET_PDEATHSIG), it stops itself with SIGTERM, i.e. its own graceful
//    shutdown. The supervisor's watchdog (cli/watchdog.ts) also stops every child's process group;
//    this is the second line, for a child whose watchdog died too.
import process from 'node:process';

for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const parent = process.ppid;
if (parent > 1) {
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer); // once: a second SIGTERM would cut the graceful shutdown short
    process.kill(process.pid, 'SIGTERM');
  }, 250);
  timer.unref();
}
