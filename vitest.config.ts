// Test projects: `node` (unit, core over real gRPC, end to end), `workers` (inside workerd,
// through @cloudflare/vitest-pool-workers with the edge's own wrangler configuration) and `browser`
// (the collector and demo pages in Debian's Chromium, driven by playwright-core).
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
          globalSetup: ['test/setup/build.ts'],
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: './edge/wrangler.jsonc' } })],
        test: {
          name: 'workers',
          include: ['test/workers/**/*.test.ts'],
          globalSetup: ['test/setup/core.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 180_000,
          globalSetup: ['test/browser/setup.ts'],
        },
      },
    ],
  },
});
