// The core process: the only place that reads the environment, binds ports and handles signals.
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { createDb } from '../db/client.ts';
import populationProfile from '../scoring/population-keystroke.json' with { type: 'json' };
import type { Profile } from '../scoring/profile.ts';
import { loadKernels } from '../wasm/node.ts';
import { createCore } from './app.ts';
import { openServicesRefusal, parseCoreConfig, type CoreConfig } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { listenHttp } from './transport/http-listener.ts';

export interface RunningCore {
  grpcPort: number;
  httpPort: number;
  stop(): Promise<void>;
}

/** Opens the database, builds the core and binds both faces; port 0 picks free ports. */
export async function serveCore(config: CoreConfig, log: Logger = createLogger(config.logLevel), options: { now?: () => number } = {}): Promise<RunningCore> {
  const db = await createDb(config.dbUrl, { authToken: config.dbAuthToken, writers: config.dbWriters });
  const kernels = await loadKernels();
  const core = createCore(config, { db, kernels, profile: populationProfile as Profile, log, now: options.now });

  const grpcPort = await new Promise<number>((resolve, reject) =>
    core.grpcServer.bindAsync(`${config.host}:${config.grpcPort}`, grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
  // HTTP/1.1 and HTTP/2 (h2c) on one port: Connect clients use either. POST /predict is answered
  // on node:http before Hono sees it (core/offchain/http.ts: the hot path).
  const httpServer = await listenHttp(core.http.fetch, config.host, config.httpPort, core.nodeRoutes);
  const httpPort = httpServer.port;
  log.info('core listening', { grpc: `${config.host}:${grpcPort}`, http: `http://${config.host}:${httpPort}`, db: redactUrl(config.dbUrl) });

  let stopping: Promise<void> | undefined;
  return {
    grpcPort,
    httpPort,
    stop() {
      stopping ??= (async () => {
        core.drain();
        // Let in-flight calls finish, but never hang shutdown on a stuck client.
        await Promise.race([
          new Promise<void>((resolve) => core.grpcServer.tryShutdown(() => resolve())),
          new Promise<void>((resolve) => setTimeout(resolve, 5000).unref()),
        ]);
        core.grpcServer.forceShutdown();
        await core.close(); // waits for a training in progress; stops webhook retries
        await httpServer.close();
        db.$client.close();
        log.info('core stopped');
      })();
      return stopping;
    },
  };
}

function redactUrl(url: string): string {
  return url.replace(/(authToken|token)=[^&]+/gi, '$1=***');
}

async function main(): Promise<void> {
  const config = parseCoreConfig(process.env);
  const refusal = openServicesRefusal(config);
  if (refusal) throw new Error(refusal);
  const log = createLogger(config.logLevel);
  const core = await serveCore(config, log);
  // Machine-readable line for supervisors (cadence start, tests) to learn the bound ports.
  process.stdout.write(`${JSON.stringify({ ready: true, grpcPort: core.grpcPort, httpPort: core.httpPort })}\n`);
  const shutdown = (signal: string) => {
    log.info('shutting down', { signal });
    core.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`cadence core: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
