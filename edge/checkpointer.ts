// WAL checkpoints of the spool's file, on a thread of their own.
//
// In WAL mode SQLite copies the log back into the database file on whichever connection commits
// once the log passes 1,000 pages, and with synchronous=NORMAL that copy ends with an fsync. On
// the edge that connection is the event loop's: every ~125 batches one INSERT took 4-6 ms instead
// of 0.1 ms, and every request in flight waited behind it (the edge's p99). Here the serving
// connection never checkpoints (wal_autocheckpoint = 0); a worker thread with its own connection
// does, in PASSIVE mode, which takes no lock that writers need. Durability is unchanged: the
// worker's connection syncs exactly as the serving one would have.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints. */
const INTERVAL_MS = 200;
/**
 * A writer that never pauses keeps the log from being found fully copied when it starts a write,
 * and so from being rewound; past this many frames (4 KB each) the worker rewinds it itself
 * (RESTART: writers wait for the few frames left, once in a long while).
 */
const RESTART_FRAMES = 8192;

// Plain CommonJS evaluated in the worker: no TypeScript loader is needed there (tsx, vitest, node).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
const db = new Database(workerData.file);
db.exec('PRAGMA busy_timeout = 0'); // a round that would wait is skipped, the next one tries again
db.exec('PRAGMA synchronous = ' + workerData.synchronous);
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
function round() {
  const r = passive.get();
  if (r && r.log >= workerData.restartFrames && r.checkpointed >= r.log) restart.get();
}
function end(code) {
  clearInterval(timer);
  try { db.close(); } catch {}
  process.exit(code); // in a worker: ends this thread only
}
const timer = setInterval(() => {
  try {
    round();
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: String((err && err.message) || err) });
    end(1);
  }
}, workerData.intervalMs);
parentPort.on('message', () => end(0));
parentPort.postMessage({ type: 'ready' });
`;

export interface Checkpointer {
  /** Stops the worker; the serving connection's own checkpoints are then to be turned back on. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` on a worker thread. Resolves once the worker holds the file; rejects
 * if it cannot (the caller then keeps SQLite's own checkpoints). `onFailure` is called if the
 * worker stops checkpointing later.
 */
export function startCheckpointer(file: string, synchronous: 'NORMAL' | 'FULL', onFailure: (message: string) => void): Promise<Checkpointer> {
  const libsql = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { libsql, file, synchronous, intervalMs: INTERVAL_MS, restartFrames: RESTART_FRAMES },
  });
  let stopping = false;
  let failed = false;
  const exited = new Promise<number>((done) => worker.once('exit', done));
  return new Promise((resolve, reject) => {
    let ready = false;
    const fail = (message: string) => {
      if (failed || stopping) return;
      failed = true;
      onFailure(message);
    };
    worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'failed') return fail(m.message ?? 'unknown error');
      if (m.type !== 'ready') return;
      ready = true;
      worker.unref(); // checkpoints never keep the process alive
      resolve({
        stop: async () => {
          if (!stopping) worker.postMessage('stop');
          stopping = true;
          await exited;
        },
      });
    });
    worker.on('error', (err) => (ready ? fail(err.message) : reject(err)));
    void exited.then((code) => (ready ? fail(`checkpoint worker exited with code ${code}`) : reject(new Error(`checkpoint worker exited with code ${code}`))));
  });
}
