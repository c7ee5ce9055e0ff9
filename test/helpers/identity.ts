// Test harness for identity: a real core on port 0 with an injectable clock and cheap scrypt, called
// through client/'s generated typed clients on the native gRPC port (test/helpers/typed-core.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IdentityService, IngestService } from '../../client/index.ts';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { testDb } from './db.ts';
import { grpcTransport, unary } from './typed-core.ts';

export { rejection, type CallError } from './typed-core.ts';

export interface Harness {
  core: RunningCore;
  dbUrl: string;
  clock: { t: number; advance(ms: number): void };
  identity: Record<'register' | 'login' | 'refresh' | 'revoke' | 'logout' | 'verifyMpin' | 'getSessionStatus' | 'getJwks', (req: unknown) => Promise<any>>;
  ingestBatch(req: unknown): Promise<any>;
  stop(): Promise<void>;
}

export async function startIdentityCore(env: Record<string, string> = {}, options: { logLines?: string[]; dbUrl?: string } = {}): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-identity-'));
  const database = options.dbUrl ? undefined : await testDb(dir);
  const dbUrl = options.dbUrl ?? database!.url;
  const clock = { t: Date.UTC(2030, 0, 1), advance(ms: number) { clock.t += ms; } };
  const config = parseCoreConfig({ CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_DB_URL: dbUrl, CADENCE_SCRYPT_N: '1024', ...env });
  const log = options.logLines ? createLogger('debug', (line) => void options.logLines!.push(line)) : createLogger('silent');
  const core = await serveCore(config, log, { now: () => clock.t });
  // A libSQL server (CADENCE_TEST_DB=sqld) serialises the write transactions of the tests' floods of
  // concurrent logins over HTTP; on a loaded 2-core machine a call can wait behind 80 of them.
  const deadlineMs = process.env.CADENCE_TEST_DB === 'sqld' ? 120_000 : 10_000;
  const { transport, close } = grpcTransport(`127.0.0.1:${core.grpcPort}`, deadlineMs);
  const methods = ['register', 'login', 'refresh', 'revoke', 'logout', 'verifyMpin', 'getSessionStatus', 'getJwks'] as const;
  const identity = Object.fromEntries(methods.map((m) => [m, unary(transport, IdentityService, m)])) as Harness['identity'];
  return {
    core,
    dbUrl,
    clock,
    identity,
    ingestBatch: unary(transport, IngestService, 'ingestBatch'),
    async stop() {
      close();
      await core.stop();
      await database?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
