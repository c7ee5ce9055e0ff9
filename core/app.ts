// Assembles the core from its parts: the handlers, served on a grpc-js server (native gRPC) and on
// a Hono app (Connect JSON, health). Binds nothing: core/main.ts owns ports and signals.
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import type { Kernels } from '../wasm/kernels.ts';
import type { CoreConfig } from './config.ts';
import { ingestService } from './ingest/service.ts';
import { createIngestStore } from './ingest/store.ts';
import type { Logger } from './log.ts';
import { loadProtos } from './protos.ts';
import { riskService } from './risk/service.ts';
import { addConnectRoutes } from './transport/connect.ts';
import { addHandlers } from './transport/grpc.ts';
import type { HandlerRegistry } from './transport/rpc.ts';

export interface CoreDeps {
  db: Db;
  kernels: Kernels;
  profile: Profile;
  log: Logger;
}

export function createCore(config: CoreConfig, deps: CoreDeps) {
  const startedAt = Date.now();
  const protos = loadProtos();
  const store = createIngestStore(deps.db);
  const scorer = createPreScorer(deps.profile, deps.kernels.scaledManhattan);
  const registry: HandlerRegistry = new Map([
    ['cadence.v1.IngestService', ingestService({ store, scorer })],
    ['cadence.v1.RiskService', riskService({ store })],
  ]);

  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': config.maxBodyBytes * 4 });
  addHandlers(grpcServer, protos.services, registry, deps.log);
  const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries([...registry.keys()].map((s) => [s, 'SERVING'])) });
  health.addToServer(grpcServer);
  new ReflectionService(protos.definition).addToServer(grpcServer);

  const http = new Hono();
  http.use('*', bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (c) => c.json({ code: 'resource_exhausted', message: `request body is larger than ${config.maxBodyBytes} bytes` }, 413),
  }));
  http.get('/healthz', async (c) => {
    const db = await deps.db.run(sql`select 1`).then(() => 'ok', () => 'unavailable');
    return c.json(
      { status: db === 'ok' ? 'ok' : 'degraded', db, modelVersion: scorer.modelVersion, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
      db === 'ok' ? 200 : 503,
    );
  });
  addConnectRoutes(http, protos.root, registry, deps.log);
  http.notFound((c) => c.json({ code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` }, 404));
  http.onError((err, c) => {
    deps.log.error('http failed', { path: c.req.path, err });
    return c.json({ code: 'internal', message: 'internal error' }, 500);
  });

  return {
    grpcServer,
    http,
    health,
    /** Marks every service NOT_SERVING so load balancers drain us before shutdown. */
    drain() {
      for (const name of ['', ...registry.keys()]) health.setStatus(name, 'NOT_SERVING');
    },
  };
}

export type Core = ReturnType<typeof createCore>;
