// Starts one real core (libSQL file in a temp folder) for the workerd tests, which reach it over
// loopback exactly as a deployed Worker reaches the core's HTTP face.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildCollector, buildKernels } from '../../cli/build.ts';
import { startCore } from '../../cli/processes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    coreUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildKernels();
  await buildCollector();
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-workers-'));
  const core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`,
    CADENCE_GRPC_PORT: '0',
    CADENCE_HTTP_PORT: '0',
    CADENCE_LOG_LEVEL: 'warn',
    // Analysts' view of what the Worker sent (the geolocation test reads GetSessionDetail).
    CADENCE_ADMIN_API_KEYS: 'workers:workers-test-admin-key-0123456789',
  });
  project.provide('coreUrl', core.httpUrl);
  return async () => {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
