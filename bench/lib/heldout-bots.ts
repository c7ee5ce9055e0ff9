// Held-out human-like bots: a second red team, written apart from scoring/synth/adversarial.ts
// and from the detectors, so that a signal developed against those families can be checked on
// bots it was not built against. Do not tune a detector to these: they are the held-out check
// (`cadence eval sessions` reports them in their own rows; `cadence eval corpus --from heldout`).
//
// Each family imitates a way bots are really written, differently from the synth families:
// uniform or normal i.i.d. timings, log-normal timings with a drifting speed (AR(1)) and
// word pauses, a per-class-pair timing table; pointers on minimum-jerk trajectories (the
// motor-control model of a smooth reach) sampled at 125 or 60 Hz, pyautogui's eased straight
// tween, and constant-speed splines through random waypoints. Typing families move between
// fields with Tab (no pointer); pointer families put text in with a paste (no keys), so that each
// family tests one modality. Events are what the collector sends (collector/index.ts): pointer
// moves at the device's rate, times in ms rounded to 0.1 and never decreasing, a page's own clock.
import type { BatchEvent, KeyClass } from '../../scoring/batch.ts';
import { Rng } from '../../scoring/models/rng.ts';

export const HELDOUT_FAMILIES = [
  'uniform-iid-typing',
  'normal-iid-typing',
  'drifting-lognormal-typing',
  'digraph-table-typing',
  'min-jerk-125hz',
  'min-jerk-noisy-60hz',
  'pyautogui-tween',
  'spline-wander',
] as const;
export type HeldoutFamily = (typeof HELDOUT_FAMILIES)[number];

export interface HeldoutSession {
  id: string;
  family: HeldoutFamily;
  /** One page's events each (a new page starts a new clock). */
  pages: { page: string; events: BatchEvent[] }[];
}

type Timing = (cls: KeyClass, prev: KeyClass | undefined, i: number) => { hold: number; gap: number };

const FIRST = ['maria', 'john', 'wei', 'olga', 'sam', 'fatima', 'lukas', 'ana'];
const LAST = ['lopez', 'smith', 'chen', 'ivanova', 'okafor', 'berg', 'rossi', 'khan'];
const NOTES = ['Rent for December', 'Invoice 2291 paid', 'Birthday gift', 'Car repair, thanks', 'Dinner split'];

/** Key classes of a text, with Shift around capitals and symbols typed with it. */
function keysOf(text: string): { cls: KeyClass; shifted: boolean }[] {
  return [...text].map((ch) => {
    if (ch === ' ') return { cls: 'space', shifted: false };
    if (ch >= '0' && ch <= '9') return { cls: 'digit', shifted: false };
    if (ch.toLowerCase() !== ch.toUpperCase()) return { cls: 'letter', shifted: ch !== ch.toLowerCase() };
    return { cls: 'punctuation', shifted: '@!?:_'.includes(ch) };
  });
}

class Page {
  readonly events: BatchEvent[] = [];
  t: number;
  x: number;
  y: number;
  constructor(rng: Rng) {
    this.t = 300 + 900 * rng.float();
    this.x = 200 + 800 * rng.float();
    this.y = 100 + 500 * rng.float();
  }
  push(e: BatchEvent): void {
    const last = this.events.length ? this.events[this.events.length - 1]!.t : 0;
    this.events.push({ ...e, t: Math.max(last, Math.round(e.t * 10) / 10) });
  }
  key(type: 'keydown' | 'keyup', keyClass: KeyClass, t: number, field: string): void {
    this.push({ type, t, keyClass, field });
  }
}

/** Types `text` into `field`: Shift wraps shifted keys (pressed before, released after). */
function typeText(p: Page, text: string, field: string, timing: Timing): void {
  let prev: KeyClass | undefined;
  const pending: BatchEvent[] = [];
  keysOf(text).forEach(({ cls, shifted }, i) => {
    const { hold, gap } = timing(cls, prev, i);
    if (shifted) {
      pending.push({ type: 'keydown', t: p.t, keyClass: 'shift', field });
      p.t += 40 + gap * 0.3;
    }
    pending.push({ type: 'keydown', t: p.t, keyClass: cls, field });
    pending.push({ type: 'keyup', t: p.t + hold, keyClass: cls, field });
    if (shifted) pending.push({ type: 'keyup', t: p.t + hold + 25, keyClass: 'shift', field });
    p.t += Math.max(hold * 0.3, gap);
    prev = cls;
  });
  pending.sort((a, b) => a.t - b.t);
  for (const e of pending) p.push(e);
  p.t = Math.max(p.t, p.events[p.events.length - 1]!.t) + 50;
}

function tab(p: Page, field: string, rng: Rng): void {
  p.t += 250 + 500 * rng.float();
  p.key('keydown', 'tab', p.t, field);
  p.key('keyup', 'tab', p.t + 60 + 40 * rng.float(), field);
  p.t += 200 + 300 * rng.float();
  p.push({ type: 'focus', t: p.t, field });
}

function paste(p: Page, field: string, rng: Rng): void {
  p.t += 150 + 300 * rng.float();
  p.key('keydown', 'modifier', p.t, field);
  p.key('keydown', 'letter', p.t + 90, field);
  p.key('keyup', 'letter', p.t + 170, field);
  p.key('keyup', 'modifier', p.t + 230, field);
  p.push({ type: 'input', t: p.t + 95, field, state: 'paste' });
  p.t += 400 + 400 * rng.float();
}

// ---- typing families ------------------------------------------------------------------------

const clip = (v: number, lo: number) => Math.max(lo, v);

function timingFor(family: HeldoutFamily, rng: Rng): Timing {
  const speed = 0.7 + 0.7 * rng.float(); // this bot's tempo
  switch (family) {
    case 'uniform-iid-typing':
      return () => ({ hold: 50 + 100 * rng.float(), gap: speed * (120 + 260 * rng.float()) });
    case 'normal-iid-typing':
      return () => ({ hold: clip(95 + 25 * rng.normal(), 30), gap: clip(speed * (210 + 70 * rng.normal()), 60) });
    case 'drifting-lognormal-typing': {
      let drift = 0;
      return (cls, prev) => {
        drift = 0.6 * drift + 0.25 * rng.normal();
        const wordStart = prev === 'space' ? 120 + 200 * rng.float() : 0;
        return { hold: 90 * Math.exp(0.25 * rng.normal()), gap: speed * 170 * Math.exp(drift + 0.2 * rng.normal()) + wordStart };
      };
    }
    case 'digraph-table-typing': {
      const mean: Partial<Record<string, number>> = { 'letter>letter': 150, 'letter>space': 130, 'space>letter': 240, 'digit>digit': 190, 'letter>punctuation': 260, 'punctuation>letter': 230 };
      const holdOf: Partial<Record<KeyClass, number>> = { space: 105, letter: 88, digit: 95, punctuation: 100 };
      return (cls, prev) => ({
        hold: (holdOf[cls] ?? 95) * Math.exp(0.22 * rng.normal()),
        gap: speed * (mean[`${prev}>${cls}`] ?? 200) * Math.exp(0.35 * rng.normal()),
      });
    }
    default:
      throw new Error(`${family} is not a typing family`);
  }
}

// ---- pointer families -----------------------------------------------------------------------

type Path = (p: Page, tx: number, ty: number, rng: Rng) => void;

/** Minimum-jerk reach (Flash & Hogan 1985) along a gently curved path, sampled every `dt` ms. */
function minJerk(dt: number, noisePx: number): Path {
  return (p, tx, ty, rng) => {
    const [x0, y0] = [p.x, p.y];
    const d = Math.hypot(tx - x0, ty - y0);
    const duration = 250 + 150 * Math.log2(d / 20 + 1) * (0.8 + 0.4 * rng.float()); // Fitts
    const bend = (rng.float() - 0.5) * 0.3 * d;
    const [nx, ny] = d > 0 ? [-(ty - y0) / d, (tx - x0) / d] : [0, 0];
    for (let s = dt; s <= duration + 1e-9; s += dt) {
      const u = s / duration;
      const e = 10 * u ** 3 - 15 * u ** 4 + 6 * u ** 5;
      const off = 4 * e * (1 - e) * bend;
      const jx = noisePx ? (rng.float() - 0.5) * 2 * noisePx : 0;
      const jy = noisePx ? (rng.float() - 0.5) * 2 * noisePx : 0;
      p.push({ type: 'pointermove', t: p.t + s + 0.2 * rng.normal(), x: Math.round(x0 + (tx - x0) * e + nx * off + jx), y: Math.round(y0 + (ty - y0) * e + ny * off + jy) });
    }
    p.t += duration;
    [p.x, p.y] = [tx, ty];
  };
}

/** pyautogui.moveTo(x, y, duration, pyautogui.easeInOutQuad): a straight eased tween in ~10 ms steps. */
const tween: Path = (p, tx, ty, rng) => {
  const [x0, y0] = [p.x, p.y];
  const duration = 200 + 600 * rng.float();
  const steps = Math.max(2, Math.round(duration / 10));
  for (let i = 1; i <= steps; i++) {
    const u = i / steps;
    const e = u < 0.5 ? 2 * u * u : 1 - (-2 * u + 2) ** 2 / 2;
    p.push({ type: 'pointermove', t: p.t + (duration * i) / steps + rng.float(), x: Math.round(x0 + (tx - x0) * e), y: Math.round(y0 + (ty - y0) * e) });
  }
  p.t += duration;
  [p.x, p.y] = [tx, ty];
};

/** A Catmull-Rom spline through 2-4 waypoints near the line, at a near-constant speed, 60 Hz. */
const spline: Path = (p, tx, ty, rng) => {
  const pts: [number, number][] = [[p.x, p.y]];
  const n = 2 + rng.int(3);
  const d = Math.hypot(tx - p.x, ty - p.y);
  for (let i = 1; i <= n; i++) {
    const u = i / (n + 1);
    pts.push([p.x + (tx - p.x) * u + (rng.float() - 0.5) * 0.25 * d, p.y + (ty - p.y) * u + (rng.float() - 0.5) * 0.25 * d]);
  }
  pts.push([tx, ty]);
  const at = (k: number, u: number) => {
    const P = (j: number) => pts[Math.max(0, Math.min(pts.length - 1, j))]!;
    const [a, b, c, e] = [P(k - 1), P(k), P(k + 1), P(k + 2)];
    const f = (i: 0 | 1) => 0.5 * (2 * b[i] + (-a[i] + c[i]) * u + (2 * a[i] - 5 * b[i] + 4 * c[i] - e[i]) * u * u + (-a[i] + 3 * b[i] - 3 * c[i] + e[i]) * u ** 3);
    return [f(0), f(1)] as const;
  };
  const speed = 0.8 + 0.8 * rng.float(); // px/ms
  const phase = rng.float() * 6.28;
  let t = 0;
  for (let k = 0; k < pts.length - 1; k++) {
    const seg = Math.hypot(pts[k + 1]![0] - pts[k]![0], pts[k + 1]![1] - pts[k]![1]);
    const steps = Math.max(2, Math.ceil(seg / (speed * 16.7)));
    for (let i = 1; i <= steps; i++) {
      const [x, y] = at(k, i / steps);
      t += 16.7 * (1 + 0.15 * Math.sin(phase + t / 120));
      p.push({ type: 'pointermove', t: p.t + t, x: Math.round(x), y: Math.round(y) });
    }
  }
  p.t += t;
  [p.x, p.y] = [tx, ty];
};

function click(p: Page, rng: Rng, dwell: [number, number], hold: [number, number]): void {
  p.t += dwell[0] + (dwell[1] - dwell[0]) * rng.float();
  p.push({ type: 'pointerdown', t: p.t, x: p.x, y: p.y, button: 0, pointerType: 'mouse' });
  p.t += hold[0] + (hold[1] - hold[0]) * rng.float();
  p.push({ type: 'pointerup', t: p.t, x: p.x, y: p.y, button: 0, pointerType: 'mouse' });
}

// ---- sessions -------------------------------------------------------------------------------

const TARGETS = { email: [640, 260], password: [640, 330], submit: [640, 410], amount: [520, 300], note: [520, 380], send: [700, 470] } as const;

function session(family: HeldoutFamily, index: number, seed: number): HeldoutSession {
  const rng = new Rng(seed * 7919 + index * 104_729 + HELDOUT_FAMILIES.indexOf(family) * 15_485_863);
  const name = `${FIRST[rng.int(FIRST.length)]!}.${LAST[rng.int(LAST.length)]!}${rng.int(90) + 10}@example.com`;
  const password = `${LAST[rng.int(LAST.length)]!.replace(/^./, (c) => c.toUpperCase())}${2000 + rng.int(30)}!`;
  const amount = `${100 + rng.int(4900)}.${rng.int(10)}0`;
  const note = NOTES[rng.int(NOTES.length)]!;
  const login = new Page(rng);
  const transfer = new Page(rng);
  if (family.endsWith('-typing')) {
    const timing = timingFor(family, rng);
    tab(login, 'email', rng);
    typeText(login, name, 'email', timing);
    tab(login, 'password', rng);
    typeText(login, password, 'password', timing);
    login.t += 200 + 300 * rng.float();
    login.key('keydown', 'enter', login.t, 'password');
    login.key('keyup', 'enter', login.t + 80, 'password');
    tab(transfer, 'amount', rng);
    typeText(transfer, amount, 'amount', timing);
    tab(transfer, 'note', rng);
    typeText(transfer, note, 'note', timing);
    transfer.t += 300;
    transfer.key('keydown', 'enter', transfer.t, 'note');
    transfer.key('keyup', 'enter', transfer.t + 90, 'note');
  } else {
    const move: Path = family === 'min-jerk-125hz' ? minJerk(8, 0) : family === 'min-jerk-noisy-60hz' ? minJerk(16.7, 2) : family === 'pyautogui-tween' ? tween : spline;
    // pyautogui clicks at once (mouseDown/mouseUp back to back); the others pause like a hand.
    const [dwell, hold]: [[number, number], [number, number]] = family === 'pyautogui-tween' ? [[0, 2], [0, 3]] : [[80, 300], [60, 140]];
    const go = (p: Page, target: keyof typeof TARGETS, field?: string) => {
      const [x, y] = TARGETS[target];
      move(p, x + (rng.float() - 0.5) * 60, y + (rng.float() - 0.5) * 16, rng);
      click(p, rng, dwell, hold);
      if (field) {
        p.push({ type: 'focus', t: p.t, field });
        paste(p, field, rng);
      }
    };
    go(login, 'email', 'email');
    go(login, 'password', 'password');
    go(login, 'submit');
    go(transfer, 'amount', 'amount');
    go(transfer, 'note', 'note');
    go(transfer, 'send');
  }
  return { id: `heldout-${family}-${index}`, family, pages: [{ page: '/login', events: login.events }, { page: '/transfer', events: transfer.events }] };
}

/** `count` sessions of each family (or of `families`), seeded. */
export function heldoutSessions(count: number, seed = 1, families: readonly HeldoutFamily[] = HELDOUT_FAMILIES): HeldoutSession[] {
  return families.flatMap((f) => Array.from({ length: count }, (_, i) => session(f, i, seed)));
}
