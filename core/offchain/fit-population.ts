// Fits core/offchain/population.json, the population profile of seed 003's six features, from the
// Aalto free-text windows (run: npx tsx core/offchain/fit-population.ts [aalto-raw dir]).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readAalto } from '../../bench/lib/keystroke-data.ts';
import { FREE_TEXT_FEATURES, freeTextFeatures } from '../../scoring/features/free-text.ts';
import { fitProfile } from '../../scoring/profile.ts';
import { scaledManhattan } from '../../wasm/reference.ts';
import { OFFCHAIN_FEATURES } from './features.ts';

const SEED_003 = ['typing_speed_wpm', 'key_hold_ms', 'transition_ms', 'error_rate_pct', 'speed_accuracy_ratio', 'rhythm_ratio'] as const;
const dir = process.argv[2] ?? fileURLToPath(new URL('../../../shared/datasets/keystroke/aalto-raw', import.meta.url));
const columns = SEED_003.map((name) => FREE_TEXT_FEATURES.indexOf(name));
const windows = (await readAalto(dir)).map((w) => freeTextFeatures(w.events)).filter((w) => w.judged);
const rows = windows.map((w) => Float64Array.from(columns, (j) => w.vector[j]!));
const profile = fitProfile(rows, OFFCHAIN_FEATURES, scaledManhattan, {
  version: 'offchain-population-1',
  source: `Aalto 136M keystrokes sample (Dhakal et al., CHI 2018): ${rows.length} free-text windows`,
  transform: 'slog',
  madFloor: 0.02,
});
const out = fileURLToPath(new URL('./population.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(profile, null, 2)}\n`);
process.stdout.write(`${out}: ${rows.length} windows\n${JSON.stringify(profile)}\n`);
