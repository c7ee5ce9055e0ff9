// Dispatch for command families whose sub-commands live one per file (bench/<name>.ts,
// bench/eval-<name>.ts), each exporting `run(argv): Promise<number | void>`.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));

export async function dispatch(family: string, prefix: string, argv: string[]): Promise<number | void> {
  const [name, ...rest] = argv;
  const available = (await readdir(benchDir))
    .filter((f) => f.startsWith(prefix) && f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_'))
    .map((f) => f.slice(prefix.length, -3))
    .filter((n) => prefix !== '' || !n.startsWith('eval-'));
  if (!name || !available.includes(name)) {
    process.stderr.write(`usage: cadence ${family} <${available.join('|')}> [options]\n`);
    return 2;
  }
  const mod = (await import(`${benchDir}${prefix}${name}.ts`)) as { run(argv: string[]): Promise<number | void> };
  return mod.run(rest);
}
