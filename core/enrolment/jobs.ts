// A small in-process job queue: one job at a time (training is CPU-heavy and the machine small), a
// job per key at most once in the queue, failures logged and never thrown at the caller that queued.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import type { TrainInput, TrainOutput } from './train.ts';
import { workerScript, type EntryName } from '../../lib/entries.ts';

export function createJobQueue(log: Logger) {
  const queued = new Map<string, Promise<unknown>>();
  let tail: Promise<unknown> = Promise.resolve();
  return {
    /** Queues `fn` under `key` unless a job with that key is already waiting; resolves with its result. */
    add<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const waiting = queued.get(key);
      if (waiting) return waiting as Promise<T>;
      const run = tail.then(() => {
        queued.delete(key);
        return fn();
      });
      queued.set(key, run);
      tail = run.catch((err: unknown) => log.error('background job failed', { job: key, err }));
      return run;
    },
    /** Resolves once every job queued so far has finished. */
    async idle(): Promise<void> {
      while (queued.size > 0) await Promise.allSettled([...queued.values()]);
      await tail;
    },
    get pending(): number {
      return queued.size;
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;

/** Runs one training in a fresh worker thread (jobs are rare: the thread lives only for the job). */
export function trainInWorker(input: TrainInput, timeoutMs = 120_000): Promise<TrainOutput> {
  return runInWorker('train-worker', input, timeoutMs);
}

/**
 * Runs a worker entry (a module that answers one message with { ok, output } or { ok: false,
 * error }) in a fresh worker thread, with `input` as its message.
 */
export function runInWorker<I, O>(entry: EntryName, input: I, timeoutMs = 120_000): Promise<O> {
  return new Promise((resolve, reject) => {
    // Compiled, the worker runs dist/<entry>.js; from source, through tsx (lib/entries.ts).
    const worker = new Worker(workerScript(entry), { eval: true });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`training took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.once('message', (msg: { ok: true; output: O } | { ok: false; error: string }) => {
      done();
      if (msg.ok) resolve(msg.output);
      else reject(new Error(msg.error));
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
    worker.postMessage(input);
  });
}
