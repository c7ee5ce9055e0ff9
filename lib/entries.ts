// The programs Cadence runs as processes or worker threads, by name, and how to run one. `cadence
// build` compiles each to dist/<name>.js (cli/build-dist.ts); the sources run through tsx (tests,
// benchmarks, CADENCE_FROM_SOURCE=1). Code that runs compiled starts compiled programs only, so a
// production install never loads tsx. dist/ sits one folder below the root like the source folders,
// so the sources' `new URL('../proto/', import.meta.url)` paths resolve the same when compiled.
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ENTRIES = {
  cadence: 'cli/main.ts',
  core: 'core/main.ts',
  'edge-node': 'edge/node.ts',
  'child-guard': 'cli/child-guard.ts',
  watchdog: 'cli/watchdog.ts',
  'train-worker': 'core/enrolment/train-worker.ts',
  'session-train-worker': 'core/risk/session-train-worker.ts',
} as const;

export type EntryName = keyof typeof ENTRIES;

/** Whether this module runs compiled (bundled into dist/), not as TypeScript source. */
export const COMPILED = import.meta.url.endsWith('.js');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = `${ROOT}dist/`;

/** The file that runs `name` here: dist/<name>.js when compiled, else its source. */
export function entryPath(name: EntryName): string {
  return COMPILED ? `${DIST}${name}.js` : `${ROOT}${ENTRIES[name]}`;
}

/** Node flags that let a child run `entryPath()`: tsx for sources, nothing for compiled code. */
export function loaderFlags(): string[] {
  return COMPILED ? [] : ['--import', 'tsx'];
}

/** Node arguments that run `name` (then its own arguments may follow). */
export function entryArgs(name: EntryName): string[] {
  return [...loaderFlags(), entryPath(name)];
}

/**
 * A worker-thread script for `new Worker(script, { eval: true })` that runs `name`: compiled, an
 * import of dist/<name>.js; from source, tsx registered first (a worker does not inherit the loader).
 */
export function workerScript(name: EntryName): string {
  const url = JSON.stringify(pathToFileURL(entryPath(name)).href);
  return COMPILED ? `import(${url});` : `import('tsx/esm/api').then((m) => { m.register(); return import(${url}); });`;
}
