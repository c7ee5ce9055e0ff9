// The human-like bot families (issue 17, item 4): every batch is one the edge accepts and one the
// collector could have sent, a seed reproduces everything, and each family's statistics are what it
// claims. Nothing here asserts whether Cadence catches them: that is measured elsewhere.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LIMITS, parseBatch, type BatchEvent } from '../../scoring/batch.ts';
import {
  ADVERSARIAL_DESCRIPTIONS,
  ADVERSARIAL_EVENTS_PER_BATCH,
  ADVERSARIAL_KINDS,
  adversarialSessions,
  corpusSessions,
  FLUSH_MS,
  gamma,
  replayWarp,
  SAMPLE_MS,
  type AdversarialKind,
  type AdversarialSession,
  windMousePath,
} from '../../scoring/synth/adversarial.ts';
import { BOT_KINDS, genuineSession, synthSessions, synthUsers } from '../../scoring/synth/generate.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { command as synthCommand, parseBotKinds } from '../../cli/synth.ts';

const N = 24;
const made = new Map<AdversarialKind, AdversarialSession[]>(ADVERSARIAL_KINDS.map((k) => [k, adversarialSessions({ kind: k, count: N, seed: 17 })]));
const of = (k: AdversarialKind) => made.get(k)!;

/** Events per page, in order (each page has its own clock). */
function pages(s: { batches: { context?: { page?: string }; events: BatchEvent[] }[] }): Map<string, BatchEvent[]> {
  const by = new Map<string, BatchEvent[]>();
  for (const b of s.batches) by.set(b.context!.page!, [...(by.get(b.context!.page!) ?? []), ...b.events]);
  return by;
}

/** Consecutive strokes within one field: hold of each, keyup-to-next-keydown flight, classes. */
function strokes(events: readonly BatchEvent[]) {
  const out: { cls: string; field: string; down: number; up: number }[] = [];
  // Keys of one class in one field are released in the order they went down (rollover included).
  const open = new Map<string, number[]>();
  for (const e of events) {
    const key = `${e.field}/${e.keyClass}`;
    if (e.type === 'keydown') {
      open.set(key, [...(open.get(key) ?? []), out.length]);
      out.push({ cls: e.keyClass!, field: e.field!, down: e.t, up: NaN });
    } else if (e.type === 'keyup') {
      const i = open.get(key)?.shift();
      if (i !== undefined) out[i]!.up = e.t;
    }
  }
  const holds = out.map((s) => ({ cls: s.cls, hold: s.up - s.down }));
  const flights: { flight: number; from: string; to: string }[] = [];
  // Enter submits the form after the script's next step: not a flight within the text.
  for (let i = 1; i < out.length; i++) if (out[i]!.field === out[i - 1]!.field && out[i]!.cls !== 'enter') flights.push({ flight: out[i]!.down - out[i - 1]!.up, from: out[i - 1]!.cls, to: out[i]!.cls });
  return { holds, flights };
}

/** Pointer movements: runs of pointermoves ending at a click, with the click point. */
function approaches(events: readonly BatchEvent[]) {
  const out: { moves: BatchEvent[]; click: BatchEvent }[] = [];
  let run: BatchEvent[] = [];
  for (const e of events) {
    if (e.type === 'pointermove') run.push(e);
    else if (e.type === 'pointerdown') {
      if (run.length) out.push({ moves: run, click: e });
      run = [];
    } else if (e.type === 'keydown' || e.type === 'wheel') run = [];
  }
  return out;
}

/** Movements split at pauses of more than `gap` ms, as the literature segments them. */
function strokesOfPointer(events: readonly BatchEvent[], gap = 150): BatchEvent[][] {
  const out: BatchEvent[][] = [];
  let run: BatchEvent[] = [];
  for (const e of events) {
    if (e.type !== 'pointermove') {
      if (run.length) out.push(run);
      run = [];
      continue;
    }
    if (run.length && e.t - run[run.length - 1]!.t > gap) {
      out.push(run);
      run = [];
    }
    run.push(e);
  }
  if (run.length) out.push(run);
  return out;
}

const dist = (a: BatchEvent, b: BatchEvent) => Math.hypot(a.x! - b.x!, a.y! - b.y!);
const pathLength = (ms: BatchEvent[]) => ms.slice(1).reduce((s, m, i) => s + dist(ms[i]!, m), 0);
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('adversarial families', () => {
  it('name every family and describe what it imitates', () => {
    expect(ADVERSARIAL_KINDS.length).toBeGreaterThanOrEqual(9);
    for (const k of ADVERSARIAL_KINDS) expect(ADVERSARIAL_DESCRIPTIONS[k].length).toBeGreaterThan(20);
    for (const k of ADVERSARIAL_KINDS) expect(BOT_KINDS as readonly string[]).not.toContain(k);
    expect(() => adversarialSessions({ kind: 'nope' as AdversarialKind, count: 1 })).toThrow(/unknown/);
  });

  it('produce only batches the edge accepts, as the collector cuts them', () => {
    for (const [kind, sessions] of made) {
      expect(sessions).toHaveLength(N);
      const ids = new Set<string>();
      for (const s of sessions) {
        expect(s.kind).toBe('bot');
        expect(s.bot).toBe(kind);
        expect(ids.has(s.sessionId)).toBe(false);
        ids.add(s.sessionId);
        // A login page and a transfer page at least, in order.
        const names = [...pages(s).keys()];
        expect(names[0], s.sessionId).toBe('/login');
        expect(names[names.length - 1], s.sessionId).toBe('/transfer');
        s.batches.forEach((b, seq) => {
          const body = JSON.stringify(b);
          expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64 * 1024);
          expect(b.events.length).toBeLessThanOrEqual(Math.min(LIMITS.maxEvents, ADVERSARIAL_EVENTS_PER_BATCH));
          expect(b.seq).toBe(seq);
          expect(b.sessionId).toBe(s.sessionId);
          const r = parseBatch(JSON.parse(body));
          if (!r.ok) throw new Error(`${b.batchId}: ${r.problem.field} ${r.problem.message}`);
          // One flush of the collector: everything within 3 s of the first event held.
          expect(b.events[b.events.length - 1]!.t - b.events[0]!.t).toBeLessThan(FLUSH_MS);
        });
        // Scroll as the collector samples it: at most one wheel step per 50 ms on a page (pointer
        // moves are kept at the rate the bot dispatches them, as the collector keeps every sample).
        if (kind !== 'replay-warp') {
          for (const events of pages(s).values()) {
            const wheels = events.filter((e) => e.type === 'wheel');
            for (let i = 1; i < wheels.length; i++) expect(wheels[i]!.t - wheels[i - 1]!.t).toBeGreaterThanOrEqual(SAMPLE_MS - 0.1);
          }
        }
      }
      // Sessions of realistic length: several batches on average.
      const batches = mean(sessions.map((s) => s.batches.length));
      expect(batches, kind).toBeGreaterThanOrEqual(2);
      if (kind !== 'page-fill') expect(batches, kind).toBeGreaterThanOrEqual(2.5);
      const humanPaced: AdversarialKind[] = ['lognormal-typing', 'gamma-typing', 'bezier-mouse', 'windmouse', 'overshoot-mouse', 'replay-warp', 'human-mix'];
      if (humanPaced.includes(kind)) expect(batches, kind).toBeGreaterThanOrEqual(5);
    }
  });

  it('are reproduced exactly by the same seed, differ under another, and do not depend on the count', () => {
    for (const kind of ADVERSARIAL_KINDS) {
      const again = adversarialSessions({ kind, count: N, seed: 17 });
      expect(JSON.stringify(again), kind).toBe(JSON.stringify(of(kind)));
      expect(JSON.stringify(adversarialSessions({ kind, count: N, seed: 18 })), kind).not.toBe(JSON.stringify(of(kind)));
      expect(JSON.stringify(adversarialSessions({ kind, count: 3, seed: 17 })), kind).toBe(JSON.stringify(of(kind).slice(0, 3)));
    }
  });

  it('scripted-type-fixed: the delay is the hold (type with delay) or the flight (press then sleep)', () => {
    const variants = new Set<string>();
    for (const s of of('scripted-type-fixed')) {
      const { delay, variant } = s.params as { delay: number; variant: string };
      variants.add(variant);
      const { holds, flights } = strokes(s.batches.flatMap((b) => b.events));
      expect(holds.length).toBeGreaterThan(10);
      // keyboard.press('Enter') to submit carries no delay.
      const text = holds.filter((h) => h.cls !== 'enter');
      expect(holds.filter((h) => h.cls === 'enter').every((h) => h.hold < 2.5)).toBe(true);
      const [longer, shorter] = variant === 'type-delay' ? [text.map((h) => h.hold), flights.map((f) => f.flight)] : [flights.map((f) => f.flight), holds.map((h) => h.hold)];
      for (const v of longer) expect(v - delay).toBeGreaterThanOrEqual(-0.2);
      for (const v of longer) expect(v - delay).toBeLessThanOrEqual(2.5);
      for (const v of shorter) expect(v).toBeLessThanOrEqual(2.5);
    }
    expect(variants).toEqual(new Set(['type-delay', 'press-sleep']));
  });

  it('scripted-type-random: holds uniform in 5-15 ms, flights uniform in 50-150 ms', () => {
    const all = of('scripted-type-random').map((s) => strokes(s.batches.flatMap((b) => b.events)));
    const holds = all.flatMap((x) => x.holds.filter((h) => h.cls !== 'enter').map((h) => h.hold));
    const flights = all.flatMap((x) => x.flights.map((f) => f.flight));
    for (const h of holds) expect(h >= 5 && h <= 17.2).toBe(true);
    for (const f of flights) expect(f >= 50 && f <= 152.2).toBe(true);
    // Uniform: the mean in the middle, and each quarter of the range about equally filled.
    expect(Math.abs(mean(flights) - 101)).toBeLessThan(4);
    const quarters = [0, 1, 2, 3].map((q) => flights.filter((f) => f >= 50 + 25 * q && f < 75 + 25 * q).length / flights.length);
    for (const q of quarters) expect(Math.abs(q - 0.25)).toBeLessThan(0.04);
  });

  it('page-fill: one insertText per field, no key timing at all', () => {
    for (const s of of('page-fill')) {
      const downs = s.batches.flatMap((b) => b.events).filter((e) => e.type === 'keydown');
      expect(downs.map((e) => e.field)).toEqual(['username', 'password', 'iban', 'amount', 'reference']);
      expect(new Set(downs.map((e) => e.keyClass))).toEqual(new Set(['other']));
    }
  });

  it('linear-steps: evenly spaced points on the straight line, every step seen by the collector', () => {
    const sleeps = new Set<number>();
    for (const s of of('linear-steps')) {
      const { steps, sleepMs } = s.params as { steps: number; sleepMs: number };
      sleeps.add(sleepMs);
      for (const events of pages(s).values()) {
        for (const { moves, click } of approaches(events)) {
          // Seen samples lie on the line to the click (within rounding).
          const a = moves[0]!;
          const len = dist(a, click);
          if (len < 20) continue;
          for (const m of moves) expect(Math.abs(((m.x! - a.x!) * (click.y! - a.y!) - (m.y! - a.y!) * (click.x! - a.x!)) / len)).toBeLessThan(1.5);
          // The collector keeps every dispatched step (each ends the previous one's action at most).
          expect(moves.length).toBeLessThanOrEqual(steps + 1);
        }
      }
      // Tools type characters: no Shift of its own.
      expect(s.batches.flatMap((b) => b.events).some((e) => e.keyClass === 'shift')).toBe(false);
    }
    expect(sleeps.has(0)).toBe(true);
    expect(sleeps.size).toBeGreaterThan(2);
  });

  it('lognormal-typing: flight and hold medians within 10 % of the drawn ones, log-spread as drawn, no class dependence', () => {
    const logF: number[] = [];
    const logH: number[] = [];
    const zF: number[] = [];
    for (const s of of('lognormal-typing')) {
      const p = s.params as { holdMedian: number; holdSigma: number; flightMedian: number; flightSigma: number };
      expect(p.holdMedian).toBeGreaterThanOrEqual(80);
      expect(p.holdMedian).toBeLessThanOrEqual(120);
      expect(p.flightMedian).toBeGreaterThanOrEqual(100);
      expect(p.flightMedian).toBeLessThanOrEqual(250);
      const { holds, flights } = strokes(s.batches.flatMap((b) => b.events));
      for (const f of flights) {
        expect(f.flight).toBeGreaterThan(0); // i.i.d. flights: never a rollover
        logF.push(Math.log(f.flight / p.flightMedian));
        zF.push(Math.log(f.flight / p.flightMedian) / p.flightSigma);
      }
      for (const h of holds) logH.push(Math.log(h.hold / p.holdMedian));
    }
    expect(logF.length).toBeGreaterThan(400);
    expect(Math.abs(Math.exp(median(logF)) - 1)).toBeLessThan(0.1);
    expect(Math.abs(Math.exp(median(logH)) - 1)).toBeLessThan(0.1);
    // Standardised log-flights have unit spread.
    const sd = Math.sqrt(mean(zF.map((z) => z * z)) - mean(zF) ** 2);
    expect(Math.abs(sd - 1)).toBeLessThan(0.1);
    // Independent of key class: letter and digit holds share their median (relative to the session's).
    const byClass = (cls: string) =>
      median(of('lognormal-typing').flatMap((s) => strokes(s.batches.flatMap((b) => b.events)).holds.filter((h) => h.cls === cls).map((h) => h.hold / (s.params.holdMedian as number))));
    expect(Math.abs(Math.log(byClass('digit') / byClass('letter')))).toBeLessThan(0.1);
  });

  it('gamma-typing: flight and hold means within 10 % of the drawn ones; the sampler is a gamma law', () => {
    const rf: number[] = [];
    const rh: number[] = [];
    for (const s of of('gamma-typing')) {
      const p = s.params as { holdMean: number; flightMean: number };
      const { holds, flights } = strokes(s.batches.flatMap((b) => b.events));
      for (const f of flights) rf.push(f.flight / p.flightMean);
      for (const h of holds) rh.push(h.hold / p.holdMean);
    }
    expect(Math.abs(mean(rf) - 1)).toBeLessThan(0.1);
    expect(Math.abs(mean(rh) - 1)).toBeLessThan(0.1);
    // Gamma(k, theta): mean k theta, variance k theta^2.
    const rng = new Rng(5);
    for (const [k, theta] of [[0.6, 10], [4, 25], [12, 8]] as const) {
      const xs = Array.from({ length: 20_000 }, () => gamma(rng, k, theta));
      const m = mean(xs);
      const v = mean(xs.map((x) => (x - m) ** 2));
      expect(Math.abs(m / (k * theta) - 1)).toBeLessThan(0.03);
      expect(Math.abs(v / (k * theta * theta) - 1)).toBeLessThan(0.08);
    }
  });

  it('bezier-mouse: curved paths with bell-shaped speed (the peak in the middle third)', () => {
    let long = 0;
    let bell = 0;
    const straightness: number[] = [];
    for (const s of adversarialSessions({ kind: 'bezier-mouse', count: 60, seed: 21 })) {
      for (const events of pages(s).values()) {
        for (const { moves } of approaches(events)) {
          if (moves.length < 7) continue;
          long++;
          const speeds = moves.slice(1).map((m, i) => dist(moves[i]!, m) / (m.t - moves[i]!.t));
          const peak = (speeds.indexOf(Math.max(...speeds)) + 0.5) / speeds.length;
          if (peak >= 1 / 3 && peak <= 2 / 3) bell++;
          straightness.push(dist(moves[0]!, moves[moves.length - 1]!) / pathLength(moves));
        }
      }
    }
    expect(long).toBeGreaterThan(60);
    expect(bell / long).toBeGreaterThan(0.8);
    expect(median(straightness)).toBeLessThan(0.99);
  });

  it('windmouse: the algorithm draws paths that are not straight; the collector sees them sampled', () => {
    // The algorithm itself, with its usual parameters, on moves of form distances (150-600 px).
    const rng = new Rng(8);
    const raw: number[] = [];
    for (let i = 0; i < 400; i++) {
      const d = 150 + 450 * rng.float();
      const a = 2 * Math.PI * rng.float();
      const from: [number, number] = [640, 360];
      const to: [number, number] = [640 + d * Math.cos(a), 360 + d * Math.sin(a)];
      const pts = [from, ...windMousePath(rng, from, to, { gravity: 9, wind: 3, maxStep: 15, targetArea: 12 }).map((s) => s.p).filter((p) => !Number.isNaN(p[0]))];
      const last = pts[pts.length - 1]!;
      expect(Math.hypot(last[0] - Math.round(to[0]), last[1] - Math.round(to[1]))).toBe(0);
      let len = 0;
      for (let j = 1; j < pts.length; j++) len += Math.hypot(pts[j]![0] - pts[j - 1]![0], pts[j]![1] - pts[j - 1]![1]);
      raw.push(Math.hypot(last[0] - from[0], last[1] - from[1]) / len);
    }
    expect(median(raw)).toBeLessThan(0.99);
    expect(Math.min(...raw)).toBeGreaterThan(0.8); // still a reach, not a random walk
    // As recorded: nearly, never exactly, straight.
    const recorded: number[] = [];
    let off = 0;
    for (const s of of('windmouse')) {
      expect(s.params).toMatchObject({ gravity: 9, wind: 3, maxStep: 15, targetArea: 12 });
      for (const events of pages(s).values()) {
        for (const { moves, click } of approaches(events)) {
          if (moves.length < 5 || dist(moves[0]!, click) < 150) continue;
          recorded.push(dist(moves[0]!, moves[moves.length - 1]!) / pathLength(moves));
          // The largest sideways distance from the chord.
          const [a, z] = [moves[0]!, moves[moves.length - 1]!];
          const len = dist(a, z);
          const side = Math.max(...moves.map((m) => Math.abs(((m.x! - a.x!) * (z.y! - a.y!) - (m.y! - a.y!) * (z.x! - a.x!)) / len)));
          if (side >= 2) off++;
          // It ends at the click.
          expect(dist(moves[moves.length - 1]!, click)).toBeLessThan(60);
        }
      }
    }
    expect(recorded.length).toBeGreaterThan(50);
    expect(recorded.filter((x) => x < 1).length / recorded.length).toBeGreaterThan(0.9);
    expect(off / recorded.length).toBeGreaterThan(0.5);
  });

  it('overshoot-mouse: long reaches pass the target, then correct back onto it', () => {
    let reaches = 0;
    let overshot = 0;
    let corrected = 0;
    for (const s of of('overshoot-mouse')) {
      for (const events of pages(s).values()) {
        for (const { moves, click } of approaches(events)) {
          const a = moves[0]!;
          const d = dist(a, click);
          if (d < 150 || moves.length < 5) continue;
          reaches++;
          const ux = (click.x! - a.x!) / d;
          const uy = (click.y! - a.y!) / d;
          const along = moves.map((m) => ((m.x! - a.x!) * ux + (m.y! - a.y!) * uy) / d);
          const far = Math.max(...along);
          if (far > 1.02) overshot++;
          // The farthest point comes before the end: a correction follows it.
          if (far > 1.02 && along.indexOf(far) < along.length - 1) corrected++;
        }
      }
    }
    expect(reaches).toBeGreaterThan(40);
    expect(overshot / reaches).toBeGreaterThan(0.8);
    expect(corrected / overshot).toBeGreaterThan(0.9);
  });

  it('replay-warp: differs from its source but keeps its order, warped by the drawn factor', () => {
    for (const s of of('replay-warp')) {
      const source = s.source!;
      expect(source.kind).toBe('genuine');
      const p = s.params as { warp: number; timingSdMs: number; spatialSdPx: number };
      expect(p.warp).toBeGreaterThanOrEqual(0.8);
      expect(p.warp).toBeLessThanOrEqual(1.25);
      expect(p.timingSdMs).toBeGreaterThanOrEqual(2);
      expect(p.timingSdMs).toBeLessThanOrEqual(10);
      const mine = pages(s);
      const theirs = pages(source);
      expect([...mine.keys()]).toEqual([...theirs.keys()]);
      let movedT = 0;
      let movedXY = 0;
      for (const [page, events] of mine) {
        const src = theirs.get(page)!;
        const shape = (e: BatchEvent) => `${e.type}/${e.keyClass ?? ''}/${e.field ?? ''}`;
        expect(events.map(shape)).toEqual(src.map(shape));
        // Fitted time warp: slope of replayed times against recorded ones.
        const xs = src.map((e) => e.t);
        const ys = events.map((e) => e.t);
        const mx = mean(xs);
        const my = mean(ys);
        const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
        expect(Math.abs(slope / p.warp - 1)).toBeLessThan(0.02);
        events.forEach((e, i) => {
          if (e.t !== src[i]!.t) movedT++;
          if (e.x !== undefined && (e.x !== src[i]!.x || e.y !== src[i]!.y)) movedXY++;
        });
      }
      expect(movedT).toBeGreaterThan(0);
      expect(movedXY).toBeGreaterThan(0);
      expect(JSON.stringify(s.batches.map((b) => b.events))).not.toBe(JSON.stringify(source.batches.map((b) => b.events)));
    }
    // Replays of a given recording with given parameters.
    const user = synthUsers(1, 3)[0]!;
    const src = genuineSession(user, 0, new Rng(1));
    const r = replayWarp(src, new Rng(2), 'replay-warp', 0, user, { warp: 1, timingSdMs: 0, spatialSdPx: 0 });
    expect(r.batches.flatMap((b) => b.events)).toEqual(src.batches.flatMap((b) => b.events).map((e) => ({ ...e, t: Math.round(e.t * 10) / 10, ...(e.x !== undefined ? { x: Math.round(e.x), y: Math.round(e.y!) } : {}) })));
  });

  it('human-mix: class-dependent typing with rollover and corrections, mixed curved pointer paths, pauses and scrolling', () => {
    const sessions = of('human-mix');
    const shiftRatio: number[] = [];
    let rollovers = 0;
    let flights = 0;
    let backspaces = 0;
    let wheels = 0;
    let longPauses = 0;
    for (const s of sessions) {
      const events = s.batches.flatMap((b) => b.events);
      const st = strokes(events);
      const letters = st.holds.filter((h) => h.cls === 'letter').map((h) => h.hold);
      const shifts = st.holds.filter((h) => h.cls === 'shift').map((h) => h.hold);
      if (shifts.length && letters.length) shiftRatio.push(median(shifts) / median(letters));
      rollovers += st.flights.filter((f) => f.flight < 0).length;
      flights += st.flights.length;
      backspaces += st.holds.filter((h) => h.cls === 'backspace').length;
      wheels += events.filter((e) => e.type === 'wheel').length;
      for (const evs of pages(s).values()) for (let i = 1; i < evs.length; i++) if (evs[i]!.t - evs[i - 1]!.t > 1000) longPauses++;
      // Does not start at the origin, unlike the tools' default cursor.
      const first = events.find((e) => e.type === 'pointermove')!;
      expect(first.x! + first.y!).toBeGreaterThan(100);
    }
    expect(median(shiftRatio)).toBeGreaterThan(1.3);
    expect(rollovers / flights).toBeGreaterThan(0.03);
    expect(backspaces).toBeGreaterThan(0);
    expect(wheels).toBeGreaterThan(0);
    expect(longPauses).toBeGreaterThan(sessions.length);
  });
});

describe('cadence synth --bot-kinds', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('parses kinds and groups, and refuses unknown ones', () => {
    expect(parseBotKinds('windmouse,replay-warp')).toEqual(['windmouse', 'replay-warp']);
    expect(parseBotKinds('adversarial')).toEqual([...ADVERSARIAL_KINDS]);
    expect(parseBotKinds('classic,teleport')).toEqual([...BOT_KINDS]);
    expect(parseBotKinds('all')).toHaveLength(BOT_KINDS.length + ADVERSARIAL_KINDS.length);
    expect(() => parseBotKinds('windmouse,nope')).toThrow(/unknown kind nope/);
  });

  it('leaves the default corpus as it was', () => {
    const opts = { users: 3, sessions: 2, impostors: 1, bots: 2, seed: 4 };
    expect(JSON.stringify([...corpusSessions(opts)])).toBe(JSON.stringify([...synthSessions(opts)]));
  });

  it('writes bot sessions of the chosen kinds, labelled in the manifest', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'cadence-synth-adv-'));
    dirs.push(out);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await synthCommand.run(['--users', '3', '--sessions', '1', '--impostors', '0', '--bots', '4', '--bot-kinds', 'bezier-mouse,replay-warp,teleport,human-mix', '--out', out, '--seed', '9'])).toBe(0);
      expect(await synthCommand.run(['--users', '1', '--sessions', '1', '--bot-kinds', 'nope', '--out', out])).toBe(2);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as { total: number; bot_kinds: string[]; sessions: { file: string; kind: string; bot?: string; replay_of?: string; batches: number }[] };
    expect(manifest.total).toBe(3 * (1 + 4));
    expect(manifest.bot_kinds).toEqual(['bezier-mouse', 'replay-warp', 'teleport', 'human-mix']);
    const bots = manifest.sessions.filter((s) => s.kind === 'bot');
    expect(bots).toHaveLength(12);
    expect(new Set(bots.map((s) => s.bot))).toEqual(new Set(manifest.bot_kinds));
    expect(bots.filter((s) => s.bot === 'replay-warp').every((s) => typeof s.replay_of === 'string')).toBe(true);
    for (const s of manifest.sessions) {
      const batches = JSON.parse(await readFile(path.join(out, s.file), 'utf8')) as unknown[];
      expect(batches).toHaveLength(s.batches);
      for (const b of batches) expect(parseBatch(b).ok).toBe(true);
    }
  });
});
