// `cadence eval typing-limits [--data DIR] [--json]`: how far a test of "does this session's typing
// depend on its keys" can go on short sessions without challenging people, measured rather than
// argued. The statistic is the one scoring/features/typing-dependence.ts keeps per session: the
// rank-sum z of the intervals where people slow down (a word's first key, a correction, a reach to
// the number row) against the rest; N(0, 1) for a program drawing every interval from one law
// (log-normal, gamma, uniform, normal, any median and spread), growing with sqrt(keys) for a person.
//
// Protocol. People: every Aalto and CMU typist, one session per typist, started at every one of its
// 3-s windows (so a session may begin mid-sentence, as a page's may). A bound a + slope * (sqrt(n) -
// sqrt(20)) on the session's z (n: key pairs so far) flags a window; the session is challenged when
// the flagged windows alone carry the session's evidence over the challenge bound (scoring/
// session-evidence.ts: +5 a flagged window, -0.5 a clean one, challenge at 6.9). For each slope, `a`
// is the highest (on a 0.1 grid) at which no other typist's session, from any start, is challenged
// (left-users-out); the typist left out is then judged with it. Bots: cadence synth's adversarial
// typing families and the held-out red team (bench/lib/heldout-bots.ts), each session from its
// first window, judged with the bound fitted on all the people.
//
// Nothing here is used by the live path; it is the evidence for where its typing test stops.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../scoring/batch.ts';
import { typingDependence } from '../scoring/features/typing-dependence.ts';
import { adversarialSessions, type AdversarialKind } from '../scoring/synth/adversarial.ts';
import { flag, option } from './lib/args.ts';
import { chainBySubject, cut } from './lib/corpus.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { readAalto, readCmu } from './lib/keystroke-data.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const MIN_PAIRS = 20;
const MIN_SWITCH_INFO = 10;
/** A window adds keys of its own before it may be flagged (as session-evidence.ts). */
const WINDOW_PAIRS = 3;
const FLAG = 5;
const CLEAN = -0.5;
const CHALLENGE = 6.9;
const SLOPES = [0, 0.15, 0.3];
const GRID = Array.from({ length: 51 }, (_, i) => Math.round((-3 + i * 0.1) * 10) / 10);

interface WindowSums {
  sw: number;
  swInfo: number;
  pairs: number;
}

const sums = (windows: readonly BatchEvent[][]): WindowSums[] =>
  windows.map((w) => {
    const t = typingDependence(w);
    return { sw: t.sw, swInfo: t.swInfo, pairs: t.hfInfo };
  });

/** Windows from `start` until the signal alone challenges (0: never). */
function windowsToChallenge(ws: readonly WindowSums[], start: number, a: number, slope: number): number {
  let sw = 0;
  let swInfo = 0;
  let n = 0;
  let llr = 0;
  for (let j = start; j < ws.length; j++) {
    const w = ws[j]!;
    sw += w.sw;
    swInfo += w.swInfo;
    n += w.pairs;
    if (w.pairs < WINDOW_PAIRS) continue;
    const judged = n >= MIN_PAIRS && swInfo >= MIN_SWITCH_INFO;
    const flagged = judged && sw / Math.sqrt(swInfo) < a + slope * (Math.sqrt(n) - Math.sqrt(MIN_PAIRS));
    llr = Math.max(0, llr + (flagged ? FLAG : CLEAN));
    if (llr >= CHALLENGE) return j - start + 1;
  }
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const ks = path.join(dir, 'keystroke');
  if (!existsSync(path.join(ks, 'aalto-raw')) || !existsSync(path.join(ks, 'cmu-dsl2009-sessions7-8.csv'))) {
    process.stderr.write(`usage: cadence eval typing-limits [--data DIR] [--json]\n  ${ks} needs aalto-raw/ and cmu-dsl2009-sessions7-8.csv\n`);
    return 2;
  }
  const typists: { set: string; id: string; ws: WindowSums[] }[] = [];
  for (const [set, samples, gapMs] of [
    ['aalto', await readAalto(path.join(ks, 'aalto-raw')), 3000],
    ['cmu', await readCmu(path.join(ks, 'cmu-dsl2009-sessions7-8.csv')), 1500],
  ] as const) {
    for (const [id, events] of chainBySubject(samples, gapMs)) typists.push({ set, id, ws: sums(cut(events)) });
  }
  const bots: Record<string, WindowSums[][]> = {};
  const kinds: AdversarialKind[] = ['lognormal-typing', 'gamma-typing', 'scripted-type-random', 'human-mix'];
  for (const kind of kinds) bots[kind] = adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => sums(s.batches.map((b) => b.events)));
  for (const s of heldoutSessions(40, 7)) if (s.family.endsWith('-typing')) (bots[`heldout:${s.family}`] ??= []).push(sums(s.pages.flatMap((p) => cut(p.events))));

  const rows = SLOPES.map((slope) => {
    // Per typist: the highest bound at which none of its sessions (any start) is challenged.
    const safe = typists.map((t) => {
      let hi = GRID[0]! - 0.1;
      for (const a of GRID) {
        if (t.ws.some((_, s) => windowsToChallenge(t.ws, s, a, slope) > 0)) break;
        hi = a;
      }
      return hi;
    });
    let typistsChallenged = 0;
    let startsChallenged = 0;
    let starts = 0;
    typists.forEach((t, u) => {
      const a = Math.min(...safe.filter((_, i) => i !== u));
      let any = false;
      for (let s = 0; s < t.ws.length; s++) {
        starts++;
        if (windowsToChallenge(t.ws, s, a, slope) > 0) {
          startsChallenged++;
          any = true;
        }
      }
      if (any) typistsChallenged++;
    });
    const a = Math.min(...safe);
    const botRates = Object.fromEntries(
      Object.entries(bots).map(([k, v]) => [k, { sessions: v.length, challenged_pct: +((100 * v.filter((w) => windowsToChallenge(w, 0, a, slope) > 0).length) / v.length).toFixed(1) }]),
    );
    // What people would pay for catching most bots: the lowest bound at which 90 % of the held-out
    // i.i.d. sessions (uniform and normal draws) are challenged, and the people challenged at it.
    const iid = [...(bots['heldout:uniform-iid-typing'] ?? []), ...(bots['heldout:normal-iid-typing'] ?? [])];
    const catchA = [...GRID, 3.1, 3.5, 4, 5].find((x) => iid.filter((w) => windowsToChallenge(w, 0, x, slope) > 0).length >= 0.9 * iid.length);
    let cost: { a: number; typists_challenged: number; starts_challenged_pct: number } | null = null;
    if (catchA !== undefined) {
      let st = 0;
      let ty = 0;
      for (const t of typists) {
        const hit = t.ws.map((_, s) => windowsToChallenge(t.ws, s, catchA, slope) > 0);
        st += hit.filter(Boolean).length;
        if (hit.some(Boolean)) ty++;
      }
      cost = { a: catchA, typists_challenged: ty, starts_challenged_pct: +((100 * st) / starts).toFixed(1) };
    }
    return { slope, bound_a: a, louo: { typists: typists.length, typists_challenged: typistsChallenged, starts, starts_challenged: startsChallenged }, bots: botRates, to_catch_90pct_of_iid: cost };
  });
  const pairsPerSession = Object.fromEntries(Object.entries(bots).map(([k, v]) => [k, Math.round(v.reduce((s, w) => s + w.reduce((t, x) => t + x.pairs, 0), 0) / v.length)]));
  const result = {
    protocol: 'session z of slow-context intervals; bound a + slope*(sqrt(n)-sqrt(20)); a = highest value at which no other typist (Aalto 7, CMU 51) is challenged from any start window (left-users-out); a session is challenged when the flagged windows alone reach the challenge bound',
    bot_key_pairs_per_session: pairsPerSession,
    rows,
  };
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  else {
    process.stdout.write(`${result.protocol}\nkey pairs per bot session: ${Object.entries(pairsPerSession).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
    for (const r of rows) {
      process.stdout.write(`slope ${r.slope}: a = ${r.bound_a}; people left out: ${r.louo.typists_challenged}/${r.louo.typists} typists, ${r.louo.starts_challenged}/${r.louo.starts} starts challenged\n`);
      for (const [k, v] of Object.entries(r.bots)) process.stdout.write(`  ${k.padEnd(36)} ${String(v.sessions).padStart(3)} sessions  challenged ${v.challenged_pct}%\n`);
      const c = r.to_catch_90pct_of_iid;
      process.stdout.write(c ? `  to challenge 90 % of the held-out i.i.d. sessions: a = ${c.a}, which challenges ${c.typists_challenged}/${r.louo.typists} typists (${c.starts_challenged_pct} % of starts)\n` : '  no bound on the grid challenges 90 % of the held-out i.i.d. sessions\n');
    }
  }
  return 0;
}
