// Test projects: `node` (unit, core over real gRPC, end to end) and `workers` (inside workerd).
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
          hookTimeout: 90_000,
          globalSetup: ['test/setup/build.ts'],
        },
      },
      'test/workers/vitest.config.ts',
    ],
  },
});
