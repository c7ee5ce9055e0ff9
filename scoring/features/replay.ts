// Replay detection (issue 17, item 4): is this window a time-warped, noised, re-cut copy of a
// stretch of a session already seen? Pure and I/O-free; memory is bounded by `maxWindows`.
//
// Memory is bounded twice: by windows (`maxWindows`) and by estimated bytes (`maxBytes`), the oldest
// sessions evicted first. A stored window keeps only what matching reads (its streams, copied into
// one buffer: one allocation instead of eight). An evicted session's postings are left in place,
// skipped by matching, and swept out of every list at once when they reach a quarter of all
// postings: removing them one session at a time scanned up to maxPostings entries per hash and
// doubled the cost of a window once the index was full.
//
// Two stages, as audio fingerprinting does it:
//
// 1. Retrieval by warp-invariant shingles. A window's key stream yields one shingle per run of
//    `keyShingle + 1` consecutive keydowns: the key classes and the log of each keydown-to-keydown
//    interval's share of the run's duration (a time warp multiplies every interval by the same
//    factor, so shares do not move). The pointer stream is first resampled by displacement (a new
//    point once the cursor is `chordPx` from the last one: pixel noise and the sampling rate barely
//    move such points), and yields one shingle per run of `pointerShingle` chords: each chord's
//    direction and its share of the run's duration. Values are quantised on `grids` grids offset
//    from one another (a value near a bin edge on one grid is mid-bin on another), one hash per
//    grid. Each shingle is anchored at the index of its first event in the modality's stream.
//    The index maps hash -> (session, global event index). A query's shingle votes for
//    (session, diagonal = source index - query index): a replay keeps the source's events in order
//    and one for one, so its shingles pile up on ONE diagonal, whatever the window boundaries are.
//    Chance matches (same text, same habits) scatter over diagonals.
//
// 2. Verification of the best diagonals on the events themselves. The query's events are paired
//    with the source's events on the diagonal (same type and key class); their times are fitted
//    by a line t_query = a + w * t_source (w is the warp) and the 90th percentile of the absolute residuals is the
//    test: a replay's residual is its added timing noise (a few ms), a person typing the same text
//    again, however practised, is off by tens of ms. Pointer pairs also need the positions to agree
//    within a few pixels. similarity = 1 - residual / scale, clamped to [0, 1].
//
// A window is a replay when at least `minShingles` shingles voted for the diagonal, at least
// `minPairs` event pairs agree, and similarity >= `minSimilarity`.
import type { BatchEvent } from '../batch.ts';
import { KEY_CLASSES } from '../batch-limits.ts';

export interface ReplayOptions {
  /** Windows kept in the index; the oldest sessions are evicted beyond it. */
  maxWindows?: number;
  /** Estimated bytes the index may hold (windows and postings); the oldest sessions are evicted beyond it. */
  maxBytes?: number;
  /** Postings kept per hash (the oldest dropped): a hash shared by thousands is no evidence anyway. */
  maxPostings?: number;
  /** Keydown-to-keydown intervals per key shingle. */
  keyShingle?: number;
  /** Chords per pointer shingle. */
  pointerShingle?: number;
  /** Displacement between resampled pointer points (px). */
  chordPx?: number;
  /** Offset quantisation grids. */
  grids?: number;
  /** Bin width of a log duration share. */
  logBin?: number;
  /** Direction sectors of a chord. */
  sectors?: number;
  /** Shingles on one diagonal of one other session before a window is verified. */
  minShingles?: number;
  /** Agreeing event pairs for a replay. */
  minPairs?: number;
  /** Timing residual (ms, at residualQuantile) at which the similarity falls to 0. */
  timeScaleMs?: number;
  /** Median position error (px) at which the pointer similarity falls to 0. */
  spaceScalePx?: number;
  minSimilarity?: number;
  /** Diagonals verified per window. */
  candidates?: number;
  /** Quantile of the absolute timing residuals that is tested (0.5 median; higher is stricter). */
  residualQuantile?: number;
}

export const REPLAY_DEFAULTS: Required<ReplayOptions> = {
  maxWindows: 100_000,
  maxBytes: Infinity,
  maxPostings: 512,
  keyShingle: 3,
  pointerShingle: 3,
  chordPx: 24,
  grids: 4,
  logBin: 0.35,
  sectors: 12,
  minShingles: 3,
  minPairs: 16,
  timeScaleMs: 30,
  spaceScalePx: 10,
  minSimilarity: 0.5,
  candidates: 32,
  residualQuantile: 0.9,
};

const KEY = 0;
const POINTER = 1;

/** One modality's events of a window, in order: time, code (type and key class), position. */
export interface ReplayStream {
  t: Float64Array;
  code: Uint8Array;
  x?: Float32Array;
  y?: Float32Array;
}

/** A window's fingerprint: its shingle hashes (anchored in its streams) and the streams for verification. */
export interface ReplayFingerprint {
  hashes: Uint32Array;
  /** Index in the modality's stream of each shingle's first event. */
  anchors: Uint32Array;
  /** 0 keys, 1 pointer. */
  modality: Uint8Array;
  keys: ReplayStream;
  pointer: ReplayStream;
}

export interface ReplayMatch {
  /** The other session this window copies. */
  sessionId: string;
  /** 0 (nothing alike) .. 1 (identical timings and positions). */
  similarity: number;
  /** Shingles of this window on the matched diagonal. */
  shingles: number;
  /** Event pairs that agree (type, key class) on it. */
  pairs: number;
  modality: 'keys' | 'pointer';
  /** Fitted time warp (query duration / source duration). */
  warp: number;
  /** Median absolute timing residual (ms) and, for the pointer, position error (px). */
  residualMs: number;
  residualPx?: number;
  /** similarity >= minSimilarity with enough shingles and pairs. */
  replay: boolean;
}

export interface ReplayIndex {
  fingerprint(events: readonly BatchEvent[]): ReplayFingerprint;
  add(sessionId: string, fp: ReplayFingerprint): void;
  /** The best match of this window in sessions other than `sessionId`, or null when nothing voted enough. */
  match(sessionId: string, fp: ReplayFingerprint): ReplayMatch | null;
  /** Windows, postings and estimated bytes held (for the memory bound). */
  size(): { sessions: number; windows: number; postings: number; bytes: number };
}

const CLASS_CODE = new Map<string, number>(KEY_CLASSES.map((c, i) => [c, i + 1]));
const POINTER_CODE: Record<string, number> = { pointermove: 1, pointerdown: 2, pointerup: 3 };

function mix(h: number, v: number): number {
  h = Math.imul(h ^ (v | 0), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The key and pointer streams of a window (keydown/keyup; pointermove/down/up with x and y). */
export function replayStreams(events: readonly BatchEvent[]): { keys: ReplayStream; pointer: ReplayStream } {
  let nk = 0;
  let np = 0;
  for (const e of events) {
    if (e.type === 'keydown' || e.type === 'keyup') nk++;
    else if (POINTER_CODE[e.type] && e.x !== undefined && e.y !== undefined) np++;
  }
  const keys: ReplayStream = { t: new Float64Array(nk), code: new Uint8Array(nk) };
  const pointer: ReplayStream = { t: new Float64Array(np), code: new Uint8Array(np), x: new Float32Array(np), y: new Float32Array(np) };
  let i = 0;
  let j = 0;
  for (const e of events) {
    if (e.type === 'keydown' || e.type === 'keyup') {
      keys.t[i] = e.t;
      keys.code[i++] = ((CLASS_CODE.get(e.keyClass ?? 'other') ?? 15) << 1) | (e.type === 'keydown' ? 1 : 0);
    } else if (POINTER_CODE[e.type] && e.x !== undefined && e.y !== undefined) {
      pointer.t[j] = e.t;
      pointer.code[j] = POINTER_CODE[e.type]!;
      pointer.x![j] = e.x;
      pointer.y![j++] = e.y;
    }
  }
  return { keys, pointer };
}

/** Quantises v (in bin units) on grid g of G: bins offset by g/G of a bin. */
const bin = (v: number, g: number, G: number) => Math.floor(v + g / G);

/**
 * Estimated heap cost of what the index holds, beyond the typed arrays' bytes: a typed array view, a
 * stored window's objects, a posting (three small integers in a JS array, with its growth slack) and
 * a hash's Map entry with its list. Calibrated against process.memoryUsage() (heap + array buffers)
 * on 20,000 windows of 50 events: the estimate is within 10 % of what the index really holds.
 */
const VIEW_BYTES = 80;
const WINDOW_BYTES = 480;
const POSTING_BYTES = 32;
const HASH_BYTES = 120;

/** Copies a window's hashes and streams into one buffer (views over it), dropping what the index does not read again. */
function packWindow(fp: ReplayFingerprint): { hashes: Uint32Array; keys: ReplayStream; pointer: ReplayStream; bytes: number } {
  const nk = fp.keys.t.length;
  const np = fp.pointer.t.length;
  const nh = fp.hashes.length;
  // Widest elements first, so every view is aligned.
  const buf = new ArrayBuffer(8 * (nk + np) + 4 * (nh + 2 * np) + nk + np);
  let at = 0;
  const take = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(make: new (b: ArrayBuffer, o: number, n: number) => T, src: ArrayLike<number>, size: number): T => {
    const view = new make(buf, at, src.length);
    view.set(src);
    at += size * src.length;
    return view;
  };
  const keysT = take(Float64Array, fp.keys.t, 8);
  const pointerT = take(Float64Array, fp.pointer.t, 8);
  const hashes = take(Uint32Array, fp.hashes, 4);
  const x = take(Float32Array, fp.pointer.x ?? new Float32Array(np), 4);
  const y = take(Float32Array, fp.pointer.y ?? new Float32Array(np), 4);
  const keysCode = take(Uint8Array, fp.keys.code, 1);
  const pointerCode = take(Uint8Array, fp.pointer.code, 1);
  return {
    hashes,
    keys: { t: keysT, code: keysCode },
    pointer: { t: pointerT, code: pointerCode, x, y },
    bytes: buf.byteLength + 7 * VIEW_BYTES + WINDOW_BYTES,
  };
}

export function createReplayIndex(options: ReplayOptions = {}, hooks: { onEvict?: (sessionId: string) => void } = {}): ReplayIndex {
  const o = { ...REPLAY_DEFAULTS, ...options };

  function fingerprint(events: readonly BatchEvent[]): ReplayFingerprint {
    const { keys, pointer } = replayStreams(events);
    const hashes: number[] = [];
    const anchors: number[] = [];
    const modality: number[] = [];
    const k = o.keyShingle;
    const G = o.grids;
    // Keys: runs of k+1 keydowns.
    const downs: number[] = [];
    for (let i = 0; i < keys.code.length; i++) if (keys.code[i]! & 1) downs.push(i);
    const share = new Float64Array(Math.max(k, o.pointerShingle));
    for (let s = 0; s + k < downs.length; s++) {
      const total = keys.t[downs[s + k]!]! - keys.t[downs[s]!]!;
      if (!(total > 0)) continue;
      for (let i = 0; i < k; i++) share[i] = Math.log(Math.max(1, keys.t[downs[s + i + 1]!]! - keys.t[downs[s + i]!]!) / total) / o.logBin;
      for (let g = 0; g < G; g++) {
        let h = mix(0x811c9dc5, KEY * 64 + g);
        for (let i = 0; i <= k; i++) h = mix(h, keys.code[downs[s + i]!]!);
        for (let i = 0; i < k; i++) h = mix(h, bin(share[i]!, g, G));
        hashes.push(h);
        anchors.push(downs[s]!);
        modality.push(KEY);
      }
    }
    // Pointer: chords of >= chordPx, runs of m chords.
    const m = o.pointerShingle;
    const pts: number[] = [];
    const n = pointer.t.length;
    if (n) {
      pts.push(0);
      for (let i = 1; i < n; i++) {
        const last = pts[pts.length - 1]!;
        if (Math.hypot(pointer.x![i]! - pointer.x![last]!, pointer.y![i]! - pointer.y![last]!) >= o.chordPx) pts.push(i);
      }
    }
    const dir = new Float64Array(m);
    for (let s = 0; s + m < pts.length; s++) {
      const total = pointer.t[pts[s + m]!]! - pointer.t[pts[s]!]!;
      if (!(total > 0)) continue;
      for (let i = 0; i < m; i++) {
        const a = pts[s + i]!;
        const b = pts[s + i + 1]!;
        dir[i] = ((Math.atan2(pointer.y![b]! - pointer.y![a]!, pointer.x![b]! - pointer.x![a]!) + Math.PI) / (2 * Math.PI)) * o.sectors;
        share[i] = Math.log(Math.max(1, pointer.t[b]! - pointer.t[a]!) / total) / (2 * o.logBin);
      }
      for (let g = 0; g < G; g++) {
        let h = mix(0x811c9dc5, POINTER * 64 + g);
        for (let i = 0; i < m; i++) h = mix(mix(h, bin(dir[i]!, g, G) % o.sectors), bin(share[i]!, g, G));
        hashes.push(h);
        anchors.push(pts[s]!);
        modality.push(POINTER);
      }
    }
    return { hashes: Uint32Array.from(hashes), anchors: Uint32Array.from(anchors), modality: Uint8Array.from(modality), keys, pointer };
  }

  interface StoredWindow {
    /** Global index of the window's first key / pointer event in its session. */
    start: [number, number];
    /** Packed (packWindow): what matching and eviction read of the fingerprint. */
    fp: { hashes: Uint32Array; keys: ReplayStream; pointer: ReplayStream; bytes: number };
  }
  interface StoredSession {
    id: string;
    slot: number;
    count: [number, number];
    windows: StoredWindow[];
    /** Its postings still in the lists (the oldest of a full list are dropped). */
    postings: number;
  }
  const sessions = new Map<string, StoredSession>();
  const bySlot = new Map<number, StoredSession>();
  /** Sessions in order of their first window (eviction order). */
  const order: StoredSession[] = [];
  let orderHead = 0;
  let windowCount = 0;
  let postingCount = 0;
  /** Postings of evicted sessions, not yet swept (counted in postingCount). */
  let deadPostings = 0;
  /** Estimated bytes of the stored windows and hash entries (postings are counted apart). */
  let windowBytes = 0;
  let nextSlot = 1;
  const bytes = () => windowBytes + postingCount * POSTING_BYTES + postings.size * HASH_BYTES;
  /** hash -> flat [slot, modality, globalIndex, ...] (oldest first). */
  const postings = new Map<number, number[]>();

  function evictOldest() {
    const s = order[orderHead];
    order[orderHead++] = undefined as unknown as StoredSession;
    if (orderHead > 1024 && orderHead * 2 > order.length) {
      order.splice(0, orderHead);
      orderHead = 0;
    }
    if (!s) return;
    for (const w of s.windows) windowBytes -= w.fp.bytes;
    deadPostings += s.postings;
    windowCount -= s.windows.length;
    sessions.delete(s.id);
    bySlot.delete(s.slot);
    hooks.onEvict?.(s.id);
  }

  /** Drops the postings of evicted sessions from every list (amortised: see the top of the file). */
  function sweep() {
    for (const [h, list] of postings) {
      let j = 0;
      for (let i = 0; i < list.length; i += 3) {
        if (bySlot.has(list[i]!)) {
          list[j++] = list[i]!;
          list[j++] = list[i + 1]!;
          list[j++] = list[i + 2]!;
        }
      }
      if (j === 0) postings.delete(h);
      else list.length = j;
    }
    postingCount -= deadPostings;
    deadPostings = 0;
  }

  function add(sessionId: string, fp: ReplayFingerprint): void {
    const packed = packWindow(fp);
    let s = sessions.get(sessionId);
    if (!s) {
      s = { id: sessionId, slot: nextSlot++, count: [0, 0], windows: [], postings: 0 };
      sessions.set(sessionId, s);
      bySlot.set(s.slot, s);
      order.push(s);
    }
    const start: [number, number] = [s.count[0], s.count[1]];
    s.windows.push({ start, fp: packed });
    windowBytes += packed.bytes;
    s.count[0] += fp.keys.t.length;
    s.count[1] += fp.pointer.t.length;
    windowCount++;
    for (let i = 0; i < fp.hashes.length; i++) {
      const h = fp.hashes[i]!;
      let list = postings.get(h);
      if (!list) postings.set(h, (list = []));
      list.push(s.slot, fp.modality[i]!, start[fp.modality[i]!]! + fp.anchors[i]!);
      postingCount++;
      s.postings++;
      if (list.length > 3 * o.maxPostings) {
        const owner = bySlot.get(list[0]!);
        if (owner) owner.postings--;
        else deadPostings--;
        list.splice(0, 3);
        postingCount--;
      }
    }
    while ((windowCount > o.maxWindows || bytes() > o.maxBytes) && orderHead < order.length) {
      evictOldest();
      if (deadPostings > 1024 && deadPostings * 4 > postingCount) sweep();
    }
  }

  /** The stored event of session s, modality mod, global index g: [window, local index] or null. */
  function locate(s: StoredSession, mod: number, g: number): [StoredWindow, number] | null {
    const ws = s.windows;
    let lo = 0;
    let hi = ws.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ws[mid]!.start[mod]! <= g) lo = mid;
      else hi = mid - 1;
    }
    const w = ws[lo];
    if (!w) return null;
    const local = g - w.start[mod]!;
    const stream = mod === KEY ? w.fp.keys : w.fp.pointer;
    return local >= 0 && local < stream.t.length ? [w, local] : null;
  }

  function verify(s: StoredSession, mod: number, diag: number, q: ReplayStream) {
    const qt: number[] = [];
    const st: number[] = [];
    const dx: number[] = [];
    let pos: [StoredWindow, number] | null = null;
    for (let i = 0; i < q.t.length; i++) {
      const g = i + diag;
      if (g < 0) continue;
      // Walk on from the last located event (usually the same window).
      if (pos) {
        const stream: ReplayStream = mod === KEY ? pos[0].fp.keys : pos[0].fp.pointer;
        pos = pos[1] + 1 < stream.t.length ? [pos[0], pos[1] + 1] : locate(s, mod, g);
      } else pos = locate(s, mod, g);
      if (!pos) break;
      const src = mod === KEY ? pos[0].fp.keys : pos[0].fp.pointer;
      if (src.code[pos[1]] !== q.code[i]) continue;
      qt.push(q.t[i]!);
      st.push(src.t[pos[1]]!);
      if (mod === POINTER) dx.push(Math.hypot(q.x![i]! - src.x![pos[1]]!, q.y![i]! - src.y![pos[1]]!));
    }
    const n = qt.length;
    if (n < 3) return null;
    // Least-squares line, then once more on the pairs within 3 scales (robust to a page's clock reset).
    let fit = line(qt, st, null);
    const keep = qt.map((t, i) => Math.abs(t - (fit.a + fit.w * st[i]!)) <= 3 * o.timeScaleMs);
    if (keep.filter(Boolean).length >= 3) fit = line(qt, st, keep);
    const res = qt.map((t, i) => Math.abs(t - (fit.a + fit.w * st[i]!)));
    const sortedRes = [...res].sort((a, b) => a - b);
    const residualMs = sortedRes[Math.min(sortedRes.length - 1, Math.floor(o.residualQuantile * sortedRes.length))]!;
    const pairs = res.filter((r) => r <= 3 * o.timeScaleMs).length;
    let similarity = clamp01(1 - residualMs / o.timeScaleMs);
    let residualPx: number | undefined;
    if (mod === POINTER) {
      residualPx = median(dx);
      similarity = Math.min(similarity, clamp01(1 - residualPx / o.spaceScalePx));
    }
    // A replay runs at a plausible speed; a fit of a line through a pause is no evidence.
    if (!(fit.w > 0.25 && fit.w < 4)) similarity = 0;
    return { similarity, pairs, warp: fit.w, residualMs, residualPx };
  }

  function match(sessionId: string, fp: ReplayFingerprint): ReplayMatch | null {
    const self = sessions.get(sessionId)?.slot ?? -1;
    // (slot, modality, diagonal) -> shingles voting; a shingle votes once per diagonal.
    const votes = new Map<number, number>();
    // The grids' hashes of one shingle are consecutive: a shingle's diagonals are collected, then counted once.
    const seen = new Set<number>();
    for (let i = 0; i < fp.hashes.length; i++) {
      if (i > 0 && (fp.anchors[i] !== fp.anchors[i - 1] || fp.modality[i] !== fp.modality[i - 1])) {
        for (const key of seen) votes.set(key, (votes.get(key) ?? 0) + 1);
        seen.clear();
      }
      const list = postings.get(fp.hashes[i]!);
      // A shingle shared by maxPostings windows already says nothing about any one of them, and
      // visiting its list is what would make a flood of look-alike windows costly.
      if (!list || list.length >= 3 * o.maxPostings) continue;
      for (let j = 0; j < list.length; j += 3) {
        const slot = list[j]!;
        if (slot === self || list[j + 1] !== fp.modality[i]) continue;
        const diag = list[j + 2]! - fp.anchors[i]!;
        seen.add((slot * 2 + list[j + 1]!) * 2 ** 24 + (diag + 2 ** 23));
      }
    }
    for (const key of seen) votes.set(key, (votes.get(key) ?? 0) + 1);
    // Postings of evicted sessions not yet swept vote too: their diagonals are dropped here.
    const ranked = [...votes].filter(([key, n]) => n >= o.minShingles && bySlot.has(Math.floor(key / 2 ** 25))).sort((a, b) => b[1] - a[1]).slice(0, o.candidates);
    let best: ReplayMatch | null = null;
    for (const [key, shingles] of ranked) {
      const slotMod = Math.floor(key / 2 ** 24);
      const diag = (key % 2 ** 24) - 2 ** 23;
      const slot = slotMod >> 1;
      const mod = slotMod & 1;
      const s = bySlot.get(slot);
      if (!s) continue;
      const v = verify(s, mod, diag, mod === KEY ? fp.keys : fp.pointer);
      if (!v) continue;
      const m: ReplayMatch = {
        sessionId: s.id,
        similarity: v.similarity,
        shingles,
        pairs: v.pairs,
        modality: mod === KEY ? 'keys' : 'pointer',
        warp: v.warp,
        residualMs: v.residualMs,
        ...(v.residualPx !== undefined ? { residualPx: v.residualPx } : {}),
        replay: v.similarity >= o.minSimilarity && v.pairs >= o.minPairs,
      };
      if (!best || rank(m) > rank(best)) best = m;
      // A clear replay ends the search: a farm of identical scripts would otherwise make every
      // window verify all its candidates (the costliest part), each of them a copy.
      if (m.replay && m.similarity >= 0.95) break;
    }
    return best;
  }

  return {
    fingerprint,
    add,
    match,
    size: () => ({ sessions: sessions.size, windows: windowCount, postings: postingCount, bytes: bytes() }),
  };
}

const rank = (m: ReplayMatch) => (m.replay ? 2 : 0) + m.similarity;
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

function median(v: number[]): number {
  if (!v.length) return Infinity;
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** y = a + w x by least squares over the kept pairs. */
function line(y: number[], x: number[], keep: boolean[] | null): { a: number; w: number } {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    if (keep && !keep[i]) continue;
    n++;
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    if (keep && !keep[i]) continue;
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const w = sxx > 0 ? sxy / sxx : 1;
  return { a: my - w * mx, w };
}
