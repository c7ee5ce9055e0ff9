// `cadence eval corpus --from balabit|aalto|cmu|kaggle|synth|heldout [--in PATH] --out FILE.jsonl`: converts
// a public data set (read from PATH, never copied into the repository) or `cadence synth`'s
// families into the corpus format that `cadence eval live` replays (bench/lib/corpus.ts).
//   balabit  --in DIR   Balabit Mouse Dynamics Challenge, DIR/userN/session_* (e.g. balabit-training)
//   aalto    --in DIR   Aalto 136M keystrokes, DIR/*_keystrokes.txt
//   cmu      --in FILE  CMU DSL-StrongPassword CSV
//   kaggle   --in FILE  Kaggle Keystroke Dynamics Challenge 1 press/release CSV
//   synth               every bot family in BOT_KINDS, --bots N sessions each (default 40), and
//                       --people N synthetic genuine users (default 0); --seed S
//   heldout             the held-out red team (bench/lib/heldout-bots.ts), --bots N sessions each
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { intOption, option } from './lib/args.ts';
import { writeCorpus } from './lib/corpus.ts';
import { SOURCES, sourceSessions, type Source } from './lib/corpus-sources.ts';

const USAGE = 'usage: cadence eval corpus --from balabit|aalto|cmu|kaggle|synth|heldout [--in PATH] --out FILE.jsonl [--bots 40] [--people 0] [--seed 7]\n';

export async function run(argv: string[]): Promise<number> {
  const from = option(argv, 'from') as Source | undefined;
  const input = option(argv, 'in');
  const out = option(argv, 'out');
  if (!from || !SOURCES.includes(from) || !out || (from !== 'synth' && from !== 'heldout' && !input)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const botsRaw = option(argv, 'bots');
  const peopleRaw = option(argv, 'people');
  const options = {
    botsPerFamily: botsRaw === '0' ? 0 : intOption(argv, 'bots', 40),
    people: peopleRaw === '0' || peopleRaw === undefined ? 0 : intOption(argv, 'people', 0),
    seed: intOption(argv, 'seed', 7),
  };
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const started = Date.now();
  const { sessions, windows } = await writeCorpus(out, sourceSessions(from, input, options));
  process.stderr.write(`eval corpus: ${sessions} sessions, ${windows} windows from ${from}${input ? ` (${input})` : ''} -> ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}
