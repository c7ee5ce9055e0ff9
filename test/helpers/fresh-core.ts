// A fresh core on free ports with its own database, for tests that call it from outside clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { testDb, type TestDb } from './db.ts';

export const ADMIN_KEY = 'conformance-admin-key-0123456789';

export interface FreshCore extends RunningCore {
  grpcUrl: string;
  httpUrl: string;
  close(): Promise<void>;
}

export async function freshCore(env: Record<string, string> = {}): Promise<FreshCore> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-clients-'));
  const database: TestDb = await testDb(dir);
  let core: RunningCore;
  try {
    core = await serveCore(
      parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: database.url, CADENCE_SCRYPT_N: '1024', CADENCE_ADMIN_API_KEYS: ADMIN_KEY, ...env }),
      createLogger('silent'),
    );
  } catch (err) {
    // A refused configuration (a test of the refusal) must not leave its database server running.
    await database.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...core,
    grpcUrl: `http://127.0.0.1:${core.grpcPort}`,
    httpUrl: `http://127.0.0.1:${core.httpPort}`,
    async close() {
      await core.stop();
      await database.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const BUF = fileURLToPath(new URL('../../node_modules/.bin/buf', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `buf curl ...` (from the @bufbuild/buf npm package), asynchronously: the core answers from this process. */
export function bufCurl(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUF, ['curl', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
