// A native gRPC client built only from proto/, as any outside caller would build one.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));

export function grpcClients(address: string) {
  const def = protoLoader.loadSync(['cadence/v1/ingest.proto', 'cadence/v1/risk.proto', 'grpc/health/v1/health.proto'], {
    includeDirs: [protoDir],
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const creds = grpc.credentials.createInsecure();
  const clients = {
    ingest: new pkg.cadence.v1.IngestService(address, creds),
    risk: new pkg.cadence.v1.RiskService(address, creds),
    health: new pkg.grpc.health.v1.Health(address, creds),
  };
  const call = <T>(client: any, method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](req, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res))));
  return {
    ingestBatch: (req: unknown) => call<any>(clients.ingest, 'IngestBatch', req),
    getSessionRisk: (req: unknown) => call<any>(clients.risk, 'GetSessionRisk', req),
    healthCheck: (service = '') => call<any>(clients.health, 'Check', { service }),
    close: () => Object.values(clients).forEach((c) => c.close()),
  };
}
