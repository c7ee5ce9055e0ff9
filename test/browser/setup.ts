// Builds the kernels and the collector bundle before the browser tests (also when vitest runs alone).
import { buildCollector, buildKernels } from '../../cli/build.ts';

export default async function setup(): Promise<void> {
  await buildKernels();
  await buildCollector();
}
