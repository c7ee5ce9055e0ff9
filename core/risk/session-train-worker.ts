// Worker-thread entry: trains one session model off the core's event loop (session-retrain.ts).
import { parentPort } from 'node:worker_threads';
import { trainSessionModel } from '../../scoring/models/session-model.ts';
import type { SessionTrainInput } from './session-retrain.ts';

parentPort!.on('message', (input: SessionTrainInput) => {
  try {
    parentPort!.postMessage({ ok: true, output: trainSessionModel(input.records, input.labels, { seed: input.seed, trees: input.trees, split: input.split }) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
