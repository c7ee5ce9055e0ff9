// Variations of a person's recording that real people and their machines bring (timer precision, a
// busy page, pace, pointer gain): `cadence eval people-stress` judges the public people sets through
// them, and `cadence eval typing-bound --slower` fits on them. Each returns new events, times in ms
// rounded to 0.1 and never decreasing.
import type { BatchEvent } from '../../scoring/batch.ts';
import type { Rng } from '../../scoring/models/rng.ts';
import { FLAT_SPEED_RULES } from '../../scoring/features/flat-speed.ts';

export type Variant = (events: readonly BatchEvent[], rng: Rng) => BatchEvent[];

const round = (t: number) => Math.round(t * 10) / 10;
/** Times made non-decreasing (a late-stamped event never passes the next); the public sets have no NaN times. */
const ordered = (events: BatchEvent[]): BatchEvent[] => {
  let last = -Infinity;
  return events.map((e) => {
    if (!(e.t >= last)) return { ...e, t: last };
    last = e.t;
    return e;
  });
};
export const clock = (q: number): Variant => (events) => events.map((e) => ({ ...e, t: Math.floor(e.t / q) * q }));
export const stretch = (k: number): Variant => (events) => events.map((e) => ({ ...e, t: round(e.t * k) }));
export const busy = (meanMs: number): Variant => (events, rng) => ordered(events.map((e) => ({ ...e, t: round(e.t - meanMs * Math.log(1 - rng.float())) })));

/**
 * A slower pace with the same holds: keydowns spread out by `k`, each key held as long as before
 * (keyups paired with keydowns first in, first out per class and field, as strokesOf pairs them).
 * Most overlaps (rollover) go, as for a typist who presses one key at a time: the case the
 * hold-flight test judges. (Moving each overlapping keyup before the next keydown instead ties a
 * key's hold to its interval, which no hand does: tried, and it made people fail for that reason.)
 */
export const slowerSameHolds = (k: number): Variant => (events) => {
  const shifts = new Map<string, number[]>();
  const out: BatchEvent[] = [];
  for (const e of events) {
    const key = `${e.keyClass}/${e.field ?? ''}`;
    const t = round(e.t * k);
    if (e.type === 'keydown') {
      const q = shifts.get(key) ?? [];
      q.push(t - e.t);
      shifts.set(key, q);
      out.push({ ...e, t });
    } else if (e.type === 'keyup' && shifts.get(key)?.length) out.push({ ...e, t: round(e.t + shifts.get(key)!.shift()!) });
    else out.push({ ...e, t });
  }
  return ordered(out.sort((a, b) => a.t - b.t));
};

/** A pause of 2-12 s before one word in ten (after a space), everything later shifted. */
export const pauses: Variant = (events, rng) => {
  let shift = 0;
  return events.map((e, i) => {
    const prev = events[i - 1];
    if (e.type === 'keydown' && prev?.type === 'keyup' && prev.keyClass === 'space' && rng.float() < 0.1) shift += 2000 + 10_000 * rng.float();
    return { ...e, t: round(e.t + shift) };
  });
};

// Counts of `px` each; a fractional gain lands on the nearest pixel (steps of 1 and 2 px for 1.5).
export const grid = (px: number): Variant => (events) => events.map((e) => (e.x === undefined ? e : { ...e, x: Math.round(Math.round(e.x / px) * px), y: Math.round(Math.round(e.y! / px) * px) }));
export const highDpi: Variant = (events) => events.map((e) => (e.x === undefined ? e : { ...e, x: Math.round(e.x * 1.5) / 1.5, y: Math.round(e.y! * 1.5) / 1.5 }));
export const dropMoves: Variant = (events, rng) => events.filter((e) => e.type !== 'pointermove' || rng.float() >= 0.25);


/** A mouse pointer event with a position (a wheel event's x and y, when a recording has them, are not the pointer's). */
const isMousePosition = (e: BatchEvent): e is BatchEvent & { x: number; y: number } =>
  e.type.startsWith('pointer') && e.x !== undefined && e.y !== undefined && (e.pointerType === undefined || e.pointerType === 'mouse');

/**
 * Stronger pointer acceleration: each move's displacement multiplied by a gain rising with the
 * pointer's speed, from 1 at rest to 1 + k at 1.5 px/ms and above (the shape of Windows' "enhance
 * pointer precision"), whole pixels kept by carrying the remainder. The speed is taken over the last
 * 16 ms or more, as a driver sees it over its reports, not over one recorded interval (a 15.6 ms
 * clock puts two reports in one tick and none in the next). Presses and releases follow the pointer.
 */
export const accelerated = (k: number): Variant => (events) => {
  const past: { t: number; x: number; y: number }[] = [];
  let nx = 0, ny = 0, rx = 0, ry = 0;
  return events.map((e) => {
    if (!isMousePosition(e)) return e;
    const last = past[past.length - 1];
    if (!last) {
      past.push({ t: e.t, x: e.x, y: e.y });
      [nx, ny] = [e.x, e.y];
      return e;
    }
    // The oldest sample within 16 ms, or the newest before that: the speed over at least 16 ms.
    while (past.length > 1 && e.t - past[1]!.t >= 16) past.shift();
    const ref = past[0]!;
    const speed = e.t > ref.t ? Math.hypot(e.x - ref.x, e.y - ref.y) / (e.t - ref.t) : 0;
    const gain = 1 + (k * Math.min(speed, 1.5)) / 1.5;
    const mx = (e.x - last.x) * gain + rx, my = (e.y - last.y) * gain + ry;
    rx = mx - Math.round(mx);
    ry = my - Math.round(my);
    nx += Math.round(mx);
    ny += Math.round(my);
    past.push({ t: e.t, x: e.x, y: e.y });
    return { ...e, x: nx, y: ny };
  });
};

/**
 * A smoothing filter with a time constant (a driver's or a touchpad's low-pass: `tau` ms, `order`
 * cascaded first-order stages; the second order is an inertia), on whole pixels. Each stage moves
 * toward its input by 1 - exp(-dt / tau) of the gap, dt the samples' own interval, unlike `smoothed`,
 * which moves a fixed share whatever the rate. From the red-team review of session 20 (its scratch
 * model).
 */
export const lowPass = (tau: number, order = 1): Variant => (events) => {
  const sx: number[] = [], sy: number[] = [];
  let lt = NaN;
  return events.map((e) => {
    if (!isMousePosition(e)) return e;
    if (Number.isNaN(lt)) {
      for (let k = 0; k < order; k++) [sx[k], sy[k]] = [e.x, e.y];
      lt = e.t;
      return e;
    }
    const a = 1 - Math.exp(-Math.max(0, e.t - lt) / tau);
    lt = e.t;
    let [ix, iy] = [e.x, e.y];
    for (let k = 0; k < order; k++) {
      sx[k] = sx[k]! + a * (ix - sx[k]!);
      sy[k] = sy[k]! + a * (iy - sy[k]!);
      [ix, iy] = [sx[k]!, sy[k]!];
    }
    return { ...e, x: Math.round(ix), y: Math.round(iy) };
  });
};

/** Variants applied in turn (not `then`: a module exporting `then` is a thenable, and awaiting its import never settles). */
export const chain = (...vs: Variant[]): Variant => (events, rng) => vs.reduce((e, v) => v(e, rng), [...events]);

/** A smoothing filter on positions (a touchpad's or a driver's): each a of the way from the last reported point to the new one, whole pixels. */
export const smoothed = (a: number): Variant => (events) => {
  let sx = NaN, sy = NaN;
  return events.map((e) => {
    if (!isMousePosition(e)) return e;
    if (Number.isNaN(sx)) [sx, sy] = [e.x, e.y];
    else [sx, sy] = [sx + a * (e.x - sx), sy + a * (e.y - sy)];
    return { ...e, x: Math.round(sx), y: Math.round(sy) };
  });
};

/**
 * The recording at a modern mouse's rate: between consecutive moves at most 60 ms apart, samples every
 * `ms` along a Catmull-Rom spline through the recorded ones (the collector sends every coalesced
 * sample: 1 ms for a 1000 Hz mouse, 8 ms for 125 Hz), on whole pixels as a browser at a device pixel
 * ratio of 1 reports them, or sub-pixel (`wholePixels` false, the control: the upsampling itself).
 * Balabit's finely sampled people are on a 15.6 ms tick; this is the closest to people at 1000 Hz
 * the data allows (a model, not a recording: a real hand's motion between ticks is not known).
 */
export const deviceRate = (ms: number, wholePixels = true): Variant => (events) => {
  const q = wholePixels ? Math.round : (v: number) => Math.round(v * 100) / 100;
  const isMove = (e: BatchEvent | undefined): e is BatchEvent & { x: number; y: number } => !!e && e.type === 'pointermove' && isMousePosition(e) && e.state !== 'drag';
  const near = (a: BatchEvent, b: BatchEvent) => b.t > a.t && b.t - a.t <= 60;
  const out: BatchEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    out.push(isMousePosition(e) ? { ...e, x: q(e.x), y: q(e.y) } : e);
    const n = events[i + 1];
    if (!isMove(e) || !isMove(n) || !near(e, n)) continue;
    const before = events[i - 1], after = events[i + 2];
    const p = isMove(before) && near(before, e) ? before : e;
    const nn = isMove(after) && near(n, after) ? after : n;
    for (let t = e.t + ms; t < n.t - 1e-9; t += ms) {
      const f = (t - e.t) / (n.t - e.t), f2 = f * f, f3 = f2 * f;
      const cr = (a: number, b: number, c: number, d: number) => 0.5 * (2 * b + (c - a) * f + (2 * a - 5 * b + 4 * c - d) * f2 + (3 * b - a - 3 * c + d) * f3);
      out.push({ type: 'pointermove', t: round(t), x: q(cr(p.x, e.x, n.x, nn.x)), y: q(cr(p.y, e.y, n.y, nn.y)), ...(e.pointerType ? { pointerType: e.pointerType } : {}) });
    }
  }
  return out;
};

/**
 * Each movement of the recording (mouse moves without a rest of 300 ms or another event between
 * them) replaced by `redraw(moves)`; every other event kept.
 */
const eachMovement = (events: readonly BatchEvent[], redraw: (moves: BatchEvent[]) => BatchEvent[]): BatchEvent[] => {
  const out: BatchEvent[] = [];
  let move: BatchEvent[] = [];
  const flush = () => {
    out.push(...(move.length ? redraw(move) : move));
    move = [];
  };
  for (const e of events) {
    if (isMousePosition(e) && e.type === 'pointermove') {
      if (move.length && e.t - move[move.length - 1]!.t >= FLAT_SPEED_RULES.restMs) flush();
      move.push(e);
    } else {
      flush();
      out.push(e);
    }
  }
  flush();
  return ordered(out);
};

/**
 * A pointer held at one speed: a trackpoint at its transfer function's plateau, or an accessibility
 * setting that moves the pointer from the keyboard. Each movement (moves without a rest of 300 ms or
 * another event between them) keeps its path, its start and its end, and is re-timed along its length
 * to one speed, reached and left over `rampMs` (a trapezoid). A model of such devices, not a recording.
 */
export const heldSpeed = (rampMs: number): Variant => (events) =>
  eachMovement(events, (move) => {
    if (move.length < 3) return move;
    const t0 = move[0]!.t;
    const total = move[move.length - 1]!.t - t0;
    const along = [0];
    for (let i = 1; i < move.length; i++) along.push(along[i - 1]! + Math.hypot(move[i]!.x! - move[i - 1]!.x!, move[i]!.y! - move[i - 1]!.y!));
    const length = along[along.length - 1]!;
    if (!(length > 0 && total > 0)) return move;
    const r = Math.min(rampMs, total / 3);
    const v = length / (total - r); // the plateau's speed: ramps of r at each end
    const ramp = (v * r) / 2; // the distance each ramp covers
    const at = (s: number) => (s <= ramp ? Math.sqrt((2 * s * r) / v) : s >= length - ramp ? total - Math.sqrt((2 * (length - s) * r) / v) : r + (s - ramp) / v);
    return move.map((e, i) => ({ ...e, t: round(t0 + at(along[i]!)) }));
  });

/**
 * The pointer driven from the keyboard (Mouse Keys, an accessibility setting): each movement redrawn
 * as the numpad moves a pointer, along one of eight directions (diagonally until one axis is reached,
 * then straight along the other), a step every `tickMs` at one speed with 100 ms ramps, in whole
 * pixels, over the movement's own start, end and duration. A model (no recording of a Mouse Keys user
 * was available), not a person.
 */
export const mouseKeys = (tickMs: number): Variant => (events) =>
  eachMovement(events, (move) => {
    const first = move[0]!;
    const last = move[move.length - 1]!;
    if (move.length < 3 || last.t - first.t < 2 * tickMs) return move;
    const [x0, y0, x1, y1] = [first.x!, first.y!, last.x!, last.y!];
    const diag = Math.min(Math.abs(x1 - x0), Math.abs(y1 - y0));
    const corner = { x: x0 + Math.sign(x1 - x0) * diag, y: y0 + Math.sign(y1 - y0) * diag };
    const leg1 = Math.SQRT2 * diag;
    const length = leg1 + Math.hypot(x1 - corner.x, y1 - corner.y);
    const total = last.t - first.t;
    const r = Math.min(100, total / 3);
    const v = length / (total - r);
    const ramp = (v * r) / 2;
    // Distance along the path at time u after the start: ramp up, plateau, ramp down.
    const along = (u: number) => (u <= r ? (v * u * u) / (2 * r) : u >= total - r ? length - (v * (total - u) ** 2) / (2 * r) : ramp + v * (u - r));
    const at = (s: number) => {
      if (s <= leg1) return { x: x0 + ((corner.x - x0) * s) / (leg1 || 1), y: y0 + ((corner.y - y0) * s) / (leg1 || 1) };
      const k = (s - leg1) / (length - leg1 || 1);
      return { x: corner.x + (x1 - corner.x) * k, y: corner.y + (y1 - corner.y) * k };
    };
    const redrawn: BatchEvent[] = [];
    for (let u = 0; u < total; u += tickMs) {
      const p = at(Math.max(0, Math.min(length, along(u))));
      redrawn.push({ ...first, t: round(first.t + u), x: Math.round(p.x), y: Math.round(p.y) });
    }
    redrawn.push({ ...last });
    return redrawn;
  });
