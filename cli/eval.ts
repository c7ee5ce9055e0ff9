// `cadence eval <name>`: runs bench/eval-<name>.ts (accuracy on a data set given by path).
import type { Command } from './help.ts';
import { dispatch, synopses } from './subcommand.ts';

export const command: Command = {
  describe: 'evaluate accuracy on a data set (bench/eval-<name>.ts)',
  usage: 'cadence eval <name> [options]',
  more: () => synopses('eval', 'eval-'),
  examples: ['cadence eval supervised --seed004 --json', 'cadence eval corpus --from synth --out /tmp/synth.jsonl'],
  run: (argv: string[]) => dispatch('eval', 'eval-', argv),
};
