// `cadence synth --users N --sessions M --out DIR [--impostors K] [--bots B] [--bot-kinds a,b] [--seed S]`:
// writes synthetic sessions (one JSON array of event batches per session) and a manifest with labels.
// --bot-kinds picks the bot families the bot sessions rotate through: names from BOT_KINDS and
// ADVERSARIAL_KINDS (scoring/synth/adversarial.ts), or `classic` (the old six), `adversarial` (the
// human-like families) or `all`. Without it, the old six rotate as before.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { intOption, option } from '../bench/lib/args.ts';
import { ADVERSARIAL_KINDS, ALL_BOT_KINDS, corpusSessions, isBotKind, type AnyBotKind } from '../scoring/synth/adversarial.ts';
import { BOT_KINDS, synthSessions } from '../scoring/synth/generate.ts';
import type { Command } from './help.ts';

const USAGE = `usage: cadence synth --users N --sessions M --out DIR [--impostors K] [--bots B] [--bot-kinds a,b,...] [--seed S]
  bot kinds: ${ALL_BOT_KINDS.join(', ')}; or classic, adversarial, all
`;

/** `--bot-kinds` as a list of kinds; groups expand, unknown names are an error. */
export function parseBotKinds(raw: string): AnyBotKind[] {
  const out: AnyBotKind[] = [];
  for (const name of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (name === 'all') out.push(...ALL_BOT_KINDS);
    else if (name === 'classic') out.push(...BOT_KINDS);
    else if (name === 'adversarial') out.push(...ADVERSARIAL_KINDS);
    else if (isBotKind(name)) out.push(name);
    else throw new Error(`--bot-kinds: unknown kind ${name}; known: ${ALL_BOT_KINDS.join(', ')} (or classic, adversarial, all)`);
  }
  if (!out.length) throw new Error('--bot-kinds needs at least one kind');
  return [...new Set(out)];
}

export const command: Command = {
  describe: 'write synthetic sessions (genuine, impostor, bot) in the batch format, with a manifest',
  usage: 'cadence synth --users N --sessions M --out DIR [--impostors K] [--bots B] [--bot-kinds a,b,...] [--seed S]',
  options: [
    ['--users N', 'synthetic people'],
    ['--sessions M', 'genuine sessions per person'],
    ['--out DIR', 'where the session files and manifest.json go'],
    ['--impostors K', 'impostor sessions per person (default 1)'],
    ['--bots B', 'bot sessions per person (default 1)'],
    ['--bot-kinds a,b', `bot families the bots rotate through: ${ALL_BOT_KINDS.join(', ')}; or classic, adversarial, all (default classic)`],
    ['--seed S', 'seed (default 1); the same seed writes the same files'],
  ],
  examples: ['cadence synth --users 20 --sessions 5 --out /tmp/synth', 'cadence synth --users 10 --sessions 3 --bots 2 --bot-kinds adversarial --out /tmp/adv'],
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
    const kindsRaw = option(argv, 'bot-kinds') ?? option(argv, 'bots-kinds');
    let botKinds: AnyBotKind[] = [...BOT_KINDS];
    try {
      if (kindsRaw !== undefined) botKinds = parseBotKinds(kindsRaw);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n${USAGE}`);
      return 2;
    }
    await mkdir(out, { recursive: true });
    const manifest = [];
    const started = performance.now();
    // Without --bot-kinds the output is byte for byte what it was before the adversarial families.
    const generated = kindsRaw === undefined ? synthSessions({ users, sessions, impostors, bots, seed }) : corpusSessions({ users, sessions, impostors, bots, seed, botKinds });
    for (const s of generated) {
      const file = `${s.sessionId}.json`;
      await writeFile(path.join(out, file), `${JSON.stringify(s.batches)}\n`);
      const events = s.batches.reduce((n, b) => n + b.events.length, 0);
      manifest.push({ file, sessionId: s.sessionId, user: s.user, kind: s.kind, actor: s.actor, ...(s.bot ? { bot: s.bot } : {}), ...('source' in s && s.source ? { replay_of: (s.source as { sessionId: string }).sessionId } : {}), index: s.index, batches: s.batches.length, events });
      if (manifest.length % 100 === 0) process.stderr.write(`  ${manifest.length} sessions, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const summary = { seed, users, sessions_per_user: sessions, impostors_per_user: impostors, bots_per_user: bots, bot_kinds: botKinds, total: manifest.length };
    await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify({ ...summary, sessions: manifest }, null, 1)}\n`);
    process.stderr.write(`wrote ${manifest.length} sessions and manifest.json to ${out}\n`);
    process.stdout.write(`${JSON.stringify({ ...summary, out })}\n`);
    return 0;
  },
};
