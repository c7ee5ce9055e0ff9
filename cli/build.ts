// `cadence build`: compiles the AssemblyScript kernels to wasm/build/*.wasm, bundles the browser
// collector and demo pages into edge/generated/assets.ts, then compiles the programs to JavaScript
// in dist/ (cli/build-dist.ts); each step is skipped when up to date.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildDist } from './build-dist.ts';
import type { Command } from './help.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const assemblyDir = path.join(root, 'wasm', 'assembly');
export const wasmOut = path.join(root, 'wasm', 'build', 'kernels.wasm');

async function newestSource(): Promise<number> {
  const files = (await readdir(assemblyDir)).filter((f) => f.endsWith('.ts'));
  const times = await Promise.all(files.map(async (f) => (await stat(path.join(assemblyDir, f))).mtimeMs));
  return Math.max(...times);
}

/** Builds the kernels if any source is newer than the output; returns whether it compiled. */
export async function buildKernels(force = false): Promise<boolean> {
  if (!force) {
    const out = await stat(wasmOut).catch(() => null);
    if (out && out.mtimeMs >= (await newestSource())) return false;
  }
  await mkdir(path.dirname(wasmOut), { recursive: true });
  const asc = await import('assemblyscript/asc');
  const { error, stderr } = await asc.main([
    path.join(assemblyDir, 'index.ts'),
    '--outFile', wasmOut,
    '--textFile', wasmOut.replace(/\.wasm$/, '.wat'),
    '--runtime', 'stub',
    '--enable', 'simd',
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    '--noAssert',
    '--initialMemory', '4',
  ]);
  if (error) throw new Error(`AssemblyScript build failed: ${error.message}\n${stderr.toString()}`);
  return true;
}

const collectorDir = path.join(root, 'collector');
export const assetsOut = path.join(root, 'edge', 'generated', 'assets.ts');

/** The demo pages: one template, two forms. */
const DEMO_PAGES: Record<string, { title: string; fields: [string, string, string][]; submit: string; after: string; note: string }> = {
  login: {
    title: 'Sign in',
    fields: [['username', 'Email', 'email'], ['password', 'Password', 'password'], ['new-mpin', 'New here? Choose a 4-digit MPIN to register (leave empty to sign in)', 'password']],
    submit: 'Sign in',
    after: 'Your typing rhythm was scored; the decision is below. <a href="/demo/transfer">Continue to the transfer page</a>.',
    note: 'This page does not log you in: the core\'s Login is not exposed through the edge yet, so the session is a random id.',
  },
  transfer: {
    title: 'Transfer money',
    fields: [['payee', 'Payee', 'text'], ['account', 'Account number', 'text'], ['amount', 'Amount', 'text'], ['reference', 'Reference', 'text']],
    submit: 'Send transfer',
    after: 'Nothing is transferred: this is a demo.',
    note: 'No money moves; the form only exists to be typed into.',
  },
};

/** Bundles collector/ (minified IIFE + ESM) and the demo pages into edge/generated/assets.ts. */
export async function buildCollector(force = false): Promise<{ built: boolean; gzipBytes: number }> {
  const sources = [...(await readdir(collectorDir, { recursive: true }))].map((f) => path.join(collectorDir, f));
  const newest = Math.max(...(await Promise.all([...sources, path.join(root, 'cli', 'build.ts')].map(async (f) => (await stat(f)).mtimeMs))));
  const out = await stat(assetsOut).catch(() => null);
  if (!force && out && out.mtimeMs >= newest) {
    const m = /gzipBytes = (\d+)/.exec(await readFile(assetsOut, 'utf8'));
    if (m) return { built: false, gzipBytes: Number(m[1]) };
  }
  const esbuild = await import('esbuild');
  const bundle = async (format: 'iife' | 'esm') => {
    const r = await esbuild.build({
      entryPoints: [path.join(collectorDir, 'index.ts')], bundle: true, minify: true, write: false, format,
      target: 'es2020', legalComments: 'none', logLevel: 'silent', ...(format === 'iife' ? { globalName: 'Cadence' } : {}),
    });
    return r.outputFiles[0]!.text;
  };
  const iife = await bundle('iife');
  const esm = await bundle('esm');
  const template = await readFile(path.join(collectorDir, 'demo', 'page.html'), 'utf8');
  const page = (p: (typeof DEMO_PAGES)[string]) =>
    template.replace(/\{\{(\w+)\}\}/g, (_, k: string) =>
      k === 'fields'
        ? p.fields.map(([id, label, type]) => `<label for="${id}">${label}</label><input id="${id}" name="${id}" type="${type}">`).join('\n')
        : String(p[k as keyof typeof p]));
  const js = 'application/javascript; charset=utf-8';
  const html = 'text/html; charset=utf-8';
  const files: Record<string, [string, string]> = {
    '/v1/sdk.js': [js, iife],
    '/v1/sdk.mjs': [js, esm],
    '/demo/login': [html, page(DEMO_PAGES.login!)],
    '/demo/transfer': [html, page(DEMO_PAGES.transfer!)],
    '/demo/demo.js': [js, await readFile(path.join(collectorDir, 'demo', 'demo.js'), 'utf8')],
    '/demo/demo.css': ['text/css; charset=utf-8', await readFile(path.join(collectorDir, 'demo', 'demo.css'), 'utf8')],
  };
  const gzipBytes = gzipSync(iife, { level: 9 }).length;
  const entries = Object.entries(files).map(([p, [type, body]]) => {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    return `  ${JSON.stringify(p)}: { type: ${JSON.stringify(type)}, etag: ${JSON.stringify(etag)}, body: ${JSON.stringify(body)} },`;
  });
  await mkdir(path.dirname(assetsOut), { recursive: true });
  await writeFile(
    assetsOut,
    [
      '// Generated by `cadence build` from collector/ (cli/build.ts). Do not edit.',
      'export interface Asset { type: string; etag: string; body: string }',
      `/** Size of /v1/sdk.js gzipped (level 9), measured at build time. */`,
      `export const gzipBytes = ${gzipBytes};`,
      'export const assets: Record<string, Asset> = {',
      ...entries,
      '};',
      '',
    ].join('\n'),
  );
  return { built: true, gzipBytes };
}

/** Every build step in order (the collector bundle is an input of dist/); `log` gets one line per step. */
export async function buildAll(options: { force?: boolean; prune?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  const built = await buildKernels(options.force);
  log(built ? `built ${path.relative(root, wasmOut)}` : 'kernels up to date');
  const c = await buildCollector(options.force);
  log(`${c.built ? 'built' : 'up to date:'} ${path.relative(root, assetsOut)} (sdk.js ${c.gzipBytes} bytes gzipped)`);
  const d = await buildDist({ force: options.force, prune: options.prune });
  log(d ? 'built dist/ (core, edge, CLI as JavaScript)' : 'dist/ up to date');
}

export const command: Command = {
  describe: 'compile the WebAssembly kernels, the browser collector and the JavaScript in dist/',
  usage: 'cadence build [--force]',
  options: [['--force', 'rebuild every step, even those up to date']],
  examples: ['cadence build', 'npm run build'],
  async run(argv: string[]) {
    await buildAll({ force: argv.includes('--force'), prune: true, log: (l) => process.stderr.write(`${l}\n`) });
  },
};
