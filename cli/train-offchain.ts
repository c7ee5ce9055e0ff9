// `cadence train offchain [--samples 20000] [--seed 0] [--hidden 128,64,32] [--epochs 60] [--out FILE]`:
// trains seed 003's model pair (MLP classifier + autoencoder, scoring/offchain/pair.ts) on synthetic
// genuine and anomalous sessions with DID histories, prints its held-out metrics and stores it as
// the active 'offchain-pair' version of the configured database's registry (CADENCE_DB_URL); with
// --out, writes the pair file as the bundled default's JSON instead (core/offchain/default-pair.json).
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { parseCoreConfig } from '../core/config.ts';
import { createModelRegistry } from '../core/models/registry.ts';
import { storePair } from '../core/offchain/pair-model.ts';
import { createDb } from '../db/client.ts';
import { encodePair, flatMetrics, trainOffchainPair } from '../scoring/offchain/pair.ts';
import { synthOffchainSamples } from '../scoring/synth/offchain-sessions.ts';
import { loadKernels } from '../wasm/node.ts';
import type { TrainKind } from './train.ts';

const USAGE = 'usage: cadence train offchain [--samples N] [--seed N] [--hidden 128,64,32] [--epochs N] [--out FILE]\n';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      samples: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '0' },
      hidden: { type: 'string', default: '128,64,32' },
      epochs: { type: 'string', default: '60' },
      out: { type: 'string' },
    },
  });
  const samples = Number(values.samples);
  const seed = Number(values.seed);
  const epochs = Number(values.epochs);
  const hidden = values.hidden!.split(',').map(Number);
  if (!Number.isInteger(samples) || samples < 50 || !Number.isInteger(seed) || seed < 0 || !Number.isInteger(epochs) || epochs < 1 || !hidden.every((h) => Number.isInteger(h) && h > 0)) {
    process.stderr.write(`${USAGE}--samples >= 50, --seed >= 0, --epochs >= 1 and --hidden positive integers\n`);
    return 2;
  }
  const started = performance.now();
  const trained = trainOffchainPair(synthOffchainSamples(samples, { seed }), await loadKernels(), { seed, hidden, maxEpochs: epochs });
  const binary = await encodePair(trained.pair);
  const metrics = flatMetrics(trained.metrics, trained.heldOut);
  const m = trained.metrics;
  process.stderr.write(
    `trained in ${((performance.now() - started) / 1000).toFixed(1)} s on ${samples} synthetic samples; held out ${trained.heldOut}: ` +
      `MLP F1 ${m.mlp.f1?.toFixed(3)} AUC ${m.mlp.auc?.toFixed(3)}, autoencoder F1 ${m.autoencoder.f1?.toFixed(3)} AUC ${m.autoencoder.auc?.toFixed(3)}, pair F1 ${m.pair.f1?.toFixed(3)} AUC ${m.pair.auc?.toFixed(3)}\n`,
  );
  if (values.out) {
    const sha256 = createHash('sha256').update(binary).digest('hex');
    await writeFile(values.out, `${JSON.stringify({ sha256, trained: { samples, seed, hidden, epochs }, metrics, base64: Buffer.from(binary).toString('base64') })}\n`);
    process.stdout.write(`${JSON.stringify({ out: values.out, sha256, metrics })}\n`);
    return 0;
  }
  const config = parseCoreConfig(process.env);
  const db = await createDb(config.dbUrl, { authToken: config.dbAuthToken, writers: config.dbWriters });
  try {
    const row = await storePair(createModelRegistry(db, Date.now), binary, metrics);
    process.stderr.write(`stored offchain-pair ${row.version} (${row.active ? 'active' : 'inactive: a pinned version stays'}), sha256 ${row.sha256}\n`);
    process.stdout.write(`${JSON.stringify({ id: row.id, version: row.version, sha256: row.sha256, active: row.active, metrics })}\n`);
  } finally {
    db.$client.close();
  }
  return 0;
}

/** `cadence train offchain` (cli/train.ts's registry of kinds). */
export const kind: TrainKind = {
  describe: "seed 003's model pair (MLP classifier + autoencoder) for POST /predict, on synthetic people with DID histories",
  usage: 'cadence train offchain [--samples 20000] [--seed 0] [--hidden 128,64,32] [--epochs 60] [--out FILE]',
  options: [
    ['--samples N', 'synthetic sessions to train on (default 20000; at least 50)'],
    ['--seed N', 'seed of the data and the training (default 0)'],
    ['--hidden A,B,C', "the MLP's hidden layers (default 128,64,32)"],
    ['--epochs N', 'training epochs at most (default 60)'],
    ['--out FILE', "write the pair file as JSON (the bundled default's format) instead of storing it in the registry"],
  ],
  examples: ['cadence train offchain', 'cadence train offchain --samples 4000 --epochs 20', 'cadence train offchain --out core/offchain/default-pair.json'],
  run,
};
