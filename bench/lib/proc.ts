// Process measurements from Linux /proc, for benchmarks that run Cadence's parts as child processes.
import { readdirSync, readFileSync } from 'node:fs';

/** The pids of a process group, each with its stat fields after the command name. */
function groupMembers(pgid: number): { pid: string; fields: string[] }[] {
  const out: { pid: string; fields: string[] }[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) out.push({ pid, fields }); // field 5: process group
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** CPU seconds (user + system) used so far by every process in a process group (stat fields 14, 15). */
export function groupCpuSeconds(pgid: number): number {
  const tick = 100; // USER_HZ on Linux
  return groupMembers(pgid).reduce((s, { fields }) => s + (Number(fields[11]) + Number(fields[12])) / tick, 0);
}

/** Resident memory (MB) of every process in a process group, summed (VmRSS). */
export function groupRssMb(pgid: number): number {
  let kb = 0;
  for (const { pid } of groupMembers(pgid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone meanwhile */
    }
  }
  return Math.round(kb / 102.4) / 10;
}
