// `cadence eval offchain [--samples 4000] [--seed 1000] [--bundled] [--json]`: accuracy, precision,
// recall, F1, AUC and the confusion matrix of seed 003's MLP, of its autoencoder (calibrated) and of
// the pair as /predict serves it, scored by the WASM kernels on held-out synthetic sessions: people
// drawn with a seed the model was not trained on (scoring/synth/offchain-sessions.ts), so none of
// them was seen in training. The model: the registry's active 'offchain-pair' of CADENCE_DB_URL,
// or the bundled default (core/offchain/default-pair.json) with --bundled or when there is none.
// Recall is also split by kind of anomaly (impostor, script, automation, tampered).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { parseCoreConfig } from '../core/config.ts';
import { createModelRegistry } from '../core/models/registry.ts';
import { bundledPair, OFFCHAIN_PAIR_KIND } from '../core/offchain/pair-model.ts';
import { createDb } from '../db/client.ts';
import { GLOBAL_SCOPE } from '../core/models/registry.ts';
import { decodePair, evaluatePair, pairScorer, sampleRows, THRESHOLD } from '../scoring/offchain/pair.ts';
import { synthOffchainSamples } from '../scoring/synth/offchain-sessions.ts';
import type { ClassificationMetrics } from '../scoring/models/classification-metrics.ts';
import { loadKernels } from '../wasm/node.ts';

/** The active pair of the configured database (when the file exists and holds one), else the bundled default. */
async function modelBytes(bundled: boolean): Promise<{ bytes: Uint8Array; source: string; id?: string; version?: string }> {
  const config = parseCoreConfig(process.env);
  const file = config.dbUrl.startsWith('file:') ? config.dbUrl.slice('file:'.length).split('?')[0]! : undefined;
  if (!bundled && (file === undefined || existsSync(file))) {
    const db = await createDb(config.dbUrl, { authToken: config.dbAuthToken, writers: config.dbWriters });
    try {
      const row = await createModelRegistry(db, Date.now).active(OFFCHAIN_PAIR_KIND, GLOBAL_SCOPE);
      if (row) return { bytes: new Uint8Array(row.binary), source: 'registry', id: row.id, version: row.version };
    } finally {
      db.$client.close();
    }
  }
  return { bytes: await bundledPair(), source: 'bundled' };
}

const round4 = (v: number | null) => (v === null ? null : Math.round(v * 1e4) / 1e4);
const summary = (m: ClassificationMetrics) => ({
  accuracy: round4(m.accuracy),
  precision: round4(m.precision),
  recall: round4(m.recall),
  f1: round4(m.f1),
  auc: round4(m.auc),
  confusion: m.confusion,
});

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { samples: { type: 'string', default: '4000' }, seed: { type: 'string', default: '1000' }, bundled: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  const n = Number(values.samples);
  const seed = Number(values.seed);
  if (!Number.isInteger(n) || n < 20 || !Number.isInteger(seed) || seed < 0) {
    process.stderr.write('usage: cadence eval offchain [--samples N >= 20] [--seed N] [--bundled] [--json]\n');
    return 2;
  }
  const model = await modelBytes(values.bundled!);
  const pair = await decodePair(model.bytes);
  if (pair.meta.training.seed === seed) {
    process.stderr.write(`--seed ${seed} is the seed this model was trained with: its people are not held out; pick another\n`);
    return 2;
  }
  const samples = synthOffchainSamples(n, { seed });
  const { rows, labels } = sampleRows(samples);
  const scorer = pairScorer(pair, await loadKernels());
  try {
    const m = evaluatePair(scorer, rows, labels);
    const scores = scorer.score(rows);
    const byKind: Record<string, { n: number; mlp_recall: number; autoencoder_recall: number; pair_recall: number }> = {};
    samples.forEach((s, i) => {
      const k = (byKind[s.kind] ??= { n: 0, mlp_recall: 0, autoencoder_recall: 0, pair_recall: 0 });
      k.n++;
      k.mlp_recall += scores.mlp[i]! >= THRESHOLD ? 1 : 0;
      k.autoencoder_recall += scores.autoencoder[i]! >= THRESHOLD ? 1 : 0;
      k.pair_recall += scores.pair[i]! >= THRESHOLD ? 1 : 0;
    });
    for (const k of Object.values(byKind)) {
      k.mlp_recall = round4(k.mlp_recall / k.n)!;
      k.autoencoder_recall = round4(k.autoencoder_recall / k.n)!;
      k.pair_recall = round4(k.pair_recall / k.n)!;
    }
    if (byKind.genuine) {
      // For genuine sessions "recall" is the share wrongly called anomalous: report it as such.
      const g = byKind.genuine as Record<string, number>;
      for (const name of ['mlp', 'autoencoder', 'pair']) {
        g[`${name}_false_positive_rate`] = g[`${name}_recall`]!;
        delete g[`${name}_recall`];
      }
    }
    const out = {
      model: { source: model.source, id: model.id ?? null, version: model.version ?? null, sha256: createHash('sha256').update(model.bytes).digest('hex'), trained: pair.meta.training },
      held_out: { samples: n, seed, anomalous: m.pair.positives, threshold: THRESHOLD },
      mlp: summary(m.mlp),
      autoencoder: summary(m.autoencoder),
      pair: summary(m.pair),
      by_kind: byKind,
    };
    if (!values.json) {
      for (const name of ['mlp', 'autoencoder', 'pair'] as const) {
        const x = out[name];
        process.stderr.write(`${name.padEnd(12)} accuracy ${x.accuracy}  precision ${x.precision}  recall ${x.recall}  F1 ${x.f1}  AUC ${x.auc}  ${JSON.stringify(x.confusion)}\n`);
      }
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  } finally {
    scorer.dispose();
  }
}
