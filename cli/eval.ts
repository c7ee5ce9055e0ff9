// `cadence eval <name>`: runs bench/eval-<name>.ts (accuracy on a data set given by path).
import { dispatch } from './subcommand.ts';

export const command = {
  describe: 'evaluate accuracy on a data set (bench/eval-<name>.ts)',
  run: (argv: string[]) => dispatch('eval', 'eval-', argv),
};
