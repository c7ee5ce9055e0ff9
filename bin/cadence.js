#!/usr/bin/env node
// The `cadence` command. It runs the compiled CLI, dist/cadence.js. When dist/ is missing or older
// than a source in its manifest (a fresh clone, an edit), it builds first: cli/build.ts is bundled on
// its own with esbuild (a dependency, so a production install can build) and runs every build step.
// CADENCE_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (a development dependency):
// the CLI and every process it starts, as before there was a build.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist/`;

if (process.env.CADENCE_FROM_SOURCE === '1') {
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) {
    process.stderr.write('cadence: CADENCE_FROM_SOURCE=1 needs tsx, a development dependency: run `npm ci` (with dev dependencies)\n');
    process.exit(1);
  }
  tsx.register();
  await import('../cli/main.ts');
} else {
  if (!fresh()) {
    await build().catch((err) => {
      process.stderr.write(`cadence: the build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  }
  await import('../dist/cadence.js');
}

/** The same test as cli/build-dist.ts: every source listed in dist/manifest.json is older than it. */
function fresh() {
  try {
    const built = statSync(`${dist}manifest.json`).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(`${dist}manifest.json`, 'utf8'));
    return inputs.every((f) => (statSync(`${root}${f}`, { throwIfNoEntry: false })?.mtimeMs ?? 0) <= built) && existsSync(`${dist}cadence.js`);
  } catch {
    return false;
  }
}

async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(dist, { recursive: true });
  const tool = `${dist}build-tool.${process.pid}.mjs`;
  await esbuild.build({
    absWorkingDir: root, entryPoints: ['cli/build.ts'], outfile: tool, bundle: true, format: 'esm',
    platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
  });
  try {
    const { buildAll } = await import(tool);
    await buildAll({ log: (line) => process.stderr.write(`build| ${line}\n`) });
  } finally {
    (await import('node:fs')).rmSync(tool, { force: true });
  }
}
