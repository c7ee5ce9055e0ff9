// `cadence train session-model (--csv FILE | --synth N) [--seed 0] [--trees 100]`: trains the
// supervised session model (scoring/models/session-model.ts) on labelled session records and stores
// it as the active 'session-forest' version of the configured database's registry (CADENCE_DB_URL),
// with its held-out metrics. The CSV has a header naming seed 004's fields (session-record.ts;
// others, such as user_id, are ignored) and a 0/1 column `label` (or `is_anomaly`).
import process from 'node:process';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createDb, type Db } from '../db/client.ts';
import { parseCoreConfig } from '../core/config.ts';
import { createModelRegistry } from '../core/models/registry.ts';
import { storeSessionModel } from '../core/risk/session-model.ts';
import { SESSION_FIELDS, SESSION_NUMERIC, type SessionRecord } from '../scoring/features/session-record.ts';
import { isMissing } from '../scoring/features/tabular-encoding.ts';
import { trainSessionModel } from '../scoring/models/session-model.ts';
import { synthSessionRecords } from '../scoring/synth/session-records.ts';
import { parseLabelledTable } from '../bench/eval-supervised.ts';
import type { TrainKind } from './train.ts';

/** Session records and labels from a CSV's text (see the header comment). */
export function sessionRecordsFromCsv(text: string): { records: SessionRecord[]; labels: Uint8Array } {
  const renamed = text.replace(/^([^\n]*)/, (header) => header.split(',').map((h) => (h.trim().toLowerCase() === 'is_anomaly' ? 'label' : h)).join(','));
  const table = parseLabelledTable(renamed, 'csv');
  const at = SESSION_FIELDS.map((f) => table.names.indexOf(f));
  if (at.every((j) => j < 0)) throw new Error(`csv names none of the session fields (${SESSION_FIELDS.join(', ')})`);
  const numeric = new Set<string>(SESSION_NUMERIC);
  const records = table.cells.map((row) => {
    const r: Record<string, string | number> = {};
    SESSION_FIELDS.forEach((f, k) => {
      const cell = at[k]! >= 0 ? row[at[k]!] : undefined;
      if (cell === undefined || isMissing(cell)) return;
      if (!numeric.has(f)) r[f] = cell.trim();
      else if (Number.isFinite(Number(cell))) r[f] = Number(cell);
    });
    return r as SessionRecord;
  });
  return { records, labels: table.labels };
}

/** Trains on the records and stores the model in `db`'s registry; returns the stored row. */
export async function trainSessionModelInto(db: Db, records: SessionRecord[], labels: Uint8Array, options: { seed?: number; trees?: number } = {}) {
  const trained = trainSessionModel(records, labels, { seed: options.seed ?? 0, trees: options.trees ?? 100 });
  return storeSessionModel(createModelRegistry(db, Date.now), trained, { seed: options.seed ?? 0 });
}

export const kind: TrainKind = {
  describe: "the supervised session model (random forest over seed 004's session records), stored as the active 'session-forest'",
  usage: 'cadence train session-model (--csv FILE | --synth N) [--seed N] [--trees N]',
  options: [
    ['--csv FILE', "labelled session records: a header naming seed 004's fields and a 0/1 column label (or is_anomaly)"],
    ['--synth N', 'N synthetic session records instead (40 % anomalous)'],
    ['--seed N', 'seed of the split and the forest (default 0)'],
    ['--trees N', 'trees in the forest (default 100)'],
  ],
  examples: ['cadence train session-model --synth 4000', 'CADENCE_DB_URL=file:./data/cadence.db cadence train session-model --csv sessions.csv --trees 200'],
  async run(argv: string[]) {
    const { values } = parseArgs({ args: argv, options: { csv: { type: 'string' }, synth: { type: 'string' }, seed: { type: 'string', default: '0' }, trees: { type: 'string', default: '100' } } });
    if (!values.csv === !values.synth) {
      process.stderr.write(`usage: ${kind.usage}\n`);
      return 2;
    }
    const seed = Number(values.seed);
    const trees = Number(values.trees);
    if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(trees) || trees < 1) throw new Error('--seed and --trees must be non-negative integers');
    const data = values.csv ? sessionRecordsFromCsv(await readFile(values.csv, 'utf8')) : synthSessionRecords(Number(values.synth), 0.4, seed);
    const config = parseCoreConfig(process.env);
    const db = await createDb(config.dbUrl, { authToken: config.dbAuthToken, writers: config.dbWriters });
    try {
      const row = await trainSessionModelInto(db, data.records, data.labels, { seed, trees });
      const incumbent = row.metrics.active_auc_on_split;
      const why = incumbent != null && (row.metrics.auc ?? 0) < incumbent ? `inactive: the active version scores AUC ${incumbent} on the same held-out split` : 'inactive: a pinned version stays';
      process.stderr.write(`stored session-forest ${row.version} (${row.active ? 'active' : why}), held-out AUC ${row.metrics.auc}\n`);
      process.stdout.write(`${JSON.stringify({ id: row.id, version: row.version, sha256: row.sha256, active: row.active, metrics: row.metrics })}\n`);
    } finally {
      db.$client.close();
    }
    return 0;
  },
};
