// Compiles the programs of lib/entries.ts (the CLI, the core, the Node edge, the worker and helper
// processes) to JavaScript in dist/ with esbuild: one ES module per entry, shared code in chunks,
// npm packages left as imports (a production install has them). dist/manifest.json lists the
// source files that went in, so the build is redone only when one of them changed; bin/cadence.js
// reads the same list before it runs dist/cadence.js.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, ENTRIES } from '../lib/entries.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST = path.join(DIST, 'manifest.json');

/** Whether dist/ holds a build at least as new as every source file that went into it. */
export function distFresh(): boolean {
  try {
    const built = statSync(MANIFEST).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { inputs: string[] };
    return inputs.every((f) => {
      const s = statSync(path.join(root, f), { throwIfNoEntry: false });
      return !s || s.mtimeMs <= built; // a source that is gone cannot be rebuilt: keep the build
    });
  } catch {
    return false;
  }
}

/**
 * `new URL(path, import.meta.url)` in `file` that would point elsewhere from dist/: compiled, every
 * module's import.meta.url is a file in dist/, one folder below the root, so only paths that climb
 * to the root first ('../') from a file one folder deep resolve the same.
 */
function filePathsOffRoot(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const deep = file.split('/').length !== 2;
  return [...text.matchAll(/new URL\(\s*(['"`])([^'"`]*)\1\s*,\s*import\.meta\.url/g)]
    .filter((m) => deep || !(m[2] === '..' || m[2]!.startsWith('../')))
    .map((m) => `${file}: ${m[2]}`);
}

/**
 * Builds dist/ unless it is fresh (or `force`); returns whether it built. Files are written under a
 * temporary name and renamed (entries and the manifest last), so a process starting meanwhile, or a
 * second build running beside this one, never reads half a file. `prune` then removes the chunks
 * of earlier builds (only `cadence build` does: a running process may still import its own).
 */
export async function buildDist(options: { force?: boolean; prune?: boolean } = {}): Promise<boolean> {
  if (!options.force && distFresh()) return false;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    // Chunks sit in dist/ itself, at the same depth as the entries (see lib/entries.ts).
    chunkNames: 'chunk-[hash]',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const misplaced = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')).flatMap(filePathsOffRoot);
  if (misplaced.length) throw new Error(`paths that would break once compiled to dist/ (write them from the root, as '../<folder>/...' in a file one folder deep):\n  ${misplaced.join('\n  ')}`);
  mkdirSync(DIST, { recursive: true });
  const entryFiles = new Set(Object.keys(ENTRIES).flatMap((n) => [path.join(DIST, `${n}.js`), path.join(DIST, `${n}.js.map`)]));
  const files = [...result.outputFiles].sort((a, b) => Number(entryFiles.has(a.path)) - Number(entryFiles.has(b.path)));
  const put = (file: string, contents: Uint8Array | string) => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, contents);
    renameSync(tmp, file);
  };
  for (const f of files) put(f.path, f.contents);
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')).sort();
  put(MANIFEST, `${JSON.stringify({ note: 'written by cadence build (cli/build-dist.ts); sources that went into dist/', inputs }, null, 1)}\n`);
  if (options.prune) {
    const current = new Set([...files.map((f) => path.basename(f.path)), path.basename(MANIFEST)]);
    for (const f of readdirSync(DIST)) if (!current.has(f) && !f.endsWith('.tmp')) rmSync(path.join(DIST, f), { force: true });
  }
  return true;
}
