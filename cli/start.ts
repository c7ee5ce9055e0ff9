// `cadence start`: builds what must be built, migrates the embedded database, starts the core and
// the edge (workerd through wrangler by default, or Node), prints the URLs, stops all on Ctrl-C.
import { randomBytes } from 'node:crypto';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { buildCollector, buildKernels } from './build.ts';
import { startCore, startEdge, type Running } from './processes.ts';

export const command = {
  describe: 'run the core and the edge on the embedded defaults (--runtime workerd|node)',
  async run(argv: string[]) {
    const { values } = parseArgs({
      args: argv,
      options: { runtime: { type: 'string', default: 'workerd' }, 'edge-port': { type: 'string', default: '8787' } },
    });
    const runtime = values.runtime;
    if (runtime !== 'workerd' && runtime !== 'node') throw new Error(`--runtime must be workerd or node, not ${runtime}`);
    const started = Date.now();
    await buildKernels();
    await buildCollector();
    const running: Running[] = [];
    let stopping = false;
    const stopAll = async (code: number) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write('\nstopping...\n');
      await Promise.all(running.reverse().map((r) => r.stop()));
      process.exit(code);
    };
    process.once('SIGINT', () => void stopAll(0));
    process.once('SIGTERM', () => void stopAll(0));
    try {
      // The dashboard needs an admin key: without CADENCE_ADMIN_API_KEYS this run gets a random one
      // (only here, never a fixed default), handed to the core through its environment.
      const generatedKey = process.env.CADENCE_ADMIN_API_KEYS ? undefined : `cadence-${randomBytes(24).toString('base64url')}`;
      // The core migrates the database on start (CADENCE_DB_URL, default file:./data/cadence.db).
      const core = await startCore(generatedKey ? { CADENCE_ADMIN_API_KEYS: `start:${generatedKey}` } : {});
      running.push(core);
      const edge = await startEdge(runtime, { coreUrl: core.httpUrl, port: Number(values['edge-port']) });
      running.push(edge);
      for (const r of running) r.child.once('exit', (code) => void (!stopping && stopAll(code ?? 1)));
      process.stdout.write(
        [
          `Cadence is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          `  edge (${runtime})   ${edge.url}   POST /v1/events, GET /v1/stream, GET /v1/sdk.js, GET /healthz`,
          `  demo             ${edge.url}/demo/login   (login and transfer pages with the collector)`,
          `  core gRPC        127.0.0.1:${core.grpcPort}   cadence.v1.{Ingest,Risk,Identity,Model,Admin,Offchain}Service, grpc.health.v1.Health, reflection`,
          `  core HTTP        ${core.httpUrl}   Connect JSON (POST /cadence.v1.<Service>/<Method>), GET /healthz`,
          `  dashboard        ${core.httpUrl}/dashboard   sign in with ${generatedKey
            ? `this run's admin key: ${generatedKey}\n                   (generated because CADENCE_ADMIN_API_KEYS is unset; also valid as x-api-key for AdminService)`
            : 'one of the keys in CADENCE_ADMIN_API_KEYS'}`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      await stopAll(1);
    }
    await new Promise(() => undefined); // keep running until a signal arrives
  },
};
