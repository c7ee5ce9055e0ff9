// `cadence fit-population` (also `cadence train population`): fits the edge's population keystroke
// profile from public data sets and writes scoring/population-keystroke.json (numbers only; the data
// stays where it is).
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readAalto, readCmu, type Window } from '../bench/lib/keystroke-data.ts';
import { keystrokeFeatures, KEYSTROKE_FEATURES } from '../scoring/features/keystroke.ts';
import { fitProfile } from '../scoring/profile.ts';
import { scaledManhattan } from '../wasm/reference.ts';
import type { Command } from './help.ts';
import type { TrainKind } from './train.ts';

const out = fileURLToPath(new URL('../scoring/population-keystroke.json', import.meta.url));
const shared = fileURLToPath(new URL('../../shared/datasets/keystroke/', import.meta.url));

const OPTIONS = [
  ['--aalto DIR', 'the Aalto 136M Keystrokes sample, raw files (default: the shared data sets folder)'],
  ['--cmu FILE', 'the CMU keystroke benchmark, sessions 7-8 as CSV (default: the shared data sets folder)'],
  ['--version NAME', 'the profile version written into the file (default population-keystroke-2)'],
] as const;

/** As a model kind of `cadence train` (cli/train.ts). */
export const kind: TrainKind = {
  describe: "the edge's population keystroke profile, written to scoring/population-keystroke.json (as fit-population)",
  usage: 'cadence train population [--aalto DIR] [--cmu FILE] [--version NAME]',
  options: OPTIONS,
  examples: ['cadence train population --cmu /data/cmu-dsl2009-sessions7-8.csv', 'cadence train population --aalto /data/aalto-raw --version population-keystroke-3'],
  run: (argv) => run(argv),
};

export const command: Command = {
  describe: 'fit the population keystroke profile (--aalto DIR --cmu FILE)',
  usage: 'cadence fit-population [--aalto DIR] [--cmu FILE] [--version NAME]',
  options: OPTIONS,
  examples: ['cadence fit-population --cmu /data/cmu-dsl2009-sessions7-8.csv', 'cadence train population   (the same)'],
  run: (argv) => run(argv),
};

async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      aalto: { type: 'string', default: `${shared}aalto-raw` },
      cmu: { type: 'string', default: `${shared}cmu-dsl2009-sessions7-8.csv` },
      version: { type: 'string', default: 'population-keystroke-2' },
    },
  });
  const windows: Window[] = [];
  const sources: string[] = [];
  if (existsSync(values.aalto!)) {
    windows.push(...(await readAalto(values.aalto!)));
    sources.push('Aalto 136M Keystrokes sample (Dhakal et al., CHI 2018)');
  }
  if (existsSync(values.cmu!)) {
    windows.push(...(await readCmu(values.cmu!)));
    sources.push('CMU keystroke benchmark sessions 7-8 (Killourhy & Maxion, DSN 2009)');
  }
  if (windows.length === 0) throw new Error('no data: pass --aalto DIR and/or --cmu FILE');
  const rows = windows.map((w) => keystrokeFeatures(w.events)).filter((w) => w.judged).map((w) => w.vector);
  const profile = fitProfile(rows, KEYSTROKE_FEATURES, scaledManhattan, {
    version: values.version!,
    transform: 'slog',
    madFloor: 0.01,
    source: `${rows.length} genuine windows from ${sources.join(' and ')}`,
  });
  await writeFile(out, `${JSON.stringify(profile, null, 2)}\n`);
  process.stderr.write(`wrote ${out} from ${rows.length} windows\n`);
  process.stdout.write(`${JSON.stringify(profile)}\n`);
}
