// `cadence synth --users N --sessions M --out DIR [--impostors K] [--bots B] [--seed S]`: writes
// synthetic sessions (one JSON array of event batches per session) and a manifest with labels.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { intOption, option } from '../bench/lib/args.ts';
import { synthSessions } from '../scoring/synth/generate.ts';

const USAGE = 'usage: cadence synth --users N --sessions M --out DIR [--impostors K] [--bots B] [--seed S]\n';

export const command = {
  describe: 'write synthetic sessions (genuine, impostor, bot) in the batch format, with a manifest',
  async run(argv: string[]): Promise<number> {
    const out = option(argv, 'out');
    if (!out || !option(argv, 'users') || !option(argv, 'sessions')) {
      process.stderr.write(USAGE);
      return 2;
    }
    const users = intOption(argv, 'users', 1);
    const sessions = intOption(argv, 'sessions', 1);
    // 0 is a meaningful count here, so these are read by hand.
    const count = (name: string, fallback: number) => {
      const raw = option(argv, name);
      const v = raw === undefined ? fallback : Number(raw);
      if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
      return v;
    };
    const impostors = count('impostors', 1);
    const bots = count('bots', 1);
    const seed = count('seed', 1);
    await mkdir(out, { recursive: true });
    const manifest = [];
    const started = performance.now();
    for (const s of synthSessions({ users, sessions, impostors, bots, seed })) {
      const file = `${s.sessionId}.json`;
      await writeFile(path.join(out, file), `${JSON.stringify(s.batches)}\n`);
      const events = s.batches.reduce((n, b) => n + b.events.length, 0);
      manifest.push({ file, sessionId: s.sessionId, user: s.user, kind: s.kind, actor: s.actor, ...(s.bot ? { bot: s.bot } : {}), index: s.index, batches: s.batches.length, events });
      if (manifest.length % 100 === 0) process.stderr.write(`  ${manifest.length} sessions, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const summary = { seed, users, sessions_per_user: sessions, impostors_per_user: impostors, bots_per_user: bots, total: manifest.length };
    await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify({ ...summary, sessions: manifest }, null, 1)}\n`);
    process.stderr.write(`wrote ${manifest.length} sessions and manifest.json to ${out}\n`);
    process.stdout.write(`${JSON.stringify({ ...summary, out })}\n`);
    return 0;
  },
};
