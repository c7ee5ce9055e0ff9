// A window's pointer counts (reaches, flat movements, bends: the session tests of
// scoring/session-evidence.ts) on whole movements, whatever the batches.
//
// A window is a batch, and batches do not wait for the pointer to rest: the collector sends one
// 3 s after its first event, or at 500 events, which a 1000 Hz mouse fills in half a second of
// moving. A movement cut by a batch's edge is two pieces, and each piece is cleaner than the whole
// (the tail of a corrected reach is one bell; the cruise of a movement is flat): Balabit's people
// cut into batches of 1 s and 0.5 s made reaches of one sub-movement 24 % and 67 % of those judged
// (13 % in 3-s windows), and counting whole movements only is no cure, since the movements that fit
// in half a second are the short, clean ones (tmp-explore of session 15).
//
// So the movement still going at a window's end (its `tail`: no press, release or rest after it) is
// not counted there; its samples, thinned, wait in the session (`pending`). The next window's first
// movement (its `head`, up to its first press, release or rest) either continues it (its first mouse
// event less than `REST_MS` after the pending samples' last) and is counted joined to them, or does
// not, and the pending movement is counted alone, whole. A window that is one movement from end to
// end adds its samples to the pending ones. What is kept is bounded (`MAX_SAMPLES` samples at least
// `THIN_MS` apart: the reach and movement tests read speeds on a 40 ms grid); drags are not joined.
// I/O-free and pure: the edge and the core fold the same windows into the same counts.
import type { BatchEvent } from '../batch.ts';
import { fastBends } from './fast-bends.ts';
import { FLAT_SPEED_RULES, flatMoves } from './flat-speed.ts';
import { addReaches, NO_REACHES, reaches, type Reaches } from './submovements.ts';

/** Samples of a movement, thinned: (t, x, y) triples; `up`: the first is a release (the reach starts there); `down`: the last is a press (the reach ends there). */
export interface PointerPiece {
  s: number[];
  up?: true;
  down?: true;
}

/** A window's pointer counts and its edges. */
export interface PointerWindow extends Reaches {
  /** The movement that opens the window (a movement begun in the window before may go on in it): its counts (included above) and samples. */
  head?: { counts: Reaches; piece: PointerPiece };
  /** The movement still going at the window's end: not counted above; its samples. */
  tail?: PointerPiece;
  /** The window is one movement from its first mouse event to its last: head and tail are one. */
  through?: true;
}

/** The session's pointer counts, and the movement still going at the end of the last window that had one. */
export interface SessionPointer extends Reaches {
  pending?: PointerPiece;
}

/** No mouse event for this long is a rest (ms; as the reach, flat-speed and bend rules). */
const REST_MS = FLAT_SPEED_RULES.restMs;
/** A kept movement's samples are at least this far apart (ms)... */
const THIN_MS = 15;
/** ...and at most this many, the latest (about 1.8 s of moving). */
const MAX_SAMPLES = 120;

const isMouse = (e: BatchEvent) =>
  (e.type === 'pointermove' || e.type === 'pointerdown' || e.type === 'pointerup') && (e.pointerType === undefined || e.pointerType === 'mouse') && Number.isFinite(e.t) && Number.isFinite(e.x) && Number.isFinite(e.y);

/** The window's three pointer counts in one record (movements and bends only when there are some). */
export function pointerCounts(events: readonly BatchEvent[]): Reaches {
  const aimed = reaches(events);
  const moved = flatMoves(events);
  const bent = fastBends(events);
  return { ...aimed, ...(moved.moves > 0 ? moved : {}), ...(bent.bends > 0 ? { bends: bent.bends, fastBends: bent.fast } : {}) };
}

/** Events [from, to] of `events` that are mouse events, as a thinned piece; undefined if a drag is among them. */
function pieceOf(events: readonly BatchEvent[], idx: readonly number[], from: number, to: number): PointerPiece | undefined {
  const s: number[] = [];
  let lastT = -Infinity;
  for (let k = from; k <= to; k++) {
    const e = events[idx[k]!]!;
    if (e.state === 'drag') return undefined;
    const edge = (k === from && e.type === 'pointerup') || (k === to && e.type === 'pointerdown');
    // Thinned, except a press or release and the last sample (where the pointer is).
    if (!edge && k !== to && e.t - lastT < THIN_MS) continue;
    s.push(e.t, e.x!, e.y!);
    lastT = e.t;
  }
  return { s, ...(events[idx[from]!]!.type === 'pointerup' ? { up: true as const } : {}), ...(events[idx[to]!]!.type === 'pointerdown' ? { down: true as const } : {}) };
}

/** The piece as the events a window would hold. */
function eventsOf(p: PointerPiece): BatchEvent[] {
  const out: BatchEvent[] = [];
  const n = p.s.length / 3;
  for (let i = 0; i < n; i++) {
    const type = i === 0 && p.up ? 'pointerup' : i === n - 1 && p.down ? 'pointerdown' : 'pointermove';
    out.push({ type, t: p.s[3 * i]!, x: p.s[3 * i + 1]!, y: p.s[3 * i + 2]!, ...(type !== 'pointermove' ? { button: 0 } : {}) });
  }
  return out;
}

/** The later piece's samples after the earlier's, bounded to the latest MAX_SAMPLES (a release first is kept only while the whole is). */
function join(a: PointerPiece, b: PointerPiece): PointerPiece {
  const s = a.s.concat(b.s);
  if (s.length <= 3 * MAX_SAMPLES) return { s, ...(a.up ? { up: true as const } : {}), ...(b.down ? { down: true as const } : {}) };
  return { s: s.slice(s.length - 3 * MAX_SAMPLES), ...(b.down ? { down: true as const } : {}) };
}

const bounded = (p: PointerPiece): PointerPiece => (p.s.length <= 3 * MAX_SAMPLES ? p : { s: p.s.slice(p.s.length - 3 * MAX_SAMPLES), ...(p.down ? { down: true as const } : {}) });

/** The window's pointer counts, its tail left out, and its edges (see the header); undefined when it has no mouse event. */
export function pointerWindow(events: readonly BatchEvent[]): PointerWindow | undefined {
  const idx: number[] = [];
  for (let i = 0; i < events.length; i++) if (isMouse(events[i]!)) idx.push(i);
  if (idx.length === 0) return undefined;
  const firstT = events[0]!.t;
  const endT = events[events.length - 1]!.t;
  const m = idx.length;
  const at = (k: number) => events[idx[k]!]!;
  // The head: from the first mouse event, unless the window rested before it, to the first press or
  // release (included) or rest (excluded).
  let headTo = -1;
  if (!(at(0).t - firstT >= REST_MS)) {
    headTo = 0;
    while (at(headTo).type === 'pointermove' && headTo + 1 < m) {
      const next = at(headTo + 1);
      if (next.type === 'pointermove' && !(next.t - at(headTo).t <= REST_MS && next.t >= at(headTo).t)) break;
      headTo++;
    }
  }
  // The tail: back from the last mouse event, if it is a move the window did not rest after, to the
  // last release (included), press (excluded) or rest.
  let tailFrom = -1;
  if (at(m - 1).type === 'pointermove' && !(endT - at(m - 1).t >= REST_MS)) {
    tailFrom = m - 1;
    while (tailFrom > 0) {
      const prev = at(tailFrom - 1);
      if (prev.type === 'pointerdown') break;
      if (prev.type === 'pointerup') {
        tailFrom--;
        break;
      }
      if (!(at(tailFrom).t - prev.t <= REST_MS && at(tailFrom).t >= prev.t)) break;
      tailFrom--;
    }
  }
  const through = headTo >= 0 && tailFrom >= 0 && tailFrom <= 0 && headTo === m - 1;
  const tail = tailFrom >= 0 ? pieceOf(events, idx, tailFrom, m - 1) : undefined;
  // The window's counts without its tail (a drag's tail is counted here, as it always was).
  const counts = pointerCounts(tail ? events.slice(0, idx[tailFrom]!) : events);
  const headPiece = headTo >= 0 && !through ? pieceOf(events, idx, 0, headTo) : undefined;
  const head = headPiece ? { counts: pointerCounts(events.slice(0, idx[headTo]! + 1)), piece: headPiece } : undefined;
  return { ...counts, ...(head ? { head } : {}), ...(tail ? { tail } : {}), ...(through && tail ? { through: true as const } : {}) };
}

/** a - b, count by count (addReaches drops a count, and its partner, once it is 0). */
function minus(a: Reaches, b: Reaches): Reaches {
  return addReaches(a, { n: -b.n, single: -b.single, reversed: -(b.reversed ?? 0), moves: -(b.moves ?? 0), flat: -(b.flat ?? 0), bends: -(b.bends ?? 0), fastBends: -(b.fastBends ?? 0) });
}

/** The first sample's time of a piece, and its last's. */
const firstOf = (p: PointerPiece) => p.s[0]!;
const lastOf = (p: PointerPiece) => p.s[p.s.length - 3]!;

/**
 * Folds a window's pointer counts into the session's: the counts this window adds (`added`: its own,
 * its head joined to the movement pending from the last window if it goes on from it, or that
 * movement alone if it had ended) and the session's counts after it.
 */
export function foldPointer(s: SessionPointer | undefined, w: PointerWindow): { session: SessionPointer; added: Reaches } {
  const { pending, ...before } = s ?? NO_REACHES as SessionPointer;
  const { head, tail, through, ...own } = w;
  let added: Reaches = own;
  let next: PointerPiece | undefined = tail;
  // The window's first mouse event: its head's, or its tail's when it is one movement.
  const start = head?.piece ?? (through ? tail : undefined);
  const gap = pending && start ? firstOf(start) - lastOf(pending) : NaN;
  const goesOn = gap >= 0 && gap <= REST_MS;
  if (pending && goesOn && through && tail) {
    next = join(pending, tail);
  } else if (pending && goesOn && head) {
    added = addReaches(minus(added, head.counts), pointerCounts(eventsOf(join(pending, head.piece))));
  } else if (pending) {
    // It ended: the pointer rested (or the page changed, its clock started again), or the session
    // moved on without it (no head: the window rested before its first mouse event).
    added = addReaches(added, pointerCounts(eventsOf(pending)));
  }
  const session: SessionPointer = { ...addReaches(before, added), ...(next ? { pending: bounded(next) } : {}) };
  return { session, added };
}
