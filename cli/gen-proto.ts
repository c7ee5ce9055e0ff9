// `cadence gen-proto`: regenerates the TypeScript wire types in gen/proto from proto/ (never edit gen/ by hand).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from './help.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const PROTO_FILES = ['cadence/v1/ingest.proto', 'cadence/v1/risk.proto', 'cadence/v1/events.proto', 'cadence/v1/identity.proto', 'cadence/v1/offchain.proto', 'cadence/v1/models.proto', 'cadence/v1/admin.proto', 'grpc/health/v1/health.proto'];

export const command: Command = {
  describe: 'regenerate gen/proto TypeScript types from proto/ (a development tool)',
  usage: 'cadence gen-proto',
  examples: ['cadence gen-proto && git diff --stat gen/proto'],
  async run() {
    rmSync(`${root}gen/proto`, { recursive: true, force: true });
    const args = ['--longs=Number', '--enums=String', '--defaults', '--oneofs', '--arrays', '--includeComments',
      '--grpcLib=@grpc/grpc-js', '-I', 'proto', '-O', 'gen/proto', '--inputTemplate=%sInit', '--outputTemplate=%s', ...PROTO_FILES];
    const r = spawnSync(`${root}node_modules/.bin/proto-loader-gen-types`, args, { cwd: root, stdio: 'inherit' });
    return r.status ?? 1;
  },
};
