// Entry of the `cadence` command: picks a sub-command and runs it; each lives in its own module.
import process from 'node:process';

type Command = { describe: string; run: (argv: string[]) => Promise<number | void> };

const commands: Record<string, () => Promise<Command>> = {
  build: () => import('./build.ts').then((m) => m.command),
  migrate: () => import('./migrate.ts').then((m) => m.command),
  start: () => import('./start.ts').then((m) => m.command),
  bench: () => import('./bench.ts').then((m) => m.command),
  eval: () => import('./eval.ts').then((m) => m.command),
  'gen-proto': () => import('./gen-proto.ts').then((m) => m.command),
  'fit-population': () => import('./fit-population.ts').then((m) => m.command),
  synth: () => import('./synth.ts').then((m) => m.command),
  train: () => import('./train.ts').then((m) => m.command),
  docs: () => import('./docs.ts').then((m) => m.command),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || !(name in commands)) {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([n, load]) => `  ${n.padEnd(10)}${(await load()).describe}`),
    );
    process.stderr.write(`usage: cadence <command> [options]\n\ncommands:\n${lines.join('\n')}\n`);
    return name && name !== '--help' && name !== '-h' ? 2 : 0;
  }
  const command = await commands[name]!();
  return (await command.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cadence: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
