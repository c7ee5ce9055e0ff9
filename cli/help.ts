// The help text of the `cadence` command: the list of commands and each command's own page
// (`cadence <command> --help`), from the fields every command module exports.

/** What a help page shows. */
export interface HelpPage {
  /** One line, for the list of commands. */
  describe: string;
  /** The synopsis, e.g. `cadence build [--force]`. */
  usage: string;
  /** [flag, what it does] pairs. */
  options?: readonly (readonly [string, string])[];
  examples?: readonly string[];
  /** Help computed when asked for: the names a dispatcher knows (benchmarks, model kinds). */
  more?: () => Promise<string> | string;
}

export interface Command extends HelpPage {
  /** The page for `cadence <command> <sub> --help`, when a sub-command has its own (train kinds). */
  subHelp?: (argv: string[]) => Promise<HelpPage | undefined>;
  run(argv: string[]): Promise<number | void>;
}

/** `flag  text` rows, the text column aligned after the longest flag, continuation lines indented. */
export function table(rows: readonly (readonly [string, string])[], indent = '  '): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}${v}`).join('\n');
}

export function commandList(commands: Record<string, Command>): string {
  return [
    'usage: cadence <command> [options]',
    '',
    'commands:',
    table(Object.entries(commands).map(([n, c]) => [n, c.describe])),
    '',
    "`cadence <command> --help` (or `cadence help <command>`) shows a command's options and examples.",
    '',
  ].join('\n');
}

export async function commandHelp(c: HelpPage): Promise<string> {
  const more = (await c.more?.())?.trimEnd();
  return [
    `usage: ${c.usage}`,
    '',
    `${c.describe}.`,
    ...(c.options?.length ? ['', 'options:', table(c.options)] : []),
    ...(more ? ['', more] : []),
    ...(c.examples?.length ? ['', 'examples:', ...c.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n').replace(/\.\.\n/, '.\n');
}

/** Whether argv asks for help rather than a run. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
