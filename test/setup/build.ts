// Builds the WebAssembly kernels once before any test runs.
import { buildKernels } from '../../cli/build.ts';

export default async function setup(): Promise<void> {
  await buildKernels();
}
