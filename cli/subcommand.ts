// Dispatch for command families whose sub-commands live one per file (bench/<name>.ts,
// bench/eval-<name>.ts), each exporting `run(argv): Promise<number | void>`. They are development
// tools run as TypeScript: when the CLI runs compiled, tsx (a development dependency) is registered
// first, and a production install is told so.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { COMPILED } from '../lib/entries.ts';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));

/** The sub-command names of a family: bench/<prefix><name>.ts. */
export async function available(prefix: string): Promise<string[]> {
  return (await readdir(benchDir))
    .filter((f) => f.startsWith(prefix) && f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_'))
    .map((f) => f.slice(prefix.length, -3))
    .filter((n) => prefix !== '' || !n.startsWith('eval-'))
    .sort();
}

/** Each sub-command with its synopsis: the first `cadence ...` span of its file's header comment. */
export async function synopses(family: string, prefix: string): Promise<string> {
  const rows = await Promise.all((await available(prefix)).map(async (name) => {
    const text = await readFile(`${benchDir}${prefix}${name}.ts`, 'utf8');
    const lines = text.split('\n');
    const end = lines.findIndex((l) => !l.startsWith('//'));
    const header = lines.slice(0, end < 0 ? lines.length : end).map((l) => l.replace(/^\/\/\s?/, '')).join(' ');
    const synopsis = /`(cadence [^`]+)`/.exec(header)?.[1];
    return `  ${synopsis ?? `cadence ${family} ${name}   (${header.split(/[.:]/)[0]!.trim()})`}`;
  }));
  return [`${family === 'bench' ? 'benchmarks' : 'evaluations'} (bench/${prefix}<name>.ts; each has its own options):`, ...rows].join('\n');
}

export async function dispatch(family: string, prefix: string, argv: string[]): Promise<number | void> {
  const [name, ...rest] = argv;
  const names = await available(prefix);
  if (!name || !names.includes(name)) {
    process.stderr.write(`usage: cadence ${family} <${names.join('|')}> [options]\n(cadence ${family} --help lists each with its options)\n`);
    return 2;
  }
  if (COMPILED) {
    const tsx = await import('tsx/esm/api').catch(() => undefined);
    if (!tsx) throw new Error(`cadence ${family} runs TypeScript through tsx, a development dependency this install lacks: install with \`npm ci\``);
    tsx.register();
  }
  const mod = (await import(`${benchDir}${prefix}${name}.ts`)) as { run(argv: string[]): Promise<number | void> };
  return mod.run(rest);
}
