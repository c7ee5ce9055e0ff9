// Test harness for identity: a real core on port 0 with an injectable clock and cheap scrypt, and
// grpc-js clients built only from proto/, as any outside caller would build them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { parseCoreConfig } from '../../core/config.ts';
import { createLogger } from '../../core/log.ts';
import { serveCore, type RunningCore } from '../../core/main.ts';
import { testDb } from './db.ts';

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

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
  const def = protoLoader.loadSync(['cadence/v1/identity.proto', 'cadence/v1/ingest.proto'], {
    includeDirs: [protoDir], longs: String, enums: String, defaults: true, oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const address = `127.0.0.1:${core.grpcPort}`;
  const creds = grpc.credentials.createInsecure();
  const identityClient = new pkg.cadence.v1.IdentityService(address, creds);
  const ingestClient = new pkg.cadence.v1.IngestService(address, creds);
  // A libSQL server (CADENCE_TEST_DB=sqld) serialises the write transactions of the tests' floods of
  // concurrent logins over HTTP; on a loaded 2-core machine a call can wait behind 80 of them.
  const deadlineMs = process.env.CADENCE_TEST_DB === 'sqld' ? 40_000 : 10_000;
  const call = (client: any, method: string) => (req: unknown): Promise<any> =>
    new Promise((resolve, reject) => client[method](req, { deadline: Date.now() + deadlineMs }, (err: grpc.ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res))));
  const methods = ['Register', 'Login', 'Refresh', 'Revoke', 'Logout', 'VerifyMpin', 'GetSessionStatus', 'GetJwks'] as const;
  const identity = Object.fromEntries(methods.map((m) => [m[0]!.toLowerCase() + m.slice(1), call(identityClient, m)])) as Harness['identity'];
  return {
    core,
    dbUrl,
    clock,
    identity,
    ingestBatch: call(ingestClient, 'IngestBatch'),
    async stop() {
      identityClient.close();
      ingestClient.close();
      await core.stop();
      await database?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The gRPC error of a call that must fail. */
export async function rejection(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}
