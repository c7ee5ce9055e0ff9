// The `workers` project: tests run inside workerd through @cloudflare/vitest-pool-workers, with the
// edge's own wrangler configuration (the WASM kernel arrives as a compiled module).
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  plugins: [cloudflareTest({ wrangler: { configPath: './edge/wrangler.jsonc' } })],
  test: {
    name: 'workers',
    include: ['test/workers/**/*.test.ts'],
    globalSetup: ['test/setup/core.ts'],
    testTimeout: 30_000,
  },
});
