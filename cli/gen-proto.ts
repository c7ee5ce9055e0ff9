// `cadence gen-proto`: regenerates the TypeScript wire types in gen/proto, the compiled descriptor
// set gen/descriptors/cadence.binpb (served by reflection) and the typed clients' messages and
// services in client/gen (protoc-gen-es) from proto/ (never edit generated files by hand).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from './help.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const PROTO_FILES = ['cadence/v1/ingest.proto', 'cadence/v1/risk.proto', 'cadence/v1/events.proto', 'cadence/v1/identity.proto', 'cadence/v1/offchain.proto', 'cadence/v1/models.proto', 'cadence/v1/admin.proto', 'grpc/health/v1/health.proto'];

/** buf (a real protobuf compiler, from the @bufbuild/buf npm package) compiles proto/ for reflection. */
export const DESCRIPTOR_ARGS = ['build', 'proto', '--exclude-source-info', '-o', 'gen/descriptors/cadence.binpb'];

/** protoc-gen-es (v2) through buf: protobuf-es messages and service descriptors for client/ (ESM TypeScript). */
export const clientTemplate = (out: string) =>
  JSON.stringify({ version: 'v2', plugins: [{ local: 'node_modules/.bin/protoc-gen-es', out, opt: ['target=ts', 'import_extension=ts'] }] });
export const CLIENT_GEN = 'client/gen';

export const command: Command = {
  describe: 'regenerate gen/proto TypeScript types, gen/descriptors (reflection) and client/gen (typed clients) from proto/ (a development tool)',
  usage: 'cadence gen-proto',
  examples: ['cadence gen-proto && git diff --stat gen/proto gen/descriptors client/gen'],
  async run() {
    rmSync(`${root}gen/proto`, { recursive: true, force: true });
    const args = ['--longs=Number', '--enums=String', '--defaults', '--oneofs', '--arrays', '--includeComments',
      '--grpcLib=@grpc/grpc-js', '-I', 'proto', '-O', 'gen/proto', '--inputTemplate=%sInit', '--outputTemplate=%s', ...PROTO_FILES];
    const r = spawnSync(`${root}node_modules/.bin/proto-loader-gen-types`, args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) return r.status ?? 1;
    const d = spawnSync(`${root}node_modules/.bin/buf`, DESCRIPTOR_ARGS, { cwd: root, stdio: 'inherit' });
    if (d.status !== 0) return d.status ?? 1;
    rmSync(`${root}${CLIENT_GEN}`, { recursive: true, force: true });
    const c = spawnSync(`${root}node_modules/.bin/buf`, ['generate', 'proto', '--template', clientTemplate(CLIENT_GEN)], { cwd: root, stdio: 'inherit' });
    return c.status ?? 1;
  },
};
