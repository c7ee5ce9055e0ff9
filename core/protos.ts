// Loads proto/ once: grpc-js service definitions for the native face, protobufjs types for the
// JSON face. Both use the same conversion options, so handlers see one object shape.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

export const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.url));
export const CADENCE_PROTOS = ['cadence/v1/ingest.proto', 'cadence/v1/risk.proto', 'cadence/v1/identity.proto', 'cadence/v1/offchain.proto', 'cadence/v1/models.proto', 'cadence/v1/admin.proto'];

export const HEALTH_PROTO = 'grpc/health/v1/health.proto';

/** The shape handlers receive: camelCase, enums as names, 64-bit as numbers, defaults filled in. */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

export interface Protos {
  /** grpc-js service definitions by full name, e.g. `cadence.v1.IngestService`. */
  services: Map<string, grpc.ServiceDefinition>;
  /** The whole definition, for server reflection. */
  definition: protoLoader.PackageDefinition;
  root: protobuf.Root;
}

export function loadProtos(): Protos {
  const definition = protoLoader.loadSync(CADENCE_PROTOS, { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
  const services = new Map<string, grpc.ServiceDefinition>();
  for (const [name, value] of Object.entries(definition)) {
    if (!('format' in value) && !('type' in value)) services.set(name, value as grpc.ServiceDefinition);
  }
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : PROTO_DIR + target);
  root.loadSync([...CADENCE_PROTOS, HEALTH_PROTO]); // health too: the HTTP face serves grpc.health.v1.Health/Check
  root.resolveAll();
  return { services, definition, root };
}
