// Preloaded (`--import`) into the core and Node edge children by `cadence bench load`: once a second,
// appends the process's memory (RSS, V8 heap used and total, external, array buffers; bytes) as a
// JSON line to CADENCE_MEM_PROBE_FILE. Plain JavaScript: it loads before tsx.
import { appendFileSync } from 'node:fs';

const file = process.env.CADENCE_MEM_PROBE_FILE;
if (file) {
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  }, 1000).unref();
}
