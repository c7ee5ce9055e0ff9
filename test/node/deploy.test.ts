// The edge bundles for Cloudflare offline (`wrangler deploy --dry-run`), WASM module included,
// and stays within the Workers free plan's 3 MB compressed script limit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../cli/processes.ts';

describe('wrangler deploy --dry-run', () => {
  it('bundles the edge Worker with its kernel, offline', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cadence-dist-'));
    try {
      const run = spawnSync(
        process.execPath,
        [`${ROOT}node_modules/wrangler/bin/wrangler.js`, 'deploy', '--dry-run', '-c', 'edge/wrangler.jsonc', '--outdir', out],
        { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true' } },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/--dry-run: exiting now/);
      expect(run.stdout).toMatch(/env\.EVENTS \(cadence-events\)\s+Queue/);
      const files = readdirSync(out);
      expect(files.some((f) => f.endsWith('kernels.wasm'))).toBe(true);
      const worker = readFileSync(path.join(out, 'worker.js'));
      expect(gzipSync(worker).length).toBeLessThan(3 * 1024 * 1024);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});
