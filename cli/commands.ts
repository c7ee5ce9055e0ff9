// The commands of `cadence`, by name, each loaded only when used (cli/main.ts dispatches).
import type { Command } from './help.ts';

export const commands: Record<string, () => Promise<Command>> = {
  build: () => import('./build.ts').then((m) => m.command),
  migrate: () => import('./migrate.ts').then((m) => m.command),
  start: () => import('./start.ts').then((m) => m.command),
  bench: () => import('./bench.ts').then((m) => m.command),
  eval: () => import('./eval.ts').then((m) => m.command),
  train: () => import('./train.ts').then((m) => m.command),
  synth: () => import('./synth.ts').then((m) => m.command),
  'fit-population': () => import('./fit-population.ts').then((m) => m.command),
  'gen-proto': () => import('./gen-proto.ts').then((m) => m.command),
  docs: () => import('./docs.ts').then((m) => m.command),
};

/** Every command, loaded (for the list of commands and the tests of the help text). */
export async function loadCommands(): Promise<Record<string, Command>> {
  return Object.fromEntries(await Promise.all(Object.entries(commands).map(async ([n, load]) => [n, await load()] as const)));
}
