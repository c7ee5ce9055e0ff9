// `cadence eval typing-hands [--data DIR] [--json]`: would a coarse key class buy accuracy against
// programs that type (issue 17 item 5)? Measured before anything is sent: the collector sends a key's
// class (letter, digit, space...), never its value. The coarsest class that names more is the hand
// that types a letter on QWERTY (one bit a letter; for a password of ten letters, ten bits of its
// search space given away). The motor fact it would rest on: the fingers of one hand move in turn, so
// a letter after a letter of the same hand comes later than one after the other hand's. A program
// drawing every interval from one law ignores the hands: the rank-sum z of same-hand against
// alternate-hand letter-to-letter keydown intervals is N(0, 1) for it, whatever the law, and would
// grow with the keys for a person, if people shared the direction.
//
// People: Aalto's typists (the raw files carry each key's letter; CMU's password has one same-hand
// letter pair, n to l, so there the test is one digraph against the rest, and Kaggle's files carry no
// keys). Each typist's sentences chained, 3 s apart; z over the whole and over stretches of 50, 100
// and 250 keys started every 10 keys. Intervals of 1.5 s or more are pauses and left out.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, option } from './lib/args.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const LEFT = new Set('qwertasdfgzxcvb');
const RIGHT = new Set('yuiophjklnm');
const PAUSE_MS = 1500;
const LENGTHS = [50, 100, 250];

interface Key {
  down: number;
  letter: string;
}

async function typists(dir: string): Promise<Map<string, Key[]>> {
  const out = new Map<string, Key[]>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('_keystrokes.txt')).sort()) {
    let section = '';
    let offset = 0;
    for (const line of (await readFile(path.join(dir, file), 'latin1')).split('\n').slice(1)) {
      const c = line.split('\t');
      const down = Number(c[5]);
      if (c.length < 9 || !Number.isFinite(down)) continue;
      const keys = out.get(c[0]!) ?? [];
      out.set(c[0]!, keys);
      if (c[1] !== section) {
        section = c[1]!;
        offset = keys.length ? keys[keys.length - 1]!.down + 3000 - down : -down;
      }
      keys.push({ down: down + offset, letter: (c[7] ?? '').toLowerCase() });
    }
  }
  return out;
}

const handOf = (k: string) => (LEFT.has(k) ? 'left' : RIGHT.has(k) ? 'right' : undefined);

/** Rank-sum z of `slow` against `fast` (mid-ranks for ties); NaN when either has fewer than 2. */
function rankSumZ(slow: number[], fast: number[]): number {
  const n1 = slow.length;
  const n2 = fast.length;
  if (n1 < 2 || n2 < 2) return NaN;
  const all = [...slow.map((v) => [v, 1] as const), ...fast.map((v) => [v, 0] as const)].sort((a, b) => a[0] - b[0]);
  let r = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]![0] === all[i]![0]) j++;
    for (let k = i; k <= j; k++) if (all[k]![1] === 1) r += (i + j) / 2 + 1;
    i = j + 1;
  }
  const N = n1 + n2;
  return (r - (n1 * (N + 1)) / 2) / Math.sqrt((n1 * n2 * (N + 1)) / 12);
}

/** Same-hand against alternate-hand letter pairs: positive when same-hand pairs are slower. */
export function handZ(keys: readonly Key[]): { z: number; pairs: number } {
  const same: number[] = [];
  const alternate: number[] = [];
  for (let i = 1; i < keys.length; i++) {
    const a = handOf(keys[i - 1]!.letter);
    const b = handOf(keys[i]!.letter);
    const dd = keys[i]!.down - keys[i - 1]!.down;
    if (!a || !b || !(dd > 0 && dd < PAUSE_MS)) continue;
    (a === b ? same : alternate).push(dd);
  }
  return { z: rankSumZ(same, alternate), pairs: same.length + alternate.length };
}

const quantile = (v: readonly number[], p: number) => {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s[Math.round(p * (s.length - 1))]!;
};
const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
/** P(Z <= z) for a standard normal (Abramowitz and Stegun 26.2.17). */
function phi(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989423 * Math.exp((-z * z) / 2);
  const p = d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
  return z > 0 ? 1 - p : p;
}

export async function run(argv: string[]): Promise<number> {
  const dir = path.join(option(argv, 'data') ?? DEFAULT_DIR, 'keystroke/aalto-raw');
  if (!existsSync(dir)) {
    process.stderr.write(`usage: cadence eval typing-hands [--data DIR] [--json]\n  ${dir} does not exist\n`);
    return 2;
  }
  const people = await typists(dir);
  const whole = [...people].map(([id, keys]) => ({ typist: id, keys: keys.length, ...handZ(keys) })).filter((r) => r.pairs > 0);
  const stretches = LENGTHS.map((length) => {
    const zs: number[] = [];
    for (const keys of people.values()) {
      for (let s = 0; s + length <= keys.length; s += 10) {
        const { z } = handZ(keys.slice(s, s + length));
        if (Number.isFinite(z)) zs.push(z);
      }
    }
    // A one-sided test ("not slower on one hand's pairs") bounded at the people's 1st percentile
    // challenges 1 % of these stretches and catches the i.i.d. programs under it: P(N(0, 1) < p1).
    const p1 = quantile(zs, 0.01);
    return { keys: length, stretches: zs.length, p1, p5: quantile(zs, 0.05), median: quantile(zs, 0.5), programsCaughtAtP1: phi(p1) };
  });
  if (flag(argv, 'json')) {
    process.stdout.write(`${JSON.stringify({ whole, stretches }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write('same-hand against alternate-hand letter pairs, rank-sum z (positive: same-hand slower; N(0, 1) for i.i.d. timings)\n');
  for (const r of whole) process.stdout.write(`  typist ${r.typist.padEnd(8)} ${String(r.keys).padStart(5)} keys  ${String(r.pairs).padStart(4)} letter pairs  z ${fmt(r.z)}\n`);
  for (const r of stretches) {
    process.stdout.write(`  stretches of ${r.keys} keys (${r.stretches}): 1st pct ${fmt(r.p1)}, 5th ${fmt(r.p5)}, median ${fmt(r.median)}; a one-sided test at the 1st pct catches ${(100 * r.programsCaughtAtP1).toFixed(1)} % of i.i.d. programs\n`);
  }
  return 0;
}
