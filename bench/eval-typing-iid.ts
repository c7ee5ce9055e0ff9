// `cadence eval typing-iid [--data DIR] [--keys 60] [--contexts] [--json]`: exploration for issue 17
// (not used by the live path): which session-level statistics of key timings separate people from
// programs that draw their timings i.i.d., by a test whose null is exact whatever the law.
//
// Two kinds of program. Flight-scheduled (synth lognormal-typing, gamma-typing, scripted-type-random:
// sleep a hold, sleep a flight): the hold sequence and the flight sequence are independent, each
// i.i.d. Keydown-scheduled (the held-out uniform and normal families, and `dev:keydown-scheduled`
// below, written here for development: a keydown every gap, each key up on its own timer): the hold
// sequence and the keydown-to-keydown (dd) sequence are independent. Under both, dd and hold are each
// i.i.d. and ignore the key classes, so a statistic of dd (or of holds) against the classes is
// exact under both; one coupling hold to flight (or to dd) is exact under one schedule only.
//
// Statistics, per 3-s window (ranks within it) summed over the session as the live test sums them,
// each a z that is N(0, 1) under its null (Spearman: rho sqrt(n - 1); rank sums; Bartels 1982):
//   sw    dd at slow contexts (a word's first key, into and out of a correction, letter-digit): live
//   sw+   sw with a reach from a letter to punctuation or Enter counted slow as well
//   hf    Spearman(hold_i, flight_i), the next flight after a hold: live (flight-scheduled null)
//   hd    Spearman(hold_i, dd_i) (keydown-scheduled null)
//   xhf   Spearman(hold_i+1, flight_i), a key's hold against the flight into it (flight-scheduled null)
//   xhd   Spearman(hold_i+1, dd_i) (keydown-scheduled null)
//   hsp   rank sum of space holds against letter holds
//   hdg   rank sum of digit holds against letter holds (CMU's one digit, '5': held shorter)
//   vnd   Bartels' rank von Neumann test of dd (serial dependence, positive = bursts)
//   vnh   the same for holds
// and their Stouffer sums: live = (sw - hf)/sqrt2 (scoring/features/typing-dependence.ts), live+x =
// (sw - hf - xhf)/sqrt3, live+ = (sw+ - hf)/sqrt2, live+dg = (sw - hf - hdg)/sqrt3, kd = (sw + hd)/sqrt2, kd+x = (sw+ - xhd)/sqrt2.
//
// People: every Aalto, CMU and Kaggle typist, one session each (samples chained), and from it every
// stretch of `--keys` key pairs starting at each window (a session may begin anywhere). Reported: the
// share of each typist's pairs that rolled over, and per statistic the people's 1st / 5th / 50th /
// 95th / 99th percentiles over those stretches; per bot family the 5th / 50th / 95th percentiles over
// its whole sessions (a login and a transfer page, about 50 pairs). `--contexts`: the mean normalised
// rank of dd per class context and of holds per class (Aalto and CMU), the evidence behind sw+.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent, KeyClass } from '../scoring/batch.ts';
import { strokesOf } from '../scoring/features/free-text.ts';
import { TYPING_DEPENDENCE_RULES, slowContext } from '../scoring/features/typing-dependence.ts';
import { Rng } from '../scoring/models/rng.ts';
import { adversarialSessions, type AdversarialKind } from '../scoring/synth/adversarial.ts';
import { flag, intOption, option } from './lib/args.ts';
import { chainBySubject, cut } from './lib/corpus.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { readAalto, readCmu, readPressRelease } from './lib/keystroke-data.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));

/** Consecutive keystrokes as the live test pairs them (modifiers left out, pauses and 'other' keys break the chain). */
interface Pair {
  hold: number;
  flight: number;
  dd: number;
  a: KeyClass;
  b: KeyClass;
  overlap: boolean;
}

function pairsOf(events: readonly BatchEvent[]): Pair[] {
  const s = strokesOf(events).filter((x) => x.cls !== 'shift' && x.cls !== 'modifier');
  const out: Pair[] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    const a = s[i]!;
    const b = s[i + 1]!;
    const gap = b.down - a.down;
    if (!(gap > 0 && gap <= TYPING_DEPENDENCE_RULES.pauseMs) || !Number.isFinite(a.up) || a.cls === 'other' || b.cls === 'other') continue;
    out.push({ hold: a.up - a.down, flight: b.down - a.up, dd: gap, a: a.cls, b: b.cls, overlap: b.down < a.up });
  }
  return out;
}

/** Mid-ranks, 1-based. */
function ranks(v: readonly number[]): number[] {
  const idx = v.map((_, i) => i).sort((i, j) => v[i]! - v[j]!);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** A window's share of a session statistic: its centred numerator and null variance (z = sum num / sqrt(sum v)). */
interface Part {
  num: number;
  v: number;
}
const NONE: Part = { num: 0, v: 0 };

function spearman(x: readonly number[], y: readonly number[]): Part {
  const n = x.length;
  if (n < TYPING_DEPENDENCE_RULES.minPairs) return NONE;
  const rx = ranks(x);
  const ry = ranks(y);
  const m = (n + 1) / 2;
  let c = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    c += (rx[i]! - m) * (ry[i]! - m);
    vx += (rx[i]! - m) ** 2;
    vy += (ry[i]! - m) ** 2;
  }
  return vx > 0 && vy > 0 ? { num: (c / Math.sqrt(vx * vy)) * (n - 1), v: n - 1 } : NONE;
}

function rankSum(x: readonly number[], selected: readonly boolean[]): Part {
  const n = x.length;
  if (n < TYPING_DEPENDENCE_RULES.minPairs) return NONE;
  const r = ranks(x);
  let n1 = 0;
  let r1 = 0;
  for (let i = 0; i < n; i++) {
    if (!selected[i]) continue;
    n1++;
    r1 += r[i]!;
  }
  const n2 = n - n1;
  return n1 && n2 ? { num: r1 - (n1 * (n + 1)) / 2, v: (n1 * n2 * (n + 1)) / 12 } : NONE;
}

/** Bartels (1982): 2 - RVN, positive when neighbours are alike; mean 0 and the variance below under i.i.d. */
function bartels(x: readonly number[]): Part {
  const n = x.length;
  if (n < 6) return NONE;
  const r = ranks(x);
  const m = (n + 1) / 2;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += (r[i]! - m) ** 2;
    if (i + 1 < n) num += (r[i]! - r[i + 1]!) ** 2;
  }
  if (!(den > 0)) return NONE;
  const v = (4 * (n - 2) * (5 * n * n - 2 * n - 9)) / (5 * n * (n + 1) * (n - 1) ** 2);
  // Inverse-variance weights, so that the session's z pools windows of different lengths.
  return { num: (2 - num / den) / v, v: 1 / v };
}

const reach = (p: Pair) => slowContext(p.a, p.b) || (p.a === 'letter' && (p.b === 'punctuation' || p.b === 'enter'));

const BASE = ['sw', 'sw+', 'hf', 'hd', 'xhf', 'xhd', 'hsp', 'hdg', 'vnd', 'vnh'] as const;
type Base = (typeof BASE)[number];
/** Stouffer sums: statistic and sign (+1 when a person's value is high). */
const SUMS: Record<string, [Base, number][]> = {
  live: [['sw', 1], ['hf', -1]],
  'live+x': [['sw', 1], ['hf', -1], ['xhf', -1]],
  'live+': [['sw+', 1], ['hf', -1]],
  kd: [['sw', 1], ['hd', 1]],
  'live+dg': [['sw', 1], ['hf', -1], ['hdg', -1]],
  'kd+x': [['sw+', 1], ['xhd', -1]],
};

function windowParts(p: readonly Pair[]): Record<Base, Part> {
  const dd = p.map((x) => x.dd);
  const hold = p.map((x) => x.hold);
  const flight = p.map((x) => x.flight);
  const ls = p.filter((x) => x.a === 'letter' || x.a === 'space');
  const ld = p.filter((x) => x.a === 'letter' || x.a === 'digit');
  return {
    sw: rankSum(dd, p.map((x) => slowContext(x.a, x.b))),
    'sw+': rankSum(dd, p.map(reach)),
    hf: spearman(hold, flight),
    hd: spearman(hold, dd),
    xhf: spearman(hold.slice(1), flight.slice(0, -1)),
    xhd: spearman(hold.slice(1), dd.slice(0, -1)),
    hsp: rankSum(ls.map((x) => x.hold), ls.map((x) => x.a === 'space')),
    hdg: rankSum(ld.map((x) => x.hold), ld.map((x) => x.a === 'digit')),
    vnd: bartels(dd),
    vnh: bartels(hold),
  };
}

interface Sess {
  windows: Record<Base, Part>[];
  pairs: number[];
  overlaps: number;
  total: number;
}

function session(windows: readonly BatchEvent[][]): Sess {
  const ps = windows.map(pairsOf);
  const all = ps.flat();
  return { windows: ps.map(windowParts), pairs: ps.map((p) => p.length), overlaps: all.filter((x) => x.overlap).length, total: all.length };
}

function z(ws: readonly Record<Base, Part>[], s: string): number {
  const terms = SUMS[s];
  if (terms) return terms.reduce((a, [k, w]) => a + w * z(ws, k), 0) / Math.sqrt(terms.length);
  let num = 0;
  let v = 0;
  for (const w of ws) {
    num += w[s as Base].num;
    v += w[s as Base].v;
  }
  return v > 0 ? num / Math.sqrt(v) : NaN;
}

/** Stretches of a session starting at each window, `keys` pairs long. */
function stretches(s: Sess, keys: number): Record<Base, Part>[][] {
  const out: Record<Base, Part>[][] = [];
  for (let st = 0; st < s.windows.length; st++) {
    let n = 0;
    let e = st;
    while (e < s.windows.length && n < keys) n += s.pairs[e++]!;
    if (n >= keys) out.push(s.windows.slice(st, e));
  }
  return out;
}

const quantiles = (v: readonly number[], ps: readonly number[]) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return ps.map((p) => (s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2) : null));
};

/** A keydown-scheduled bot for development (the held-out ones are the check): log-normal gaps, holds on their own timer. */
function keydownScheduled(windows: readonly BatchEvent[][], rng: Rng): BatchEvent[][] {
  const gap = 150 + 100 * rng.float();
  const hold = 80 + 40 * rng.float();
  return windows.map((w) => {
    let t = w[0]?.t ?? 0;
    const out: BatchEvent[] = [];
    for (const e of w) {
      if (e.type !== 'keydown') continue;
      t += gap * Math.exp(0.4 * rng.normal());
      out.push({ ...e, t: Math.round(t * 10) / 10 }, { ...e, type: 'keyup', t: Math.round((t + hold * Math.exp(0.25 * rng.normal())) * 10) / 10 });
    }
    return out.sort((a, b) => a.t - b.t);
  });
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const keys = intOption(argv, 'keys', 60);
  const ks = path.join(dir, 'keystroke');
  const files = ['aalto-raw', 'cmu-dsl2009-sessions7-8.csv', 'kaggle110-press-release.csv'];
  if (files.some((f) => !existsSync(path.join(ks, f)))) {
    process.stderr.write(`usage: cadence eval typing-iid [--data DIR] [--keys 60] [--contexts] [--json]\n  ${ks} needs ${files.join(', ')}\n`);
    return 2;
  }
  const samples = {
    aalto: [await readAalto(path.join(ks, files[0]!)), 3000] as const,
    cmu: [await readCmu(path.join(ks, files[1]!)), 1500] as const,
    kaggle: [await readPressRelease(path.join(ks, files[2]!)), 1500] as const,
  };
  const people: Record<string, BatchEvent[][][]> = {};
  for (const [set, [s, gap]] of Object.entries(samples)) people[set] = [...chainBySubject(s, gap).values()].map((ev) => cut(ev));

  const bots: Record<string, BatchEvent[][][]> = {};
  for (const kind of ['lognormal-typing', 'gamma-typing', 'scripted-type-random', 'human-mix'] as AdversarialKind[]) {
    bots[kind] = adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => s.batches.map((b) => b.events));
  }
  const rng = new Rng(11);
  bots['dev:keydown-scheduled'] = adversarialSessions({ kind: 'lognormal-typing', count: 40, seed: 11 }).map((s) => keydownScheduled(s.batches.map((b) => b.events), rng));
  for (const s of heldoutSessions(40, 7)) if (s.family.endsWith('-typing')) (bots[`heldout:${s.family}`] ??= []).push(s.pages.flatMap((p) => cut(p.events)));

  const stats = [...BASE, ...Object.keys(SUMS)];
  const result: Record<string, unknown> = { keys_per_stretch: keys, rollover: {}, people: {}, bots: {} };
  for (const [set, sessions] of Object.entries(people)) {
    const ss = sessions.map(session);
    const shares = ss.map((s) => s.overlaps / Math.max(1, s.total));
    (result.rollover as Record<string, unknown>)[set] = { typists: ss.length, without_any: shares.filter((x) => x === 0).length, share_p10_p50_p90: quantiles(shares, [0.1, 0.5, 0.9]) };
    const parts = ss.flatMap((s) => stretches(s, keys));
    (result.people as Record<string, unknown>)[set] = { stretches: parts.length, ...Object.fromEntries(stats.map((st) => [st, quantiles(parts.map((p) => z(p, st)), [0.01, 0.05, 0.5, 0.95, 0.99])])) };
  }
  for (const [k, sessions] of Object.entries(bots)) {
    const ss = sessions.map(session);
    (result.bots as Record<string, unknown>)[k] = {
      sessions: ss.length,
      median_pairs: quantiles(ss.map((s) => s.total), [0.5])[0],
      rolled_over: ss.filter((s) => s.overlaps > 0).length,
      ...Object.fromEntries(stats.map((st) => [st, quantiles(ss.map((s) => z(s.windows, st)), [0.05, 0.5, 0.95])])),
    };
  }
  if (flag(argv, 'contexts')) result.contexts = contexts({ aalto: people.aalto!, cmu: people.cmu! });

  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  else {
    const f = (v: unknown) => (Array.isArray(v) ? v.map((x) => (x === null ? '-' : (x as number).toFixed(2)).padStart(6)).join('') : String(v));
    process.stdout.write(`rollover (share of key pairs whose next key went down before the last was up), per typist:\n`);
    for (const [set, r] of Object.entries(result.rollover as Record<string, { typists: number; without_any: number; share_p10_p50_p90: number[] }>)) {
      process.stdout.write(`  ${set.padEnd(7)} ${r.typists} typists, ${r.without_any} without any; 10th/50th/90th pct ${f(r.share_p10_p50_p90)}\n`);
    }
    process.stdout.write(`\npeople: z over stretches of ${keys} key pairs from every window: 1st / 5th / 50th / 95th / 99th pct\n`);
    for (const [set, r] of Object.entries(result.people as Record<string, Record<string, unknown>>)) {
      process.stdout.write(`  ${set} (${String(r.stretches)} stretches)\n`);
      for (const st of stats) process.stdout.write(`    ${st.padEnd(7)}${f(r[st])}\n`);
    }
    process.stdout.write(`\nbots: z over whole sessions: 5th / 50th / 95th pct\n`);
    for (const [k, r] of Object.entries(result.bots as Record<string, Record<string, unknown>>)) {
      process.stdout.write(`  ${k} (${String(r.sessions)} sessions, median ${String(r.median_pairs)} pairs, ${String(r.rolled_over)} rolled over)\n`);
      for (const st of stats) process.stdout.write(`    ${st.padEnd(7)}${f(r[st])}\n`);
    }
    if (result.contexts) {
      process.stdout.write(`\nmean normalised rank within the window (0 fastest, 1 slowest), pooled per set (n)\n`);
      for (const [k, v] of Object.entries(result.contexts as Record<string, Record<string, [number, number]>>)) {
        process.stdout.write(`  ${k.padEnd(28)} ${Object.entries(v).map(([s, [m, n]]) => `${s} ${m.toFixed(3)} (${n})`).join('  ')}\n`);
      }
    }
  }
  return 0;
}

/** Mean normalised rank of dd per context (`dd a>b`) and of holds per class (`hold a`), per set. */
function contexts(sets: Record<string, BatchEvent[][][]>): Record<string, Record<string, [number, number]>> {
  const acc: Record<string, Record<string, [number, number]>> = {};
  const add = (k: string, set: string, x: number) => {
    const c = ((acc[k] ??= {})[set] ??= [0, 0]);
    c[0] += x;
    c[1]++;
  };
  for (const [set, sessions] of Object.entries(sets)) {
    for (const w of sessions.flat()) {
      const p = pairsOf(w);
      if (p.length < TYPING_DEPENDENCE_RULES.minPairs) continue;
      const rd = ranks(p.map((x) => x.dd));
      const rh = ranks(p.map((x) => x.hold));
      p.forEach((x, i) => {
        add(`dd ${x.a}>${x.b}`, set, (rd[i]! - 0.5) / p.length);
        add(`hold ${x.a}`, set, (rh[i]! - 0.5) / p.length);
      });
    }
  }
  for (const v of Object.values(acc)) for (const c of Object.values(v)) c[0] /= c[1];
  return Object.fromEntries(Object.entries(acc).sort(([a], [b]) => a.localeCompare(b)));
}
