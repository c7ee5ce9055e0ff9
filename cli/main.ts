// Entry of the `cadence` command: picks a sub-command and runs it; each lives in its own module.
import process from 'node:process';
import { commands, loadCommands } from './commands.ts';
import { commandHelp, commandList, wantsHelp } from './help.ts';

async function main(argv: string[]): Promise<number> {
  let [name, ...rest] = argv;
  if (name === 'help' && rest[0]) [name, rest] = [rest[0], ['--help']];
  if (!name || name === 'help' || name === '--help' || name === '-h' || !(name in commands)) {
    if (name && !['help', '--help', '-h'].includes(name)) process.stderr.write(`cadence: unknown command ${name}\n\n`);
    // Asked for, the list goes to stdout; after a mistake, to stderr with exit code 2.
    const asked = !name || ['help', '--help', '-h'].includes(name);
    (asked ? process.stdout : process.stderr).write(commandList(await loadCommands()));
    return asked ? 0 : 2;
  }
  const command = await commands[name]!();
  if (wantsHelp(rest)) {
    process.stdout.write(await commandHelp((await command.subHelp?.(rest)) ?? command));
    return 0;
  }
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
