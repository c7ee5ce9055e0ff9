// Runs the bundled edge Worker straight on workerd through Miniflare: the same bundle that
// `wrangler deploy` uploads, the same queues, but no `wrangler dev` proxy in the request path.
// Started as a child process by cli/processes.ts (runtime 'workerd-direct'); prints a ready line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { Miniflare } from 'miniflare';
import { ROOT } from './processes.ts';

const port = Number(process.env.PORT ?? 8787);
const out = mkdtempSync(path.join(tmpdir(), 'cadence-edge-bundle-'));
const build = spawnSync(
  process.execPath,
  [`${ROOT}node_modules/wrangler/bin/wrangler.js`, 'deploy', '--dry-run', '-c', 'edge/wrangler.jsonc', '--outdir', out],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' } },
);
if (build.status !== 0) {
  process.stderr.write(build.stderr);
  process.exit(1);
}

// The vars of edge/wrangler.jsonc that the environment overrides (CADENCE_*), as strings.
const vars = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('CADENCE_')) as [string, string][]);
const mf = new Miniflare({
  modules: true,
  scriptPath: path.join(out, 'worker.js'),
  modulesRoot: out,
  modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  compatibilityDate: '2026-04-01',
  bindings: vars,
  queueProducers: { EVENTS: { queueName: 'cadence-events' }, DEAD_LETTERS: { queueName: 'cadence-events-dlq' } },
  queueConsumers: { 'cadence-events': { maxBatchSize: 50, maxBatchTimeout: 1, maxRetries: 100, deadLetterQueue: 'cadence-events-dlq' } },
  host: '127.0.0.1',
  port,
});
const url = await mf.ready;
process.stdout.write(`${JSON.stringify({ ready: true, url: url.href })}\n`);
const stop = () => mf.dispose().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
