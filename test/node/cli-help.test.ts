// The help text of `cadence`: the list names every command with its description apart from its
// name, every command has its own page (usage, options, examples), and `cadence train` knows every
// model kind of its registry. Run through bin/cadence.js, as a user would.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../cli/build-dist.ts';
import { loadCommands } from '../../cli/commands.ts';
import type { Command } from '../../cli/help.ts';
import { ROOT } from '../../cli/processes.ts';
import { KINDS } from '../../cli/train.ts';

function cadence(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/cadence.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let commands: Record<string, Command>;
beforeAll(async () => {
  await buildDist();
  commands = await loadCommands();
}, 120_000);

describe('cadence --help', () => {
  it('lists every command, its description apart from its name', async () => {
    const { code, stdout } = await cadence('--help');
    expect(code).toBe(0);
    for (const [name, c] of Object.entries(commands)) {
      // Two spaces at least between name and description: `fit-populationfit` was the bug.
      expect(stdout).toMatch(new RegExp(`^  ${name} {2,}${c.describe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  it('an unknown command is an error (exit 2) that lists the commands', async () => {
    const { code, stderr } = await cadence('no-such-command');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command no-such-command/);
    expect(stderr).toMatch(/^ {2}train {2,}/m);
  });
});

describe('per-command --help', () => {
  it('every command prints its usage, its options and examples, and exits 0 without running', async () => {
    const pages = await Promise.all(Object.keys(commands).map(async (name) => [name, await cadence(name, '--help')] as const));
    for (const [name, { code, stdout, stderr }] of pages) {
      expect(code, `${name}: ${stderr}`).toBe(0);
      const c = commands[name]!;
      expect(stdout.startsWith(`usage: cadence ${name}`), `${name}:\n${stdout}`).toBe(true);
      expect(stdout).toContain(c.describe);
      for (const [flag] of c.options ?? []) expect(stdout, name).toContain(`  ${flag}  `);
      expect(stdout, name).toMatch(/\nexamples:\n {2}\S/);
      for (const e of c.examples ?? []) expect(stdout).toContain(`  ${e}\n`);
    }
    // `cadence help <command>` is the same page.
    expect((await cadence('help', 'build')).stdout).toBe(pages.find(([n]) => n === 'build')![1].stdout);
  });

  it('bench and eval list their sub-commands with each one\'s synopsis', async () => {
    const bench = (await cadence('bench', '--help')).stdout;
    expect(bench).toMatch(/^ {2}cadence bench edge \[--duration/m);
    expect(bench).toMatch(/^ {2}cadence bench startup/m);
    const evalPage = (await cadence('eval', '--help')).stdout;
    expect(evalPage).toMatch(/^ {2}cadence eval supervised /m);
    expect(evalPage).not.toMatch(/cadence bench /);
  });
});

describe('cadence train <kind>', () => {
  it('lists every kind of the registry, and each kind has its own page', async () => {
    const kinds = Object.keys(KINDS);
    expect(kinds).toEqual(expect.arrayContaining(['session-model', 'population']));
    const list = await cadence('train', '--help');
    for (const k of kinds) expect(list.stdout).toMatch(new RegExp(`^ {2}${k} {2,}\\S`, 'm'));
    for (const k of kinds) {
      const page = await cadence('train', k, '--help');
      expect(page.code).toBe(0);
      expect(page.stdout.startsWith(`usage: cadence train ${k}`), page.stdout).toBe(true);
      expect(page.stdout).toContain((await KINDS[k]!()).describe);
    }
  });

  it('an unknown or missing kind is an error (exit 2) naming the kinds', async () => {
    const unknown = await cadence('train', 'no-such-model');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown kind no-such-model/);
    for (const k of Object.keys(KINDS)) expect(unknown.stderr).toContain(`  ${k}  `);
    expect((await cadence('train')).code).toBe(2);
  });
});
