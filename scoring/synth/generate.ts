// Seeded generator of synthetic behaviour in the edge's batch format: genuine users with stable
// personal rhythms (hold and latency distributions, per-position digraph habits, pointer speed,
// curvature and click holds) that drift slowly across sessions; impostors (another person typing
// the same fields); bots of several kinds. Portable and I/O-free: tests, the demo and `cadence synth`.
// Human-like bot families (Bezier, WindMouse, log-normal typing, replays with warp...) are in adversarial.ts.
import type { BatchEvent, EventBatch, KeyClass } from '../batch.ts';
import { Rng } from '../models/rng.ts';
import type { AdversarialKind } from './adversarial.ts';

export const BOT_KINDS = ['zero-interval', 'constant-interval', 'replay', 'straight-path', 'teleport', 'rapid-clicks'] as const;
export type BotKind = (typeof BOT_KINDS)[number];
export type SessionKind = 'genuine' | 'impostor' | 'bot';

/** Events per batch: well inside the edge's 500 events and 64 KB. */
export const EVENTS_PER_BATCH = 200;

export interface Person {
  id: string;
  /** Median key hold (ms), its log-space spread, per-class factors. */
  holdMs: number;
  holdSigma: number;
  /** Median keydown-to-keydown latency (ms) and its log-space spread. */
  ddMs: number;
  ddSigma: number;
  /** Share of keys followed by a correction (backspace). */
  errorRate: number;
  /** Per-position latency factors per field: the personal rhythm of a familiar string. */
  rhythm: Record<string, number[]>;
  /** Fitts-law movement time a + b log2(1 + D / W) (ms). */
  fittsA: number;
  fittsB: number;
  /** Signed sideways bulge of a movement, as a share of its length; tremor sd (px). */
  bulge: number;
  tremorPx: number;
  overshoot: number;
  clickHoldMs: number;
  /** Relative change of the timing medians per session (slow drift). */
  drift: number;
  deviceId: string;
  language: string;
  screen: { width: number; height: number };
}

export interface Fields {
  /** Key classes typed into each field, in order (never values). */
  username: KeyClass[];
  password: KeyClass[];
  amount: KeyClass[];
}

export interface SynthUser {
  person: Person;
  fields: Fields;
}

export interface SynthSession {
  sessionId: string;
  /** The account the session claims to be. */
  user: string;
  kind: SessionKind;
  /** Who (or what) produced it: the user, an impostor's id, or the bot kind. */
  actor: string;
  /** One of BOT_KINDS here, or of ADVERSARIAL_KINDS (adversarial.ts). */
  bot?: BotKind | AdversarialKind;
  /** Session number of this user (drift grows with it). */
  index: number;
  batches: EventBatch[];
}

export interface SynthOptions {
  users: number;
  /** Genuine sessions per user. */
  sessions: number;
  /** Impostor sessions per user (default 1). */
  impostors?: number;
  /** Bot sessions per user (default 1; kinds rotate through BOT_KINDS). */
  bots?: number;
  seed?: number;
}

const LANGUAGES = ['en-GB', 'en-US', 'de-DE', 'fr-FR', 'hu-HU', 'es-ES'];
const SCREENS = [{ width: 1440, height: 900 }, { width: 1920, height: 1080 }, { width: 1366, height: 768 }, { width: 2560, height: 1440 }];
/** Where things are on the demo pages (fraction of the screen). */
const LAYOUT = { username: [0.5, 0.38], password: [0.5, 0.46], submit: [0.5, 0.55], amount: [0.45, 0.4], confirm: [0.6, 0.6] } as const;

const logNormal = (rng: Rng, median: number, sigma: number) => median * Math.exp(sigma * rng.normal());
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.float();

export function makePerson(id: string, rng: Rng, fields: Fields): Person {
  const rhythm: Record<string, number[]> = {};
  for (const [name, classes] of Object.entries(fields)) rhythm[name] = classes.map(() => Math.exp(0.3 * rng.normal()));
  return {
    id,
    holdMs: between(rng, 70, 125),
    holdSigma: between(rng, 0.12, 0.25),
    ddMs: between(rng, 140, 280),
    ddSigma: between(rng, 0.25, 0.45),
    errorRate: between(rng, 0, 0.06),
    rhythm,
    fittsA: between(rng, 120, 260),
    fittsB: between(rng, 90, 200),
    bulge: between(rng, 0.03, 0.15) * (rng.float() < 0.5 ? -1 : 1),
    tremorPx: between(rng, 0.5, 2.5),
    overshoot: between(rng, 0, 0.3),
    clickHoldMs: between(rng, 70, 150),
    drift: between(rng, -0.006, 0.006),
    deviceId: `dev-${id}`,
    language: LANGUAGES[rng.int(LANGUAGES.length)]!,
    screen: SCREENS[rng.int(SCREENS.length)]!,
  };
}

function makeFields(rng: Rng): Fields {
  const word = (n: number, mix: (i: number) => KeyClass) => Array.from({ length: n }, (_, i) => mix(i));
  const pw: KeyClass[] = ['letter', 'letter', 'digit', 'punctuation', 'shift'];
  return {
    username: word(6 + rng.int(7), () => (rng.float() < 0.85 ? 'letter' : 'digit')),
    password: word(8 + rng.int(5), () => pw[rng.int(pw.length)]!),
    amount: word(2 + rng.int(4), () => 'digit'),
  };
}

export function synthUsers(count: number, seed = 1): SynthUser[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const fields = makeFields(rng);
    return { fields, person: makePerson(`user${i + 1}`, rng, fields) };
  });
}

/** Everything `cadence synth` writes: per user, genuine sessions, impostor sessions and bot sessions. */
export function* synthSessions(options: SynthOptions): Generator<SynthSession> {
  const seed = options.seed ?? 1;
  const users = synthUsers(options.users, seed);
  for (const [u, user] of users.entries()) {
    const rng = new Rng(seed * 7919 + u + 1);
    for (let s = 0; s < options.sessions; s++) yield genuineSession(user, s, rng);
    for (let k = 0; k < (options.impostors ?? 1); k++) {
      const impostor = makePerson(`impostor${u + 1}-${k + 1}`, rng, user.fields);
      yield session(user, 'impostor', impostor.id, options.sessions + k, behave(impostor, user.fields, 0, rng));
    }
    for (let k = 0; k < (options.bots ?? 1); k++) {
      const kind = BOT_KINDS[(u + k) % BOT_KINDS.length]!;
      yield botSession(user, kind, options.sessions + k, rng);
    }
  }
}

export function genuineSession(user: SynthUser, index: number, rng: Rng): SynthSession {
  return session(user, 'genuine', user.person.id, index, behave(user.person, user.fields, index, rng));
}

export function botSession(user: SynthUser, kind: BotKind, index: number, rng: Rng): SynthSession {
  return { ...session(user, 'bot', kind, index, bot(kind, user, rng)), bot: kind };
}

interface Page {
  page: string;
  events: BatchEvent[];
}

function session(user: SynthUser, kind: SessionKind, actor: string, index: number, pages: Page[]): SynthSession {
  const sessionId = `synth-${user.person.id}-${kind}-${index}`;
  const deviceId = kind === 'genuine' ? user.person.deviceId : `dev-${actor.replace(/[^A-Za-z0-9-]/g, '')}-${index}`;
  const batches: EventBatch[] = [];
  for (const { page, events } of pages) {
    for (let i = 0; i < events.length; i += EVENTS_PER_BATCH) {
      const seq = batches.length;
      batches.push({
        sessionId,
        batchId: `${sessionId}.${seq}`,
        seq,
        consent: true,
        context: { page, deviceId, language: user.person.language, screen: user.person.screen },
        events: events.slice(i, i + EVENTS_PER_BATCH),
      });
    }
  }
  return { sessionId, user: user.person.id, kind, actor, index, batches };
}

/** A person logging in and making a transfer: point, click, type, with their own rhythm. */
function behave(p: Person, fields: Fields, index: number, rng: Rng): Page[] {
  const f = 1 + p.drift * index;
  const { width, height } = p.screen;
  const at = (k: keyof typeof LAYOUT): [number, number] => [LAYOUT[k][0] * width + rng.normal() * 20, LAYOUT[k][1] * height + rng.normal() * 6];
  const pages: Page[] = [];
  for (const [page, steps] of [
    ['/login', [['username', 'username'], ['password', 'password'], ['submit', null]]],
    ['/transfer', [['amount', 'amount'], ['confirm', null]]],
  ] as const) {
    const ev: BatchEvent[] = [];
    let t = between(rng, 200, 900);
    let pos: [number, number] = [between(rng, 0.1, 0.9) * width, between(rng, 0.1, 0.9) * height];
    for (const [target, field] of steps) {
      const to = at(target);
      t = move(ev, p, pos, to, t, f, rng);
      pos = to;
      t = click(ev, p, pos, t, f, rng);
      if (field) {
        ev.push({ type: 'focus', t, field });
        t = type(ev, p, field, fields[field], t + logNormal(rng, 250, 0.3), f, rng);
        ev.push({ type: 'blur', t: t + 5, field });
      }
      t += logNormal(rng, 400 * f, 0.4);
    }
    ev.push({ type: 'navigation', t, state: 'navigate' });
    pages.push({ page, events: ev.sort((a, b) => a.t - b.t) });
  }
  return pages;
}

function type(ev: BatchEvent[], p: Person, field: string, classes: readonly KeyClass[], t: number, f: number, rng: Rng): number {
  const rhythm = p.rhythm[field] ?? [];
  let position = 0;
  for (let i = 0; i < classes.length; i++) {
    const keyClass = classes[i]!;
    const stroke = (cls: KeyClass, pos: number) => {
      const hold = logNormal(rng, p.holdMs * f * (cls === 'shift' ? 1.6 : cls === 'space' ? 0.9 : 1), p.holdSigma);
      ev.push({ type: 'keydown', t, keyClass: cls, field, position: pos }, { type: 'keyup', t: t + hold, keyClass: cls, field });
      t += logNormal(rng, p.ddMs * f * (rhythm[i] ?? 1), p.ddSigma);
    };
    stroke(keyClass, position++);
    if (rng.float() < p.errorRate) {
      t += logNormal(rng, 300, 0.3); // noticing the mistake
      stroke('backspace', position--);
      stroke(keyClass, position++);
    }
  }
  return t;
}

/** Minimum-jerk reach with a personal bulge, tremor and overshoot, sampled as the collector does (~50 ms). */
function move(ev: BatchEvent[], p: Person, from: [number, number], to: [number, number], t: number, f: number, rng: Rng): number {
  const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const duration = Math.max(120, (p.fittsA + p.fittsB * Math.log2(1 + d / 40)) * f * Math.exp(0.15 * rng.normal()));
  const over = 1 + p.overshoot * 0.1 * rng.float();
  const nx = d > 0 ? -(to[1] - from[1]) / d : 0;
  const ny = d > 0 ? (to[0] - from[0]) / d : 0;
  const bulge = p.bulge * d * (1 + 0.3 * rng.normal());
  // The last sample keeps a browser frame (16 ms) from the landing point: no pair of samples is closer.
  for (let el = 0; el < duration - 16; el += 50 + rng.float() * 16) {
    const s = el / duration;
    const m = Math.min(1, (10 * s ** 3 - 15 * s ** 4 + 6 * s ** 5) * over);
    const side = bulge * Math.sin(Math.PI * s);
    ev.push({
      type: 'pointermove', t: t + el, pointerType: 'mouse',
      x: Math.round(from[0] + (to[0] - from[0]) * m + nx * side + rng.normal() * p.tremorPx),
      y: Math.round(from[1] + (to[1] - from[1]) * m + ny * side + rng.normal() * p.tremorPx),
    });
  }
  t += duration;
  ev.push({ type: 'pointermove', t, x: Math.round(to[0]), y: Math.round(to[1]), pointerType: 'mouse' });
  return t + logNormal(rng, 120, 0.4);
}

function click(ev: BatchEvent[], p: Person, at: [number, number], t: number, f: number, rng: Rng, hold = logNormal(rng, p.clickHoldMs * f, 0.2)): number {
  const [x, y] = [Math.round(at[0]), Math.round(at[1])];
  ev.push({ type: 'pointerdown', t, x, y, button: 0, pointerType: 'mouse', pressure: 0.5 }, { type: 'pointerup', t: t + hold, x, y, button: 0, pointerType: 'mouse', pressure: 0 });
  return t + hold + logNormal(rng, 80, 0.3);
}

/** Programmatic key strokes: fixed hold and interval (0 for a script that sets values at once). */
function botType(ev: BatchEvent[], field: string, classes: readonly KeyClass[], t: number, hold: number, interval: number): number {
  ev.push({ type: 'focus', t, field });
  classes.forEach((keyClass, position) => {
    ev.push({ type: 'keydown', t, keyClass, field, position }, { type: 'keyup', t: t + hold, keyClass, field });
    t += interval;
  });
  return t + hold;
}

function bot(kind: BotKind, user: SynthUser, rng: Rng): Page[] {
  const { width, height } = user.person.screen;
  const at = (k: keyof typeof LAYOUT): [number, number] => [Math.round(LAYOUT[k][0] * width), Math.round(LAYOUT[k][1] * height)];
  const pages: Page[] = [];
  const fieldsOf = { '/login': ['username', 'password'], '/transfer': ['amount'] } as const;
  const buttonOf = { '/login': 'submit', '/transfer': 'confirm' } as const;
  if (kind === 'replay') {
    // A recorder's capture of a genuine session, played back on a fixed 16 ms timer: order and path
    // kept, timing regularised by the replayer.
    for (const page of behave(user.person, user.fields, 0, rng)) {
      const start = page.events[0]!.t;
      pages.push({ page: page.page, events: page.events.map((e, i) => ({ ...e, t: start + 16 * i })) });
    }
    return pages;
  }
  for (const page of ['/login', '/transfer'] as const) {
    const ev: BatchEvent[] = [];
    let t = 50 + rng.int(50);
    let pos: [number, number] = [0, 0];
    for (const target of [...fieldsOf[page], buttonOf[page]] as const) {
      const to = at(target);
      if (kind === 'straight-path') {
        // Linear interpolation at constant speed: the straightest line a program draws.
        for (let i = 1; i <= 12; i++) ev.push({ type: 'pointermove', t: t + 10 * i, x: pos[0] + ((to[0] - pos[0]) * i) / 12, y: pos[1] + ((to[1] - pos[1]) * i) / 12, pointerType: 'mouse' });
        t += 130;
      } else if (kind === 'teleport') {
        ev.push({ type: 'pointermove', t, x: pos[0], y: pos[1], pointerType: 'mouse' }, { type: 'pointermove', t: t + 4, x: to[0], y: to[1], pointerType: 'mouse' });
        t += 8;
      }
      pos = to;
      if (kind === 'rapid-clicks' && target === buttonOf[page]) {
        // Hammering the button: 20 clicks in about 0.8 s.
        for (let i = 0; i < 20; i++, t += 40) ev.push({ type: 'pointerdown', t, x: pos[0], y: pos[1], button: 0, pointerType: 'mouse' }, { type: 'pointerup', t: t + 15, x: pos[0], y: pos[1], button: 0, pointerType: 'mouse' });
      } else if (kind !== 'zero-interval' && kind !== 'constant-interval') {
        t = click(ev, user.person, pos, t, 1, rng, 10);
      }
      if (target !== buttonOf[page]) {
        const classes = user.fields[target as keyof Fields];
        if (kind === 'zero-interval') t = botType(ev, target, classes, t, 0, 0);
        else if (kind === 'constant-interval') t = botType(ev, target, classes, t, 25, 50);
        else t = botType(ev, target, classes, t, 8, 12);
      }
      t += kind === 'constant-interval' ? 100 : 5;
    }
    ev.push({ type: 'navigation', t, state: 'navigate' });
    pages.push({ page, events: ev.sort((a, b) => a.t - b.t) });
  }
  return pages;
}
