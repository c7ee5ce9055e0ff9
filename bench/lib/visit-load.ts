// Batches as the collector sends them from people's visits, for `cadence bench edge --batches
// visits`: what the edge's every pass sees in production, rather than the bench's default mixed
// batch (typing beside pointer samples scattered at random, no press, no reach, no touch, no
// scroll). Two kinds of visit, alternating:
//
// - a desktop: reaches to five fields and a button (bench/lib/hands.ts's reachSteps: a bowed
//   primary sub-movement and a correction, ~16 ms a sample), presses, focus, typing with Shift
//   around capitals, a Backspace now and then, wheel steps sampled every 50 ms, idle drift;
// - a phone: taps (pointerdown, touchstart, a few touchmoves, pointerup, touchend), swipes that
//   scroll the page, a soft keyboard's key pairs (keydown at beforeinput, keyup at input), and the
//   page's `environment: touch`.
//
// Each visit is cut into 3-s windows (bench/lib/corpus.ts windows()); every window passes parseBatch.
// Not a model of anyone: a realistic load. Seeded, so runs can be compared.
import type { BatchEvent, KeyClass } from '../../scoring/batch.ts';
import { windows } from './corpus.ts';
import { reachSteps, rng as seeded } from './hands.ts';

type Random = () => number;
const round = (t: number) => Math.round(t * 10) / 10;
const between = (r: Random, a: number, b: number) => a + (b - a) * r();

/** A field's text as key classes, with Shift around a capital one time in eight. */
function keysOf(n: number, r: Random): { cls: KeyClass; shifted: boolean }[] {
  return Array.from({ length: n }, (_, i) => {
    const u = r();
    const cls: KeyClass = i > 0 && u < 0.15 ? 'space' : u < 0.25 ? 'digit' : u < 0.28 ? 'punctuation' : 'letter';
    return { cls, shifted: cls === 'letter' && r() < 0.125 };
  });
}

function desktopVisit(r: Random): BatchEvent[] {
  const ev: BatchEvent[] = [];
  let t = between(r, 200, 800);
  let at = { x: between(r, 100, 1100), y: between(r, 100, 700) };
  const move = (to: { x: number; y: number }) => {
    for (const s of reachSteps(at, to, r)) {
      ev.push({ type: 'pointermove', t: round(t), x: Math.round(s.x), y: Math.round(s.y) });
      t += s.waitMs;
    }
    at = to;
  };
  const fields = ['name', 'email', 'iban', 'amount', 'reference'];
  for (const [k, field] of fields.entries()) {
    move({ x: between(r, 300, 900), y: 150 + 90 * k + between(r, -8, 8) });
    t += between(r, 80, 250);
    ev.push({ type: 'pointerdown', t: round(t), x: Math.round(at.x), y: Math.round(at.y), button: 0, pressure: 0.5 });
    ev.push({ type: 'focus', t: round(t + 1), field });
    t += between(r, 60, 130);
    ev.push({ type: 'pointerup', t: round(t), x: Math.round(at.x), y: Math.round(at.y), button: 0 });
    t += between(r, 250, 600); // the hand finds the keys
    for (const [i, key] of keysOf(6 + Math.floor(r() * 14), r).entries()) {
      if (key.shifted) {
        ev.push({ type: 'keydown', t: round(t), keyClass: 'shift', field });
        t += between(r, 40, 100);
      }
      const hold = between(r, 60, 140);
      ev.push({ type: 'keydown', t: round(t), keyClass: key.cls, field, position: i });
      ev.push({ type: 'keyup', t: round(t + hold), keyClass: key.cls, field });
      if (key.shifted) ev.push({ type: 'keyup', t: round(t + hold + between(r, 20, 60)), keyClass: 'shift', field });
      t += (150 + r() * 150) * (key.cls === 'space' ? 1.6 : 1) + (key.shifted ? 100 : 0);
      if (r() < 0.04) {
        t += between(r, 250, 500); // noticing a typo
        ev.push({ type: 'keydown', t: round(t), keyClass: 'backspace', field }, { type: 'keyup', t: round(t + between(r, 70, 120)), keyClass: 'backspace', field });
        t += between(r, 200, 350);
      }
    }
    ev.push({ type: 'blur', t: round(t), field });
    if (k === 2) {
      // Reading: the wheel (sampled every 50 ms) and the pointer drifting a little.
      t += between(r, 300, 900);
      for (let s = 0; s < 6 + r() * 10; s++, t += between(r, 50, 120)) ev.push({ type: 'wheel', t: round(t), x: Math.round(at.x), y: Math.round(at.y), dx: 0, dy: 100 });
      for (let s = 0; s < 8; s++, t += between(r, 14, 20)) ev.push({ type: 'pointermove', t: round(t), x: Math.round((at.x += between(r, -2, 3))), y: Math.round((at.y += between(r, -1, 2))) });
    }
    t += between(r, 400, 1500);
  }
  move({ x: between(r, 500, 700), y: 650 + between(r, -6, 6) });
  t += between(r, 100, 300);
  ev.push({ type: 'pointerdown', t: round(t), x: Math.round(at.x), y: Math.round(at.y), button: 0, pressure: 0.5 });
  ev.push({ type: 'pointerup', t: round(t + between(r, 60, 120)), x: Math.round(at.x), y: Math.round(at.y), button: 0 });
  return ev;
}

function phoneVisit(r: Random): BatchEvent[] {
  const ev: BatchEvent[] = [];
  let t = between(r, 200, 800);
  const tap = (x: number, y: number) => {
    const p = { pointerType: 'touch' as const };
    ev.push({ type: 'pointerdown', t: round(t), x: Math.round(x), y: Math.round(y), button: 0, pressure: between(r, 0.2, 0.6), ...p });
    ev.push({ type: 'touchstart', t: round(t + 0.5), x: Math.round(x), y: Math.round(y) });
    const hold = between(r, 60, 140);
    for (let s = 8; s < hold; s += 8 + r() * 4) ev.push({ type: 'touchmove', t: round(t + s), x: Math.round(x + between(r, -1.5, 1.5)), y: Math.round(y + between(r, -1.5, 1.5)) });
    t += hold;
    ev.push({ type: 'pointerup', t: round(t), x: Math.round(x), y: Math.round(y), button: 0, ...p });
    ev.push({ type: 'touchend', t: round(t + 0.5), x: Math.round(x), y: Math.round(y) });
  };
  const swipe = () => {
    let [x, y] = [between(r, 80, 300), between(r, 450, 650)];
    const dy = -between(r, 150, 400), ms = between(r, 120, 300);
    ev.push({ type: 'touchstart', t: round(t), x: Math.round(x), y: Math.round(y) });
    for (let s = 8; s < ms; s += 8 + r() * 3) {
      const u = s / ms, e = u * u * (3 - 2 * u);
      ev.push({ type: 'touchmove', t: round(t + s), x: Math.round(x + 6 * e), y: Math.round(y + dy * e) });
    }
    t += ms;
    [x, y] = [x + 6, y + dy];
    ev.push({ type: 'touchend', t: round(t), x: Math.round(x), y: Math.round(y) });
    // The page's momentum scroll, as the collector reports scrolling without a wheel.
    for (let s = 0; s < 4; s++, t += 50 + r() * 10) ev.push({ type: 'wheel', t: round(t + 50), dx: 0, dy: Math.round(-dy / (2 + s)), state: 'scroll' });
  };
  for (const [k, field] of ['name', 'iban', 'amount', 'reference'].entries()) {
    if (k === 1) swipe();
    t += between(r, 600, 1500);
    tap(between(r, 40, 340), 160 + 70 * k);
    ev.push({ type: 'focus', t: round(t + 2), field });
    t += between(r, 300, 700); // the soft keyboard opens
    for (let i = 0; i < 5 + r() * 12; i++) {
      // A soft keyboard: keydown at beforeinput, keyup at input, a millisecond or two apart.
      ev.push({ type: 'keydown', t: round(t), keyClass: 'other', field, position: i }, { type: 'keyup', t: round(t + between(r, 0.5, 2)), keyClass: 'other', field });
      t += between(r, 180, 420);
    }
    ev.push({ type: 'blur', t: round(t), field });
  }
  swipe();
  t += between(r, 500, 1200);
  tap(between(r, 120, 260), 600);
  // The page says its device has a touch screen, at each batch's end: placed once per 3 s here.
  const end = ev[ev.length - 1]!.t;
  for (let s = ev[0]!.t + 2999; s < end + 3000; s += 3000) ev.push({ type: 'environment', t: round(Math.min(s, end)), state: 'touch' });
  return ev.sort((a, b) => a.t - b.t);
}

/**
 * An endless stream of visits' windows for a load generator: `slots` visits in flight, each request
 * the next window of the next slot in turn (a session's windows are `slots` requests apart, never
 * in flight together), a finished visit replaced by a new one with its own seed and session id, so
 * no two sessions send the same events (identical windows in many sessions are a replay farm, which
 * the core flags and the edge then refuses).
 */
export class VisitStream {
  private readonly live: { id: string; windows: BatchEvent[][]; next: number }[] = [];
  private turn = 0;
  private serial = 0;
  constructor(
    private readonly tag: string,
    private readonly slots = 500,
    private readonly seed = 1,
  ) {}

  next(): { sessionId: string; seq: number; events: BatchEvent[] } {
    const k = this.turn++ % this.slots;
    let v = this.live[k];
    if (!v || v.next >= v.windows.length) {
      const s = this.serial++;
      v = this.live[k] = { id: `${this.tag}-v${s}`, windows: windows((s % 2 === 0 ? desktopVisit : phoneVisit)(seeded(this.seed + s))), next: 0 };
    }
    const seq = v.next++;
    return { sessionId: v.id, seq, events: v.windows[seq]! };
  }

  /** The next window as a POST /v1/events body. */
  nextBody(): string {
    const v = this.next();
    return JSON.stringify({ sessionId: v.sessionId, batchId: `${v.sessionId}.${v.seq}`, seq: v.seq, consent: true, events: v.events });
  }
}
