// Node's way in to the kernels: compile the built .wasm file, then the shared loader.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { instantiateKernels, type Kernels } from './kernels.ts';

// From the root, so the path is the same once compiled to dist/ (lib/entries.ts).
export const KERNELS_WASM = fileURLToPath(new URL('../wasm/build/kernels.wasm', import.meta.url));

export async function compileKernelModule(path = KERNELS_WASM): Promise<WebAssembly.Module> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: run \`npm run build\` first (${(err as Error).message})`);
  }
  return WebAssembly.compile(new Uint8Array(bytes));
}

export async function loadKernels(path = KERNELS_WASM): Promise<Kernels> {
  return instantiateKernels(await compileKernelModule(path));
}
