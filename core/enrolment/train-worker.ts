// Worker-thread entry: trains one user model off the core's event loop, so scoring never waits for it.
import { parentPort } from 'node:worker_threads';
import { loadKernels } from '../../wasm/node.ts';
import { trainUserModel, type TrainInput } from './train.ts';

const kernels = loadKernels();
parentPort!.on('message', (input: TrainInput) => {
  kernels.then(
    (k) => parentPort!.postMessage({ ok: true, output: trainUserModel(k, input) }),
    (err: unknown) => parentPort!.postMessage({ ok: false, error: String(err) }),
  ).catch((err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }));
});
