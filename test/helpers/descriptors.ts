// Cadence's services and messages as protobuf-es descriptors, read from the same compiled set that
// reflection serves (gen/descriptors/cadence.binpb): what a connect-es user gets from protoc-gen-es.
import { readFileSync } from 'node:fs';
import { createFileRegistry, fromBinary, type DescMessage, type DescService } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { DESCRIPTOR_SET } from '../../core/transport/reflection.ts';

export const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(DESCRIPTOR_SET)));

export function service(name: string): DescService {
  const s = registry.getService(name);
  if (!s) throw new Error(`no service ${name} in the descriptor set`);
  return s;
}

export function message(name: string): DescMessage {
  const m = registry.getMessage(name);
  if (!m) throw new Error(`no message ${name} in the descriptor set`);
  return m;
}
