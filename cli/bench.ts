// `cadence bench <name>`: runs bench/<name>.ts (speed against peers, side by side in one run).
import type { Command } from './help.ts';
import { dispatch, synopses } from './subcommand.ts';

export const command: Command = {
  describe: 'run a benchmark (bench/<name>.ts); last stdout line is JSON with --json',
  usage: 'cadence bench <name> [options]',
  more: () => synopses('bench', ''),
  examples: ['cadence bench edge --duration 10 --json', 'cadence bench startup --runs 3'],
  run: (argv: string[]) => dispatch('bench', '', argv),
};
