// Builds what the tests import (the WebAssembly kernels, the collector bundle) once, before any test.
import { buildCollector, buildKernels } from '../../cli/build.ts';

export default async function setup(): Promise<void> {
  await buildKernels();
  await buildCollector();
}
