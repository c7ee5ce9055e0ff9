// `cadence eval candidates [--data DIR] [--json]`: screening of candidate signals that were measured
// and not shipped (issue 17, session 11), kept so that the next idea starts from their figures. Each
// is a fact a program might get wrong; each is read on people (Balabit's mouse users in 1-minute
// stretches; the Aalto, CMU and Kaggle typists in stretches of 50 key pairs from every window) and
// on bots (the synth families developed on, and the held-out red team as the check). None is used by
// the live path. Why each was left out is in docs/accuracy.md ("Candidates screened and left out").
//
// Pointer, per source:
//   concord   does the distance covered follow the time elapsed? For consecutive intervals of a
//             movement whose lengths differ by 1.5x or more, the share where the longer interval
//             also covered the longer distance (a sampled trajectory: high; timestamps re-drawn
//             after the path, as a time-warped replay with timing noise or a bot stepping a
//             curve on random sleeps: 0.5). Only pairs of intervals under 60 ms moving 3+ px each.
//   still<40  presses whose pointer had been within 2 px of the press for under 40 ms (a
//             program presses the moment its path ends).
//   hold<10   mouse presses released within 10 ms (a program's click()).
//   peak      per stretch with 5+ reaches, the mean time of peak speed as a share of the reach
//             (people's deceleration phase is said to be longer: under 0.5).
//   slope     per stretch with 5+ reaches, the slope of log duration on log distance (Fitts: a
//             person's reaches take longer the farther they go; a fixed-duration bot: 0).
// Typing, per stretch of 50 key pairs (pauses over 1.5 s, Tab and Enter left out):
//   dd asym   (p90 - p50) / (p50 - p10) of keydown-to-keydown intervals (a uniform or normal draw
//             is symmetric: 1; people's pauses give a long right tail)
//   dd sd     the standard deviation of log intervals
//   hold asym the same asymmetry of holds
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../scoring/batch.ts';
import { strokesOf } from '../scoring/features/free-text.ts';
import { TYPING_DEPENDENCE_RULES } from '../scoring/features/typing-dependence.ts';
import { adversarialSessions, type AdversarialKind } from '../scoring/synth/adversarial.ts';
import { handsSession } from './eval-submovements.ts';
import { flag, option } from './lib/args.ts';
import { chainBySubject, cut } from './lib/corpus.ts';
import { heldoutSessions } from './lib/heldout-bots.ts';
import { readAalto, readCmu, readPressRelease } from './lib/keystroke-data.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets', import.meta.url));
const STRETCH_MS = 60_000;
const PAIRS = 50;
const POINTER_BOTS: AdversarialKind[] = ['bezier-mouse', 'windmouse', 'overshoot-mouse', 'human-mix', 'replay-warp'];
const HELDOUT_POINTER = ['spline-wander', 'min-jerk-125hz', 'min-jerk-noisy-60hz', 'pyautogui-tween', 'ghost-cursor-overshoot', 'humancursor-curve', 'undershoot-correct'] as const;
const TYPING_BOTS: AdversarialKind[] = ['lognormal-typing', 'gamma-typing', 'scripted-type-random', 'human-mix'];

const quantile = (v: readonly number[], p: number): number | null => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(3) : null;
};
const pct = (k: number, n: number) => (n ? +((100 * k) / n).toFixed(2) : null);
type Pt = { t: number; x: number; y: number };

/** Concordant / judged interval pairs: does the longer interval cover the longer distance? */
function concordance(events: readonly BatchEvent[]): [number, number] {
  const m = events.filter((e) => e.type === 'pointermove' && e.x !== undefined && e.y !== undefined);
  let n = 0, c = 0;
  for (let i = 2; i < m.length; i++) {
    const [a, b, d] = [m[i - 2]!, m[i - 1]!, m[i]!];
    const dt1 = b.t - a.t, dt2 = d.t - b.t;
    if (!(dt1 > 0 && dt2 > 0 && dt1 <= 60 && dt2 <= 60)) continue;
    const d1 = Math.hypot(b.x! - a.x!, b.y! - a.y!), d2 = Math.hypot(d.x! - b.x!, d.y! - b.y!);
    if (d1 < 3 || d2 < 3 || Math.abs(Math.log(dt2 / dt1)) < Math.log(1.5)) continue;
    n++;
    if (Math.sign(dt2 - dt1) === Math.sign(d2 - d1)) c++;
  }
  return [c, n];
}

/** Per press: how long the pointer had been still at it, and how long the button was held. */
function presses(events: readonly BatchEvent[]): { still: number[]; holds: number[] } {
  const still: number[] = [], holds: number[] = [];
  const recent: BatchEvent[] = [];
  let down: BatchEvent | undefined;
  for (const e of events) {
    if (e.pointerType !== undefined && e.pointerType !== 'mouse') continue;
    if (e.type === 'pointermove' && e.x !== undefined) {
      recent.push(e);
      while (e.t - recent[0]!.t > 300) recent.shift();
    } else if (e.type === 'pointerdown' && e.x !== undefined) {
      down = e;
      if (!recent.length || e.t - recent.at(-1)!.t > 2000) continue;
      let s = 300;
      for (let i = recent.length - 1; i >= 0; i--) if (Math.hypot(recent[i]!.x! - e.x, recent[i]!.y! - e.y!) > 2) { s = e.t - recent[i]!.t; break; }
      still.push(s);
    } else if (e.type === 'pointerup' && down) {
      holds.push(e.t - down.t);
      down = undefined;
    }
  }
  return { still, holds };
}

/** Reaches to a press from rest (as scoring/features/submovements.ts), finely sampled: distance, duration, time of peak speed. */
function reaches(events: readonly BatchEvent[]): { d: number; t: number; peak: number }[] {
  const out: { d: number; t: number; peak: number }[] = [];
  let pts: Pt[] = [];
  let last = -Infinity;
  for (const e of events) {
    if (e.x === undefined || e.y === undefined || (e.pointerType !== undefined && e.pointerType !== 'mouse')) continue;
    if (e.type === 'pointermove' && e.state !== 'drag') {
      if (e.t - last > 300) pts = pts.length ? [pts.at(-1)!] : [];
      pts.push({ t: e.t, x: e.x, y: e.y });
      last = e.t;
    } else if (e.type === 'pointerdown') {
      const r = shapeOf(pts);
      if (r) out.push(r);
      pts = [];
    } else if (e.type === 'pointerup') {
      pts = [{ t: e.t, x: e.x, y: e.y }];
      last = e.t;
    }
  }
  return out;
}

function shapeOf(p: readonly Pt[]): { d: number; t: number; peak: number } | undefined {
  if (p.length < 4) return undefined;
  const end = p.at(-1)!;
  let i0 = 0, far = 0;
  p.forEach((q, i) => {
    const d = Math.hypot(q.x - end.x, q.y - end.y);
    if (d >= far) [far, i0] = [d, i];
  });
  if (far < 50) return undefined;
  for (let i = i0 + 1; i < p.length; i++) if (p[i]!.t - p[i - 1]!.t > 50 && Math.hypot(p[i]!.x - p[i - 1]!.x, p[i]!.y - p[i - 1]!.y) > 4) return undefined;
  let i1 = p.length - 1;
  while (i1 > i0 && Math.hypot(p[i1 - 1]!.x - end.x, p[i1 - 1]!.y - end.y) <= 2) i1--;
  const grid = 16, t0 = p[i0]!.t, steps = Math.floor((p[i1]!.t - t0) / grid);
  if (steps < 4) return undefined;
  let j = i0, px = p[i0]!.x, py = p[i0]!.y, top = 0, at = 0;
  for (let k = 1; k <= steps; k++) {
    const t = t0 + k * grid;
    while (j < i1 - 1 && p[j + 1]!.t < t) j++;
    const [a, b] = [p[j]!, p[j + 1]!];
    const f = b.t > a.t ? Math.min(1, Math.max(0, (t - a.t) / (b.t - a.t))) : 1;
    const qx = a.x + f * (b.x - a.x), qy = a.y + f * (b.y - a.y);
    const v = Math.hypot(qx - px, qy - py);
    [px, py] = [qx, qy];
    if (v > top) [top, at] = [v, k - 0.5];
  }
  return { d: far, t: p[i1]!.t - t0, peak: at / steps };
}

function slope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length, my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0, sxx = 0;
  x.forEach((v, i) => { sxy += (v - mx) * (y[i]! - my); sxx += (v - mx) ** 2; });
  return sxx > 0 ? sxy / sxx : NaN;
}

function pointerRow(source: string, stretches: readonly BatchEvent[][]) {
  let c = 0, n = 0;
  const still: number[] = [], holds: number[] = [], peak: number[] = [], slopes: number[] = [];
  for (const s of stretches) {
    const [ci, ni] = concordance(s);
    c += ci; n += ni;
    const p = presses(s);
    still.push(...p.still);
    holds.push(...p.holds);
    const r = reaches(s);
    if (r.length >= 5) {
      peak.push(r.reduce((a, x) => a + x.peak, 0) / r.length);
      slopes.push(slope(r.map((x) => Math.log(x.d)), r.map((x) => Math.log(x.t))));
    }
  }
  return {
    source, stretches: stretches.length,
    concord: { pairs: n, share: n ? +(c / n).toFixed(3) : null },
    presses: still.length, still_under_40ms_pct: pct(still.filter((s) => s < 40).length, still.length),
    clicks: holds.length, hold_under_10ms_pct: pct(holds.filter((h) => h < 10).length, holds.length),
    stretches_with_5_reaches: peak.length,
    peak_share_p05_p50_p95: [quantile(peak, 0.05), quantile(peak, 0.5), quantile(peak, 0.95)],
    duration_slope_p05_p50_p95: [quantile(slopes, 0.05), quantile(slopes, 0.5), quantile(slopes, 0.95)],
  };
}

/** Keydown-to-keydown intervals and holds of consecutive keys, as the typing tests pair them (Tab and Enter left out). */
function pairs(events: readonly BatchEvent[]): { dd: number; hold: number }[] {
  const s = strokesOf(events).filter((x) => x.cls !== 'shift' && x.cls !== 'modifier');
  const out: { dd: number; hold: number }[] = [];
  const skip = new Set(['other', 'tab', 'enter']);
  for (let i = 0; i + 1 < s.length; i++) {
    const [a, b] = [s[i]!, s[i + 1]!];
    const dd = b.down - a.down;
    if (dd > 0 && dd <= TYPING_DEPENDENCE_RULES.pauseMs && Number.isFinite(a.up) && !skip.has(a.cls) && !skip.has(b.cls)) out.push({ dd, hold: a.up - a.down });
  }
  return out;
}

const asym = (v: readonly number[]) => {
  const [q10, q50, q90] = [0.1, 0.5, 0.9].map((p) => quantile(v, p) ?? NaN) as [number, number, number];
  return (q90 - q50) / Math.max(1, q50 - q10);
};
const logSd = (v: readonly number[]) => {
  const l = v.map(Math.log);
  const m = l.reduce((s, x) => s + x, 0) / l.length;
  return Math.sqrt(l.reduce((s, x) => s + (x - m) ** 2, 0) / l.length);
};

/** Stretches of about PAIRS key pairs: from every window (people) or the whole session (bots). */
function typingStretches(windows: readonly BatchEvent[][], everyStart: boolean): { dd: number; hold: number }[][] {
  const per = windows.map(pairs);
  const out: { dd: number; hold: number }[][] = [];
  for (let st = 0; st < per.length; st++) {
    const acc: { dd: number; hold: number }[] = [];
    for (let e = st; e < per.length && acc.length < PAIRS; e++) acc.push(...per[e]!);
    if (acc.length >= 0.8 * PAIRS) out.push(acc);
    if (!everyStart) break;
  }
  return out;
}

function typingRow(source: string, stretches: { dd: number; hold: number }[][]) {
  const q = (v: number[]) => [0.01, 0.05, 0.5, 0.95].map((p) => quantile(v, p));
  return {
    source, stretches: stretches.length,
    dd_asym_p01_p05_p50_p95: q(stretches.map((s) => asym(s.map((x) => x.dd)))),
    dd_log_sd_p01_p05_p50_p95: q(stretches.map((s) => logSd(s.map((x) => x.dd)))),
    hold_asym_p01_p05_p50_p95: q(stretches.map((s) => asym(s.map((x) => x.hold)))),
  };
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'data') ?? DEFAULT_DIR;
  const mouseDir = path.join(dir, 'mouse/balabit-training');
  const ks = path.join(dir, 'keystroke');
  if (!existsSync(mouseDir) || !existsSync(ks)) {
    process.stderr.write(`usage: cadence eval candidates [--data DIR] [--json]\n  ${dir} needs mouse/balabit-training and keystroke/\n`);
    return 2;
  }
  const pointer = [];
  const users = new Map<string, BatchEvent[][]>();
  for (const f of await listSessions(mouseDir)) (users.get(f.user) ?? users.set(f.user, []).get(f.user)!).push(await readBalabitSession(f.file));
  for (const [user, sessions] of users) {
    const stretches: BatchEvent[][] = [];
    for (const ev of sessions) {
      let cur: BatchEvent[] = [];
      for (const e of ev) {
        if (cur.length && e.t - cur[0]!.t > STRETCH_MS) [stretches[stretches.length], cur] = [cur, []];
        cur.push(e);
      }
      if (cur.length) stretches.push(cur);
    }
    pointer.push(pointerRow(`balabit ${user}`, stretches));
  }
  pointer.push(pointerRow('hands.ts drive', Array.from({ length: 40 }, (_, i) => handsSession(i + 1))));
  for (const kind of POINTER_BOTS) pointer.push(pointerRow(kind, adversarialSessions({ kind, count: 40, seed: 7 }).map((s) => s.batches.flatMap((b) => b.events))));
  const heldout = heldoutSessions(40, 7);
  for (const f of HELDOUT_POINTER) pointer.push(pointerRow(`heldout:${f}`, heldout.filter((s) => s.family === f).flatMap((s) => s.pages.map((p) => p.events))));

  const typing = [];
  const sets = { aalto: [await readAalto(path.join(ks, 'aalto-raw')), 3000], cmu: [await readCmu(path.join(ks, 'cmu-dsl2009-sessions7-8.csv')), 1500], kaggle: [await readPressRelease(path.join(ks, 'kaggle110-press-release.csv')), 1500] } as const;
  for (const [set, [samples, gap]] of Object.entries(sets)) typing.push(typingRow(set, [...chainBySubject(samples, gap).values()].flatMap((ev) => typingStretches(cut(ev), true))));
  for (const kind of TYPING_BOTS) typing.push(typingRow(kind, adversarialSessions({ kind, count: 40, seed: 7 }).flatMap((s) => typingStretches(s.batches.map((b) => b.events), false))));
  const families = [...new Set(heldout.map((s) => s.family))].filter((f) => f.endsWith('-typing'));
  for (const f of families) typing.push(typingRow(`heldout:${f}`, heldout.filter((s) => s.family === f).flatMap((s) => typingStretches(s.pages.flatMap((p) => cut(p.events)), false))));

  if (flag(argv, 'json')) {
    process.stdout.write(`${JSON.stringify({ pointer, typing }, null, 1)}\n`);
    return 0;
  }
  const f = (v: unknown) => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.map((x) => (x === null ? '-' : String(x))).join(' / ') : String(v));
  process.stdout.write('pointer: concordance of time and distance (pairs, share) | presses still < 40 ms | clicks held < 10 ms | mean peak-speed share p5/p50/p95 | log-duration slope p5/p50/p95\n');
  for (const r of pointer) process.stdout.write(`  ${r.source.padEnd(28)} ${String(r.concord.pairs).padStart(6)} ${f(r.concord.share).padStart(6)} | ${f(r.still_under_40ms_pct).padStart(6)} % of ${r.presses} | ${f(r.hold_under_10ms_pct).padStart(6)} % of ${r.clicks} | ${f(r.peak_share_p05_p50_p95)} | ${f(r.duration_slope_p05_p50_p95)}\n`);
  process.stdout.write(`typing, stretches of ${PAIRS} key pairs: dd asymmetry p1/p5/p50/p95 | log-sd of dd | hold asymmetry\n`);
  for (const r of typing) process.stdout.write(`  ${r.source.padEnd(36)} ${String(r.stretches).padStart(5)} | ${f(r.dd_asym_p01_p05_p50_p95)} | ${f(r.dd_log_sd_p01_p05_p50_p95)} | ${f(r.hold_asym_p01_p05_p50_p95)}\n`);
  return 0;
}
