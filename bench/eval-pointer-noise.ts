// `cadence eval pointer-noise [--data DIR] [--json]`: how the jittered_path signal
// (scoring/features/pointer-noise.ts) behaves on people and bots, window by window. People: the
// Balabit sessions per user (the one public people set for the pointer), cut as `eval sessions` cuts
// them, and cadence synth's genuine users (a second, synthetic set); bots: the adversarial families.
// Per user: windows, windows the signal could judge (fine, regular sampling), windows it fired on,
// the largest roughness, and the threshold left-users-out would give (1.5 x the largest roughness
// of the other users, never under the sensor bound the rule uses) with the windows it would fire on.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../scoring/batch.ts';
import { pointerNoise, POINTER_NOISE_RULES } from '../scoring/features/pointer-noise.ts';
import { ADVERSARIAL_KINDS, adversarialSessions } from '../scoring/synth/adversarial.ts';
import { synthSessions } from '../scoring/synth/generate.ts';
import { flag, option } from './lib/args.ts';
import { cut } from './lib/corpus.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
/** Roughness the rule treats as a sensor's own grain at most (3 px counts): the floor of any fitted threshold. */
const SENSOR_BOUND = 3;

interface Group {
  name: string;
  sessions: number;
  windows: number;
  judged: number;
  fired: number;
  /** Sessions with at least one, and at least two, windows fired on (two challenge). */
  sessionsFired: number;
  sessionsFiredTwice: number;
  maxRoughness: number | null;
  /** People only: the left-users-out threshold and the windows it fires on. */
  louoThreshold?: number;
  louoFired?: number;
}

function measure(name: string, sessions: BatchEvent[][][], threshold: number): Group & { roughness: number[] } {
  const g = { name, sessions: sessions.length, windows: 0, judged: 0, fired: 0, sessionsFired: 0, sessionsFiredTwice: 0, maxRoughness: null as number | null, roughness: [] as number[] };
  for (const windows of sessions) {
    let fired = 0;
    for (const w of windows) {
      g.windows++;
      const r = pointerNoise(w);
      if (!r.judged) continue;
      g.judged++;
      g.roughness.push(r.roughness);
      g.maxRoughness = Math.max(g.maxRoughness ?? -Infinity, r.roughness);
      if (r.roughness > threshold * Math.max(1, r.grid) ** 2) fired++; // the bound grows with the grid, as the live rule's (roughnessLimit)
    }
    g.fired += fired;
    if (fired >= 1) g.sessionsFired++;
    if (fired >= 2) g.sessionsFiredTwice++;
  }
  return g;
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  if (!existsSync(mouseDir)) {
    process.stderr.write(`usage: cadence eval pointer-noise [--data DIR] [--json]\n  ${mouseDir} does not exist\n`);
    return 2;
  }
  const threshold = POINTER_NOISE_RULES.maxRoughness;
  const byUser = new Map<string, BatchEvent[][][]>();
  for (const f of await listSessions(mouseDir)) byUser.set(f.user, [...(byUser.get(f.user) ?? []), cut(await readBalabitSession(f.file))]);
  const users = [...byUser].map(([u, s]) => measure(`balabit ${u}`, s, threshold));
  for (const u of users) {
    const others = users.filter((v) => v !== u).flatMap((v) => v.roughness);
    u.louoThreshold = Math.max(SENSOR_BOUND, 1.5 * Math.max(...others, 0));
    u.louoFired = u.roughness.filter((r) => r > u.louoThreshold!).length;
  }
  const synthPeople = [...synthSessions({ users: 40, sessions: 3, impostors: 0, bots: 0, seed: 7 })].map((s) => s.batches.map((b) => b.events));
  const people = [...users, measure('synth genuine users', synthPeople, threshold)];
  const bots = ADVERSARIAL_KINDS.map((kind) => measure(kind, adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => s.batches.map((b) => b.events)), threshold));
  const strip = ({ roughness: _r, ...g }: Group & { roughness: number[] }) => g;
  const result = { threshold, rules: POINTER_NOISE_RULES, people: people.map(strip), bots: bots.map(strip) };
  if (flag(argv, 'json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)} %` : '-');
  const line = (g: Group) =>
    `  ${g.name.padEnd(22)} ${String(g.sessions).padStart(3)} sessions ${String(g.windows).padStart(6)} windows  judged ${String(g.judged).padStart(5)}  fired ${String(g.fired).padStart(4)} (${pct(g.fired, g.windows)} of windows, ${pct(g.fired, g.judged)} of judged)  max ${g.maxRoughness ?? '-'}  sessions fired ${g.sessionsFired} (twice ${g.sessionsFiredTwice})` +
    (g.louoThreshold !== undefined ? `  left-out threshold ${g.louoThreshold.toFixed(2)}: fired ${g.louoFired}` : '');
  process.stdout.write(`jittered_path, roughness threshold ${threshold} px^2\npeople\n${people.map(line).join('\n')}\nbots\n${bots.map(line).join('\n')}\n`);
  return 0;
}
