// The compiled descriptor set that reflection serves (gen/descriptors/cadence.binpb), as a
// protobuf-es registry: for tests that check what reflecting clients see. Calls go through client/.
import { readFileSync } from 'node:fs';
import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { DESCRIPTOR_SET } from '../../core/transport/reflection.ts';

export const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(DESCRIPTOR_SET)));
