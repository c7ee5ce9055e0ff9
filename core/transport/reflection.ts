// Server reflection (grpc.reflection v1 and v1alpha) from the descriptor set that `buf build`
// compiled from proto/ (gen/descriptors/cadence.binpb, written by `cadence gen-proto`).
//
// Why not @grpc/reflection's default input (proto-loader's package definition): that is built by
// protobufjs's descriptor extension, which names map entries `Decisions` instead of
// `DecisionsEntry` and merges every file of a package into one synthetic file with camelCase
// field names; Go's and Python's descriptor pools reject it, so grpcurl and buf curl cannot call
// anything. A real compiler's output is what those tools expect: one FileDescriptorProto per
// .proto file, proto field names with json_name, map entries as protoc names them, and
// grpc.health.v1 included. @grpc/reflection still serves it (it only needs the bytes of each file).
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import descriptor from 'protobufjs/ext/descriptor/index.js';

export { DESCRIPTOR_SET } from '../descriptor-set.ts';
import { DESCRIPTOR_SET } from '../descriptor-set.ts';

/** The FileDescriptorProto bytes of every file in the set, in dependency order. */
export function fileDescriptorProtos(set: Uint8Array = readFileSync(DESCRIPTOR_SET)): Buffer[] {
  const decoded = descriptor.FileDescriptorSet.decode(set) as unknown as { file: unknown[] };
  return decoded.file.map((f) => Buffer.from(descriptor.FileDescriptorProto.encode(f as never).finish()));
}

export function addReflection(server: grpc.Server): void {
  // ReflectionService reads `fileDescriptorProtos` from each entry of a package definition.
  new ReflectionService({ 'cadence.descriptors': { fileDescriptorProtos: fileDescriptorProtos() } } as never).addToServer(server);
}
