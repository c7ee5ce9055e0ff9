// docs/configuration.md is generated from the zod schemas that parse the environment
// (`npx cadence docs config`); these tests fail when it has drifted from them, when a variable has
// no description, or when the code reads a variable that the reference does not list.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOC_PATH, configSections, renderConfigDoc } from '../../cli/config-docs.ts';
import { ROOT } from '../../cli/processes.ts';

const documented = configSections().flatMap((s) => s.variables);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'node_modules' || name === 'build' ? [] : sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.test.ts') ? [file] : [];
  });
}

describe('docs/configuration.md', () => {
  it('is what `npx cadence docs config` writes from the schemas today', () => {
    const checkedIn = readFileSync(path.join(ROOT, CONFIG_DOC_PATH), 'utf8');
    expect(checkedIn, 'docs/configuration.md is out of date: run npx cadence docs config').toBe(renderConfigDoc());
  });

  it('describes every variable, each listed once per section', () => {
    for (const section of configSections()) {
      const names = section.variables.map((v) => v.name);
      expect(new Set(names).size, `${section.title}: a variable listed twice`).toBe(names.length);
      for (const v of section.variables) expect(v.description.length, `${v.name} in ${section.source} has no .describe()`).toBeGreaterThan(10);
    }
    // The core's own figures, read back through the generator: a default moved in the schema moves here.
    const byName = (name: string) => documented.find((v) => v.name === name);
    expect(byName('CADENCE_GRPC_PORT')).toMatchObject({ type: 'integer (0-65535)', default: '`50051`' });
    expect(byName('CADENCE_SPOOL_SYNC')?.type).toBe('`normal` | `full`');
  });

  it('lists every variable the code reads and every var of edge/wrangler.jsonc', () => {
    const names = new Set(documented.map((v) => v.name));
    const read = new Set<string>();
    const pattern = /(?:env\.|env\[['"]|pick\(['"])(CADENCE_[A-Z0-9_]+|PORT|HOST)\b/g;
    for (const dir of ['core', 'edge', 'lib', 'cli', 'db', 'scoring', 'collector']) {
      for (const file of sourceFiles(path.join(ROOT, dir))) {
        for (const m of readFileSync(file, 'utf8').matchAll(pattern)) read.add(m[1]!);
      }
    }
    for (const m of readFileSync(path.join(ROOT, 'edge/wrangler.jsonc'), 'utf8').matchAll(/"(CADENCE_[A-Z0-9_]+)"\s*:/g)) read.add(m[1]!);
    expect(read.size).toBeGreaterThan(60);
    expect([...read].filter((name) => !names.has(name)).sort(), 'read by the code but not in docs/configuration.md').toEqual([]);
  });
});
