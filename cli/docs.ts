// `cadence docs config [--check]`: writes docs/configuration.md from the configuration schemas, or
// with --check exits 1 when the checked-in file differs from what they give.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_DOC_PATH, renderConfigDoc } from './config-docs.ts';
import type { Command } from './help.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export const command: Command = {
  describe: 'write generated documentation: `docs config [--check]` (docs/configuration.md from the zod schemas)',
  usage: 'cadence docs config [--check]',
  options: [['--check', 'write nothing; exit 1 when docs/configuration.md differs from what the schemas give']],
  examples: ['cadence docs config', 'cadence docs config --check'],
  async run(argv: string[]) {
    const [what, ...flags] = argv;
    if (what !== 'config') {
      process.stderr.write('usage: cadence docs config [--check]\n');
      return 2;
    }
    const file = path.join(root, CONFIG_DOC_PATH);
    const text = renderConfigDoc();
    if (flags.includes('--check')) {
      const current = readFileSync(file, 'utf8');
      if (current === text) return 0;
      process.stderr.write(`${CONFIG_DOC_PATH} is out of date: run npx cadence docs config\n`);
      return 1;
    }
    writeFileSync(file, text);
    process.stdout.write(`wrote ${CONFIG_DOC_PATH}\n`);
    return 0;
  },
};
