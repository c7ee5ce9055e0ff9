// Ingest, risk and health on the native gRPC port through client/'s generated typed clients, with
// proto3 JSON requests and plain answers (test/helpers/typed-core.ts).
import { Health, IngestService, RiskService } from '../../client/index.ts';
import { grpcTransport, unary } from './typed-core.ts';

export function grpcClients(address: string) {
  const { transport, close } = grpcTransport(address, 10_000);
  const check = unary(transport, Health, 'check');
  return {
    ingestBatch: unary(transport, IngestService, 'ingestBatch'),
    getSessionRisk: unary(transport, RiskService, 'getSessionRisk'),
    healthCheck: (service = '') => check({ service }),
    close,
  };
}
