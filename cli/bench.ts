// `cadence bench <name>`: runs bench/<name>.ts (speed against peers, side by side in one run).
import { dispatch } from './subcommand.ts';

export const command = {
  describe: 'run a benchmark (bench/<name>.ts); last stdout line is JSON with --json',
  run: (argv: string[]) => dispatch('bench', '', argv),
};
