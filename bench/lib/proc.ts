// Process measurements from Linux /proc, for benchmarks that run Cadence's parts as child processes.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) used so far by every process in a process group (stat fields 5, 14, 15). */
export function groupCpuSeconds(pgid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    total += (Number(fields[11]) + Number(fields[12])) / tick;
  }
  return total;
}

/** Resident memory (bytes) of every process in a process group. */
export function groupRssBytes(pgid: number): number {
  const page = 4096;
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      total += Number(fields[21]) * page; // field 24: rss in pages
    } catch {
      continue;
    }
  }
  return total;
}
