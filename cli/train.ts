// `cadence train <kind> [options]`: trains one kind of model. Each kind lives in its own module and
// is one entry of KINDS below; `cadence train --help` lists them, `cadence train <kind> --help`
// shows the kind's own options.
import type { Command } from './help.ts';
import { table } from './help.ts';

/** One trainable model kind: what the per-kind help shows, and the run. */
export interface TrainKind {
  describe: string;
  usage: string;
  options?: readonly (readonly [string, string])[];
  examples?: readonly string[];
  run(argv: string[]): Promise<number | void>;
}

/** Every model kind, loaded when used. Adding a kind is one entry here. */
export const KINDS: Record<string, () => Promise<TrainKind>> = {
  'session-model': () => import('./train-session-model.ts').then((m) => m.kind),
  population: () => import('./fit-population.ts').then((m) => m.kind),
  offchain: () => import('./train-offchain.ts').then((m) => m.kind),
};

async function kindList(): Promise<string> {
  const rows = await Promise.all(Object.entries(KINDS).map(async ([name, load]) => [name, (await load()).describe] as const));
  return `model kinds (\`cadence train <kind> --help\` for a kind's options):\n${table(rows)}`;
}

export const command: Command = {
  describe: `train a model: ${Object.keys(KINDS).join(', ')}`,
  usage: `cadence train <${Object.keys(KINDS).join('|')}> [options]`,
  more: kindList,
  subHelp: async ([name]) => (name && KINDS[name] ? KINDS[name]() : undefined),
  examples: ['cadence train session-model --synth 4000', 'cadence train population --cmu cmu.csv', 'cadence train session-model --help'],
  async run(argv: string[]) {
    const [name, ...rest] = argv;
    const load = name === undefined ? undefined : KINDS[name];
    if (!load) {
      process.stderr.write(`${name ? `cadence train: unknown kind ${name}\n` : ''}usage: ${command.usage}\n\n${await kindList()}\n`);
      return 2;
    }
    return (await load()).run(rest);
  },
};
