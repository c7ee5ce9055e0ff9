// A window's pointer counts (reaches, flat movements, bends: the session tests of
// scoring/session-evidence.ts) on whole movements, whatever the batches.
//
// A window is a batch, and batches do not wait for the pointer to rest: the collector sends one
// 3 s after its first event, or at 500 events, which a 1000 Hz mouse fills in half a second of
// moving. A movement cut by a batch's edge is two pieces, and each piece is cleaner than the whole
// (the end of a corrected reach is one bell; the cruise of a movement is flat): Balabit's people
// cut into batches of 1 s and 0.5 s made reaches of one sub-movement 24 % and 67 % of those judged
// (13 % in 3-s windows), and counting only the movements wholly inside a batch is no cure, since the
// movements that fit in half a second are the short, clean ones (`npx cadence eval pointer-batches`).
//
// So the movement still going at a window's end (its `tail`: no press, release or rest after it) is
// not counted there; its samples, thinned, wait in the session (`pending`). The next window's first
// movement (its `head`, up to its first press, release or rest, also kept as samples and counted in
// the fold) either continues it (its first mouse event at most `REST_MS` after the pending samples'
// last) and is counted joined to them, or does not, and the pending movement is counted alone,
// whole. A window that is one movement from end to end adds its samples to the pending ones. What is
// kept is bounded: samples at least `THIN_MS` apart (never leaving a gap over `MAX_GAP_MS`, past which
// the reach test abstains; the reach and movement tests read speeds on a 40 ms grid), a pending or
// tail movement's last `MAX_SAMPLES`, a head's first `MAX_HEAD_SAMPLES`; a movement going on for
// longer is counted in pieces. The cost: a movement that ends a window is counted one window later,
// and one that ends a session without a press never. The fold depends on the order of the windows
// (the edge and the core fold them in the order accepted).
// I/O-free and pure: the edge and the core fold the same windows into the same counts.
import type { BatchEvent } from '../batch.ts';
import { fastBends } from './fast-bends.ts';
import { FLAT_SPEED_RULES, flatMoves } from './flat-speed.ts';
import { addReaches, NO_REACHES, reaches, SUBMOVEMENT_RULES, type Reaches } from './submovements.ts';

/**
 * Samples of a movement, thinned: (t, x, y) triples. `up`: the first is a release (a reach starts
 * there); `down`: the last is a press (a reach ends there); `rest`: the pointer had rested before
 * the first.
 */
export interface PointerPiece {
  s: number[];
  up?: true;
  down?: true;
  rest?: true;
  /** The moves are a drag (a press held: Balabit's reader marks them; the collector sends the buttons instead). */
  drag?: true;
}

/** A window's pointer counts and its edges. */
export interface PointerWindow extends Reaches {
  /** The movement that opens the window (a movement begun in the window before may go on in it): not counted above; its samples. */
  head?: PointerPiece;
  /** The movement still going at the window's end: not counted above; its samples. */
  tail?: PointerPiece;
  /** The window is one movement from its first mouse event to its last: head and tail are one. */
  through?: true;
}

/** The session's pointer counts, and the movement still going at the end of the last window that had one. */
export interface SessionPointer extends Reaches {
  pending?: PointerPiece;
  /**
   * Outcomes added by windows too small to judge (a batch that only finished a movement): they raise
   * the session's tests at its next judged window (scoring/session-evidence.ts), not never.
   */
  unraised?: Reaches;
}

/** No mouse event for this long is a rest (ms; as the reach, flat-speed and bend rules). */
const REST_MS = FLAT_SPEED_RULES.restMs;
/** Kept samples are at least this far apart (ms)... */
const THIN_MS = 10;
/** ...unless skipping one would leave a gap longer than this (ms; under the reach test's 50 ms step). */
const MAX_GAP_MS = 40;
/** A kept movement holds at most this many samples (0.8 s of a 1000 Hz mouse, 1.3 s at 125 or 60 Hz); past it, the older part is counted. */
export const MAX_SAMPLES = 80;
/**
 * A window's head keeps at most this many (a reach of 2.4 s at 100 Hz, 4 s at 60 Hz; a batch of 500
 * events at 1000 Hz is half a second): a slow reach opening a window must stay whole to be judged.
 */
export const MAX_HEAD_SAMPLES = 3 * MAX_SAMPLES;

const isMouse = (e: BatchEvent) =>
  (e.type === 'pointermove' || e.type === 'pointerdown' || e.type === 'pointerup') && (e.pointerType === undefined || e.pointerType === 'mouse') && Number.isFinite(e.t) && Number.isFinite(e.x) && Number.isFinite(e.y);

/** The window's three pointer counts in one record (movements and bends only when there are some); `atRest`: the pointer had rested before its first event. */
export function pointerCounts(events: readonly BatchEvent[], atRest = false): Reaches {
  const aimed = reaches(events, SUBMOVEMENT_RULES, atRest);
  const moved = flatMoves(events);
  const bent = fastBends(events);
  return { ...aimed, ...(moved.moves > 0 ? moved : {}), ...(bent.bends > 0 ? { bends: bent.bends, fastBends: bent.fast } : {}) };
}

/** The mouse events idx[from..to] of `events` as a thinned piece (one movement: all of its moves a drag or none). */
function pieceOf(events: readonly BatchEvent[], idx: readonly number[], from: number, to: number, rest: boolean): PointerPiece {
  const s: number[] = [];
  let lastT = -Infinity;
  let drag = false;
  for (let k = from; k <= to; k++) {
    const e = events[idx[k]!]!;
    if (e.state === 'drag') drag = true;
    if (e.t === lastT && e.type === 'pointermove') {
      // Samples flushed at one time: the last says where the pointer is.
      s[s.length - 2] = e.x!;
      s[s.length - 1] = e.y!;
      continue;
    }
    // Thinned, except a press or release, the last sample, and where skipping would leave a long gap.
    const keep = e.type !== 'pointermove' || k === to || e.t - lastT >= THIN_MS || events[idx[k + 1]!]!.t - lastT > MAX_GAP_MS;
    if (!keep) continue;
    s.push(e.t, e.x!, e.y!);
    lastT = e.t;
  }
  return {
    s,
    ...(events[idx[from]!]!.type === 'pointerup' ? { up: true as const } : {}),
    ...(events[idx[to]!]!.type === 'pointerdown' ? { down: true as const } : {}),
    ...(rest ? { rest: true as const } : {}),
    ...(drag ? { drag: true as const } : {}),
  };
}

/** The piece as the events a window would hold. */
function eventsOf(p: PointerPiece): BatchEvent[] {
  const out: BatchEvent[] = [];
  const n = p.s.length / 3;
  for (let i = 0; i < n; i++) {
    const type = i === 0 && p.up ? 'pointerup' : i === n - 1 && p.down ? 'pointerdown' : 'pointermove';
    out.push({ type, t: p.s[3 * i]!, x: p.s[3 * i + 1]!, y: p.s[3 * i + 2]!, ...(type !== 'pointermove' ? { button: 0 } : p.drag ? { state: 'drag' } : {}) });
  }
  return out;
}
/** The piece's counts, as one movement's. */
const countsOf = (p: PointerPiece) => pointerCounts(eventsOf(p), !!p.rest);

/** The later piece's samples after the earlier's: one movement. */
const join = (a: PointerPiece, b: PointerPiece): PointerPiece => ({
  s: a.s.concat(b.s),
  ...(a.up ? { up: true as const } : {}),
  ...(b.down ? { down: true as const } : {}),
  ...(a.rest ? { rest: true as const } : {}),
  ...(a.drag || b.drag ? { drag: true as const } : {}),
});

/** A piece within MAX_SAMPLES: its latest samples kept, and the older part, counted now (a movement too long to keep is counted in pieces). */
function bounded(p: PointerPiece): { kept: PointerPiece; counted: Reaches } {
  // A copy, so the session keeps only its samples, not the spare room of the array they were pushed into.
  if (p.s.length <= 3 * MAX_SAMPLES) return { kept: { ...p, s: p.s.slice() }, counted: NO_REACHES };
  const cut = p.s.length - 3 * MAX_SAMPLES;
  const drag = p.drag ? { drag: true as const } : {};
  const older: PointerPiece = { s: p.s.slice(0, cut), ...(p.up ? { up: true as const } : {}), ...(p.rest ? { rest: true as const } : {}), ...drag };
  return { kept: { s: p.s.slice(cut), ...(p.down ? { down: true as const } : {}), ...drag }, counted: countsOf(older) };
}

/** The window's pointer counts, its tail left out, and its edges (see the header); undefined when it has no mouse event. */
export function pointerWindow(events: readonly BatchEvent[]): PointerWindow | undefined {
  const idx: number[] = [];
  for (let i = 0; i < events.length; i++) if (isMouse(events[i]!)) idx.push(i);
  if (idx.length === 0) return undefined;
  const firstT = events[0]!.t;
  const endT = events[events.length - 1]!.t;
  const m = idx.length;
  const at = (k: number) => events[idx[k]!]!;
  const restedBefore = at(0).t - firstT >= REST_MS;
  const gapOk = (a: BatchEvent, b: BatchEvent) => b.t >= a.t && b.t - a.t <= REST_MS;
  // The head: from the first mouse event, unless the window rested before it, to the first press
  // (included), release or rest (excluded).
  let headTo = -1;
  if (!restedBefore) {
    headTo = 0;
    while (at(headTo).type === 'pointermove' && headTo + 1 < m) {
      const next = at(headTo + 1);
      // A release ends it (a press held from the window before) and starts what follows: left to the window.
      if (next.type === 'pointerup' || (next.type === 'pointermove' && !gapOk(at(headTo), next))) break;
      headTo++;
    }
  }
  // The tail: back from the last mouse event, if it is a move the window did not rest after, to the
  // last release (included), press (excluded) or rest.
  let tailFrom = -1;
  let tailRest = false;
  if (at(m - 1).type === 'pointermove' && !(endT - at(m - 1).t >= REST_MS)) {
    tailFrom = m - 1;
    for (;;) {
      if (tailFrom === 0) {
        tailRest = restedBefore;
        break;
      }
      const prev = at(tailFrom - 1);
      if (prev.type === 'pointerdown') break;
      if (prev.type === 'pointerup') {
        tailFrom--;
        break;
      }
      if (!gapOk(prev, at(tailFrom))) {
        tailRest = true;
        break;
      }
      tailFrom--;
    }
  }
  let through = headTo === m - 1 && tailFrom === 0;
  let tail = tailFrom >= 0 ? pieceOf(events, idx, tailFrom, m - 1, tailRest) : undefined;
  let head = headTo >= 0 && !through ? pieceOf(events, idx, 0, headTo, false) : undefined;
  // Bounded: a tail of its last MAX_SAMPLES (as the session keeps it), a head of its first
  // MAX_HEAD_SAMPLES; what lies between is counted here, in pieces.
  if (tail && tail.s.length > 3 * MAX_SAMPLES) {
    const t = tail.s[tail.s.length - 3 * MAX_SAMPLES]!;
    while (at(tailFrom).t < t) tailFrom++;
    tail = pieceOf(events, idx, tailFrom, m - 1, false);
    if (through) {
      // One movement too long to keep whole: its first samples are the head, its last the tail.
      through = false;
      headTo = tailFrom - 1;
      head = pieceOf(events, idx, 0, headTo, false);
    }
  }
  if (head && head.s.length > 3 * MAX_HEAD_SAMPLES) {
    const t = head.s[3 * MAX_HEAD_SAMPLES - 3]!;
    while (at(headTo).t > t) headTo--;
    head = pieceOf(events, idx, 0, headTo, false);
  }
  // The window's counts between its head and its tail. From the head's last event (a press, or the
  // sample a rest began from), which adds nothing itself but anchors what follows it, as in the
  // whole window.
  const from = head ? idx[headTo]! : 0;
  const to = tail ? idx[tailFrom]! : events.length;
  const counts = from === 0 && to === events.length ? pointerCounts(events) : from < to ? pointerCounts(events.slice(from, to)) : NO_REACHES;
  return { ...counts, ...(head ? { head } : {}), ...(tail ? { tail } : {}), ...(through && tail ? { through: true as const } : {}) };
}

/**
 * Folds a window's pointer counts into the session's: the counts this window adds (`added`: its own,
 * its head joined to the movement pending from the last window if it goes on from it, or that
 * movement alone if it had ended) and the session's counts after it.
 */
export function foldPointer(s: SessionPointer | undefined, w: PointerWindow): { session: SessionPointer; added: Reaches } {
  const { pending, ...before } = s ?? (NO_REACHES as SessionPointer);
  const { head, tail, through, ...own } = w;
  let added: Reaches = own;
  // The window's first movement: its head, or its tail when it is one movement.
  const start = head ?? (through ? tail : undefined);
  const gap = pending && start ? start.s[0]! - pending.s[pending.s.length - 3]! : NaN;
  const goesOn = gap >= 0 && gap <= REST_MS;
  // A rest seen between the pending movement's end and the window's first: what follows starts from rest.
  const rested = gap > REST_MS;
  let next: PointerPiece | undefined = tail;
  if (pending && goesOn) {
    if (through && tail) next = join(pending, tail);
    else if (head) added = addReaches(added, countsOf(join(pending, head)));
  } else {
    // It ended (the pointer rested, or the page changed and its clock started again, or the window
    // rested before its first mouse event) and is counted alone, whole.
    if (pending) added = addReaches(added, countsOf(pending));
    if (head) added = addReaches(added, countsOf(rested ? { ...head, rest: true } : head));
    if (through && tail && rested) next = { ...tail, rest: true };
  }
  let session: SessionPointer = addReaches(before, added);
  if (next) {
    const { kept, counted } = bounded(next);
    added = addReaches(added, counted);
    session = { ...addReaches(session, counted), pending: kept };
  }
  return { session, added };
}

/** What each window of a session adds to its pointer counts, folded in order (for benches and tests: the live path folds one window at a time). */
export function addedPerWindow(windows: readonly (readonly BatchEvent[])[]): Reaches[] {
  let s: SessionPointer | undefined;
  return windows.map((w) => {
    const pw = pointerWindow(w);
    if (!pw) return NO_REACHES;
    const folded = foldPointer(s, pw);
    s = folded.session;
    return folded.added;
  });
}
