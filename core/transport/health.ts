// The standard health service (grpc.health.v1) on both faces: grpc-health-check serves it on the
// native port (Check, Watch, List); its Check is also a handler for the Connect face.
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { ServiceHandlers } from './rpc.ts';

export const HEALTH_SERVICE = 'grpc.health.v1.Health';

export function createHealth(services: readonly string[]) {
  const statuses = new Map<string, ServingStatus>(['', ...services].map((s) => [s, 'SERVING']));
  const grpc = new HealthImplementation(Object.fromEntries(statuses));
  const handlers: ServiceHandlers = {
    async Check(req: { service?: string }) {
      const status = statuses.get(req.service ?? '');
      // As grpc-health-check answers on the native face.
      if (!status) throw new CadenceError(Code.NOT_FOUND, `health of an unknown service "${req.service}" was asked`, 'service');
      return { status };
    },
  };
  return {
    grpc,
    handlers,
    setStatus(service: string, status: ServingStatus) {
      statuses.set(service, status);
      grpc.setStatus(service, status);
    },
    services: () => [...statuses.keys()],
  };
}
