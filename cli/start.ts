// `cadence start`: builds what must be built, starts the core (which migrates the embedded
// database) and the edge (workerd through wrangler by default, or Node) and supervises them: a child
// that dies is restarted with backoff while the other keeps serving, a watchdog stops both when this
// process dies however it dies, their output goes to data/logs/<name>.log (rotated) and to stdout.
// Internal faces are closed: the admin, service and off-chain keys are generated for the run unless
// set in the environment, and printed once, on stdout only.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { buildAll } from './build.ts';
import { parseSupervisorEnv } from './start-config.ts';
import type { Command } from './help.ts';
import { ROOT, startCore, startEdge, writeSecretsFile, type CoreProcess, type EdgeProcess, type LaunchHooks } from './processes.ts';
import { outputTo, RotatingLog, startWatchdog, supervise, type Supervised } from './supervisor.ts';

const newKey = () => `cadence-${randomBytes(24).toString('base64url')}`;

/** The key of the first `name:key` or `key` entry of a key list (as core/config.ts parses them). */
function firstKey(spec: string): string {
  const entry = spec.split(',').map((s) => s.trim()).find(Boolean) ?? '';
  const at = entry.indexOf(':');
  return at >= 0 ? entry.slice(at + 1) : entry;
}

export const command: Command = {
  describe: 'run and supervise the core and the edge on the embedded defaults (--runtime workerd|node)',
  usage: 'cadence start [--runtime workerd|node] [--edge-port PORT]',
  options: [
    ['--runtime workerd|node', 'where the edge runs: workerd through wrangler (a development dependency; the default when installed) or Node (the default in a production install)'],
    ['--edge-port PORT', 'the edge\'s port (default 8787); the core\'s ports come from CADENCE_GRPC_PORT and CADENCE_HTTP_PORT'],
  ],
  examples: ['npm start -- --runtime node', 'cadence start --runtime node --edge-port 9000', 'CADENCE_DB_URL=libsql://db.example:8080 cadence start'],
  async run(argv: string[]) {
    const { values } = parseArgs({
      args: argv,
      options: { runtime: { type: 'string' }, 'edge-port': { type: 'string', default: '8787' } },
    });
    // workerd runs through wrangler, a development dependency: a production install (npm ci
    // --omit=dev) has none, so there the edge runs on Node unless workerd is asked for by name.
    const hasWrangler = existsSync(path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'));
    const runtime = values.runtime ?? (hasWrangler ? 'workerd' : 'node');
    if (runtime !== 'workerd' && runtime !== 'node') throw new Error(`--runtime must be workerd or node, not ${runtime}`);
    if (runtime === 'workerd' && !hasWrangler) {
      throw new Error('--runtime workerd runs the edge through wrangler, a development dependency this install lacks (npm ci --omit=dev): use --runtime node, or install with `npm ci`');
    }
    const env = process.env;
    // Our stdout may be a pipe whose reader goes away: that must not end the supervision.
    for (const s of [process.stdout, process.stderr]) s.on('error', () => undefined);
    const started = Date.now();
    await buildAll(); // each step only if a source changed (a production install has what it needs)

    // Logs: one file per child and one for the supervisor's own notes; keys never go there.
    const supervisorEnv = parseSupervisorEnv(env);
    const logDir = path.resolve(ROOT, supervisorEnv.CADENCE_LOG_DIR);
    const maxBytes = supervisorEnv.CADENCE_LOG_MAX_BYTES;
    const keep = supervisorEnv.CADENCE_LOG_FILES;
    const logs = { core: new RotatingLog(path.join(logDir, 'core.log'), maxBytes, keep), edge: new RotatingLog(path.join(logDir, 'edge.log'), maxBytes, keep), supervisor: new RotatingLog(path.join(logDir, 'supervisor.log'), maxBytes, keep) };
    const note = (msg: string) => {
      logs.supervisor.write(`${JSON.stringify({ time: new Date().toISOString(), msg })}\n`);
      process.stderr.write(`start| ${msg}\n`);
    };
    const watchdog = startWatchdog();
    const hooks = (name: 'core' | 'edge'): LaunchHooks => ({
      onOutput: outputTo(name, logs[name], true),
      onSpawn: (child) => {
        watchdog.watch(child.pid!);
        child.once('exit', () => {
          try {
            process.kill(-child.pid!, 'SIGKILL'); // whatever it left in its group (wrangler's workerd), also after a failed start
          } catch {
            /* nothing left */
          }
          watchdog.forget(child.pid!);
        });
      },
    });

    // Keys: those set in the environment are used as they are; the others are generated for this run.
    const generated: { label: string; key: string; use: string }[] = [];
    const keyList = (variable: string, name: string, label: string, use: string) => {
      if (env[variable]) return env[variable]!;
      const key = newKey();
      generated.push({ label, key, use });
      return `${name}:${key}`;
    };
    const adminKeys = keyList('CADENCE_ADMIN_API_KEYS', 'start', 'admin key', 'AdminService, ModelService Train/Retrain/Activate/Rollback, dashboard sign-in');
    const serviceKeys = keyList('CADENCE_SERVICE_API_KEYS', 'edge', 'service key', 'IngestService, RiskService, GET /v1/models (the edge has it)');
    const offchainKeys = keyList('CADENCE_OFFCHAIN_API_KEYS', 'start', 'off-chain key', 'POST /predict, OffchainService');
    // The edge's secrets: its key for the core, and the key that signs anonymous session ids (shared
    // by its restarts, so sessions survive one).
    const edgeSecrets = { CADENCE_CORE_API_KEY: env.CADENCE_CORE_API_KEY || firstKey(serviceKeys), CADENCE_EDGE_SECRET: env.CADENCE_EDGE_SECRET || randomBytes(32).toString('hex') };
    const coreEnv: Record<string, string | undefined> = {
      CADENCE_ADMIN_API_KEYS: adminKeys,
      CADENCE_SERVICE_API_KEYS: serviceKeys,
      CADENCE_OFFCHAIN_API_KEYS: offchainKeys,
      // The run's own off-chain key is the operator's: it may write every DID's history.
      CADENCE_OFFCHAIN_KEY_DIDS: env.CADENCE_OFFCHAIN_KEY_DIDS ?? (env.CADENCE_OFFCHAIN_API_KEYS ? undefined : 'start=*'),
      CADENCE_INSECURE_OPEN_SERVICES: env.CADENCE_INSECURE_OPEN_SERVICES ?? '',
    };

    let core: Supervised<CoreProcess> | undefined;
    let edge: Supervised<EdgeProcess> | undefined;
    let secretsDir: string | undefined;
    let stopping = false;
    const stopAll = async (code: number) => {
      if (stopping) return;
      stopping = true;
      note('stopping...');
      await edge?.stop();
      await core?.stop();
      if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
      watchdog.close();
      for (const l of Object.values(logs)) l.close();
      process.exit(code);
    };
    process.once('SIGINT', () => void stopAll(0));
    process.once('SIGTERM', () => void stopAll(0));
    try {
      // The core migrates the database on start (CADENCE_DB_URL, default file:./data/cadence.db).
      const firstCore = await startCore(coreEnv, 30_000, hooks('core'));
      // Restarts bind the same ports (port 0 in the environment would otherwise move them).
      Object.assign(coreEnv, { CADENCE_GRPC_PORT: String(firstCore.grpcPort), CADENCE_HTTP_PORT: String(firstCore.httpPort) });
      core = supervise('core', firstCore, (h) => startCore(coreEnv, 30_000, h), { hooks: hooks('core'), note });

      let secretsFile: string | undefined;
      if (runtime === 'workerd') {
        ({ dir: secretsDir, file: secretsFile } = writeSecretsFile(edgeSecrets));
        watchdog.removeOnExit(secretsDir);
      }
      const edgeOptions = {
        coreUrl: firstCore.httpUrl,
        port: Number(values['edge-port']),
        // Node: secrets in the child's environment (readable only by this user), never on a command line.
        vars: runtime === 'node' ? edgeSecrets : {},
        secretsFile,
      };
      const firstEdge = await startEdge(runtime, { ...edgeOptions, hooks: hooks('edge') });
      edge = supervise('edge', firstEdge, (h) => startEdge(runtime, { ...edgeOptions, hooks: h }), { hooks: hooks('edge'), note });

      const c = firstCore;
      const e = firstEdge;
      process.stdout.write(
        [
          `Cadence is up in ${((Date.now() - started) / 1000).toFixed(1)} s (supervisor pid ${process.pid})`,
          `  edge (${runtime})   ${e.url}   POST /v1/events, GET /v1/stream, GET /v1/sdk.js, GET /healthz`,
          `  demo             ${e.url}/demo/login   (login and transfer pages with the collector)`,
          `  core gRPC        127.0.0.1:${c.grpcPort}   cadence.v1.{Ingest,Risk,Identity,Model,Admin,Offchain}Service, grpc.health.v1.Health, reflection`,
          `  core HTTP        ${c.httpUrl}   Connect JSON (POST /cadence.v1.<Service>/<Method>), GET /healthz`,
          `  dashboard        ${c.httpUrl}/dashboard   sign in with ${env.CADENCE_ADMIN_API_KEYS ? 'one of the keys in CADENCE_ADMIN_API_KEYS' : "this run's admin key (below)"}`,
          `  logs             ${logDir}/{core,edge,supervisor}.log (rotated at ${maxBytes} bytes, ${keep} kept)`,
          ...(generated.length
            ? [
              `Keys generated for this run because their variables are unset (send as x-api-key; printed only here, never logged):`,
              ...generated.map((g) => `  ${g.label.padEnd(15)}${g.key}   ${g.use}`),
            ]
            : []),
          'A child that exits is restarted. Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
    } catch (err) {
      note((err as Error).message);
      await stopAll(1);
    }
    await new Promise(() => undefined); // keep running until a signal arrives
  },
};
