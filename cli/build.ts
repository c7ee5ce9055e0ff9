// `cadence build`: compiles the AssemblyScript kernels to wasm/build/*.wasm (skipped when up to date).
import { mkdir, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

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

export const command = {
  describe: 'compile the WebAssembly kernels',
  async run(argv: string[]) {
    const built = await buildKernels(argv.includes('--force'));
    process.stderr.write(built ? `built ${path.relative(root, wasmOut)}\n` : 'kernels up to date\n');
  },
};
