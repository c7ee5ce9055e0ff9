// The synthetic generator: every batch is one the edge accepts, a seed reproduces everything,
// users keep their own rhythm, and each kind of bot is caught by the automation signals and the
// edge's pre-score while genuine people are let through.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import population from '../../scoring/population-keystroke.json' with { type: 'json' };
import { LIMITS, parseBatch, type BatchEvent } from '../../scoring/batch.ts';
import { automationSignals, type AutomationSignal } from '../../scoring/features/automation.ts';
import { keystrokeFeatures } from '../../scoring/features/keystroke.ts';
import { createPreScorer } from '../../scoring/prescore.ts';
import type { Profile } from '../../scoring/profile.ts';
import { BOT_KINDS, genuineSession, synthSessions, synthUsers, type BotKind, type SynthSession } from '../../scoring/synth/generate.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { loadKernels } from '../../wasm/node.ts';
import { command as synthCommand } from '../../cli/synth.ts';

const all = [...synthSessions({ users: 12, sessions: 6, impostors: 2, bots: 2, seed: 11 })];

/** Events per page: each page has its own clock (performance.now() starts again). */
function pages(s: SynthSession): BatchEvent[][] {
  const by = new Map<string, BatchEvent[]>();
  for (const b of s.batches) by.set(b.context!.page!, [...(by.get(b.context!.page!) ?? []), ...b.events]);
  return [...by.values()];
}

// A replay of a person on a fixed 16 ms timer is not caught by one window's rules: pointer intervals
// on a 16 ms clock are any 60 Hz mouse's, and a login field has too few keys for the timing rules.
// Catching it needs the session's similarity to stored sessions (issue 17), which does not exist yet.
const SIGNAL_OF: Record<Exclude<BotKind, 'replay'>, AutomationSignal> = {
  'zero-interval': 'superhuman_typing',
  'constant-interval': 'zero_variance_timing',
  'straight-path': 'straight_path',
  teleport: 'teleport',
  'rapid-clicks': 'rapid_clicks',
};

describe('synthetic sessions', () => {
  it('produce only batches the edge accepts, within its limits', () => {
    expect(all.length).toBe(12 * (6 + 2 + 2));
    for (const s of all) {
      expect(s.batches.length).toBeGreaterThan(0);
      s.batches.forEach((b, seq) => {
        const body = JSON.stringify(b);
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64 * 1024);
        expect(b.events.length).toBeLessThanOrEqual(LIMITS.maxEvents);
        expect(b.seq).toBe(seq);
        const r = parseBatch(JSON.parse(body));
        if (!r.ok) throw new Error(`${b.batchId}: ${r.problem.field} ${r.problem.message}`);
      });
    }
  });

  it('cover genuine users, impostors and every bot kind', () => {
    expect(new Set(all.map((s) => s.kind))).toEqual(new Set(['genuine', 'impostor', 'bot']));
    expect(new Set(all.filter((s) => s.bot).map((s) => s.bot))).toEqual(new Set(BOT_KINDS));
    // Impostors type the very fields of the account they claim: same key classes in the same order.
    // Corrections are key, backspace, key again: drop each backspace and the key it erased.
    const classes = (s: SynthSession, field: string) => {
      const out: (string | undefined)[] = [];
      for (const e of s.batches.flatMap((b) => b.events)) {
        if (e.type !== 'keydown' || e.field !== field) continue;
        if (e.keyClass === 'backspace') out.pop();
        else out.push(e.keyClass);
      }
      return out;
    };
    const owner = all.find((s) => s.user === 'user3' && s.kind === 'genuine')!;
    const impostor = all.find((s) => s.user === 'user3' && s.kind === 'impostor')!;
    expect(impostor.actor).not.toBe('user3');
    expect(classes(impostor, 'password')).toEqual(classes(owner, 'password'));
  });

  it('are reproduced exactly by the same seed and differ under another', () => {
    const again = [...synthSessions({ users: 12, sessions: 6, impostors: 2, bots: 2, seed: 11 })];
    expect(JSON.stringify(again)).toBe(JSON.stringify(all));
    const other = [...synthSessions({ users: 12, sessions: 6, impostors: 2, bots: 2, seed: 12 })];
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(all));
  });

  it('give each user a rhythm of their own: sessions are closer to their own user than to others', () => {
    const genuine = all.filter((s) => s.kind === 'genuine');
    const vec = (s: SynthSession) => {
      const v = keystrokeFeatures(s.batches.flatMap((b) => b.events).filter((e) => e.field === 'password' || e.field === 'username')).vector;
      return [0, 2].map((j) => Math.log(v[j]!)); // hold mean, keydown-keydown mean
    };
    const users = [...new Set(genuine.map((s) => s.user))];
    // Enrol on the first 3 sessions, identify the other 3 by the nearest user centroid.
    const centroid = new Map(users.map((u) => {
      const vs = genuine.filter((s) => s.user === u && s.index < 3).map(vec);
      return [u, [0, 1].map((j) => vs.reduce((a, v) => a + v[j]!, 0) / vs.length)];
    }));
    const tests = genuine.filter((s) => s.index >= 3);
    const right = tests.filter((s) => {
      const v = vec(s);
      let best = '';
      let bestD = Infinity;
      for (const [u, c] of centroid) {
        const d = Math.hypot(...v.map((x, j) => x - c[j]!));
        if (d < bestD) [best, bestD] = [u, d];
      }
      return best === s.user;
    }).length;
    // Chance is 1 in 12.
    expect(right / tests.length).toBeGreaterThan(0.5);
  });

  it("drift slowly: over many sessions a user's latencies move the way their drift says", () => {
    const users = synthUsers(12, 11).filter((u) => Math.abs(u.person.drift) > 0.003);
    expect(users.length).toBeGreaterThan(2);
    for (const user of users) {
      const rng = new Rng(99);
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = 0; i < 60; i++) {
        xs.push(i);
        ys.push(Math.log(keystrokeFeatures(genuineSession(user, i, rng).batches.flatMap((b) => b.events)).vector[2]!));
      }
      const mx = xs.reduce((a, v) => a + v, 0) / xs.length;
      const my = ys.reduce((a, v) => a + v, 0) / ys.length;
      const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
      expect(Math.sign(slope), user.person.id).toBe(Math.sign(user.person.drift));
      // Slow: well under 2 % per session.
      expect(Math.abs(slope)).toBeLessThan(0.02);
    }
  });

  it('bots raise their own automation signal; genuine people and impostors raise none', () => {
    for (const s of all) {
      const raised = new Set(pages(s).flatMap((ev) => automationSignals(ev).signals));
      if (s.bot === 'replay') continue;
      if (s.bot) expect([...raised], `${s.sessionId}`).toContain(SIGNAL_OF[s.bot as keyof typeof SIGNAL_OF]);
      else expect([...raised], `${s.sessionId}`).toEqual([]);
    }
  });

  it("are judged by the edge's pre-score: bots never allowed, people allowed", async () => {
    const kernels = await loadKernels();
    const scorer = createPreScorer(population as Profile, kernels.scaledManhattan);
    let humanBatches = 0;
    let humanAllowed = 0;
    for (const s of all) {
      const judged = s.batches.map((b) => scorer.score(b.events)).filter((a) => a.judged);
      expect(judged.length, s.sessionId).toBeGreaterThan(0);
      if (s.bot === 'replay') continue; // see SIGNAL_OF
      if (s.bot) {
        for (const a of judged) expect(a.decision, `${s.sessionId} ${a.reasons.join(',')}`).not.toBe('allow');
        // Every bot kind raises an automation signal, which the pre-score fuses: challenge or block.
        for (const a of judged) expect(['challenge', 'block'], `${s.sessionId} (${s.bot}) ${a.reasons.join(',')}`).toContain(a.decision);
      } else {
        humanBatches += judged.length;
        humanAllowed += judged.filter((a) => a.decision === 'allow').length;
      }
    }
    expect(humanAllowed / humanBatches).toBeGreaterThan(0.9);
  });
});

describe('cadence synth', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes one JSON array of batches per session and a manifest with labels', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'cadence-synth-'));
    dirs.push(out);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await synthCommand.run(['--users', '2', '--sessions', '3', '--bots', '3', '--out', out, '--seed', '5'])).toBe(0);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as { total: number; sessions: { file: string; kind: string; user: string; bot?: string; batches: number }[] };
    expect(manifest.total).toBe(2 * (3 + 1 + 3));
    expect(manifest.sessions.filter((s) => s.kind === 'genuine')).toHaveLength(6);
    expect(manifest.sessions.filter((s) => s.kind === 'bot').every((s) => BOT_KINDS.includes(s.bot as BotKind))).toBe(true);
    for (const s of manifest.sessions) {
      const batches = JSON.parse(await readFile(path.join(out, s.file), 'utf8')) as unknown[];
      expect(batches).toHaveLength(s.batches);
      for (const b of batches) expect(parseBatch(b).ok).toBe(true);
    }
  });

  it('refuses to run without its required options', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await synthCommand.run(['--users', '2'])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
  });
});
