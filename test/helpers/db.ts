// The database a test's core uses: a libSQL file in the test's temp folder, or, with
// CADENCE_TEST_DB=sqld, a fresh libSQL server (sqld) of its own, so the same suite proves the
// shared-server mode (`npm run test:sqld`).
import path from 'node:path';
import process from 'node:process';
import { startSqld, type SqldProcess } from '../../cli/processes.ts';

export interface TestDb {
  url: string;
  stop(): Promise<void>;
}

export const SQLD_MODE = process.env.CADENCE_TEST_DB === 'sqld';

const running = new Set<SqldProcess>();
process.once('exit', () => {
  for (const s of running) {
    try {
      process.kill(-s.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

export async function testDb(dir: string, name = 'core'): Promise<TestDb> {
  if (!SQLD_MODE) return { url: `file:${path.join(dir, `${name}.db`)}`, stop: async () => undefined };
  const sqld = await startSqld(path.join(dir, `${name}.sqld`));
  running.add(sqld);
  return {
    url: sqld.url,
    async stop() {
      running.delete(sqld);
      await sqld.stop();
    },
  };
}
