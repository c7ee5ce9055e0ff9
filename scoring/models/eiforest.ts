// Extended isolation forest training (Hariri, Carrasco Kind & Brunner 2018): random hyperplane
// splits instead of axis-parallel ones, stored as complete trees like the standard forest.
import { averagePathLength, type Matrix } from './iforest.ts';
import { Rng } from './rng.ts';

/**
 * Trees of `depth` levels in breadth-first order (children of node i are 2i+1 and 2i+2). Split
 * node k of tree t has a normal (`normals`, `paddedFeatures` floats from (t * inner + k) *
 * paddedFeatures) and an offset; a row goes right when hyperplaneDot(normal, row) > offset.
 * Nodes under an early external node are pass-throughs (normal 0, offset +Infinity).
 */
export interface ExtendedForestModel {
  readonly kind: 'eiforest';
  readonly features: number;
  /** features rounded up to a multiple of 4 (the kernel's SIMD width); padding weights are 0. */
  readonly paddedFeatures: number;
  readonly trees: number;
  readonly depth: number;
  readonly sampleSize: number;
  /** Non-zero coordinates per normal minus one: 0 is axis-parallel, features - 1 is fully extended. */
  readonly extension: number;
  readonly normals: Float32Array;
  readonly offsets: Float32Array;
  readonly leaves: Float32Array;
  readonly nodeValues: Float32Array;
}

export interface ExtendedForestOptions {
  trees?: number;
  sampleSize?: number;
  /** Default features - 1 (fully extended). */
  extension?: number;
  seed?: number;
}

export function padToFour(n: number): number {
  return (n + 3) & ~3;
}

/**
 * normal . row in float32 exactly as the WASM kernel computes it: four lane sums over coordinates
 * j = lane (mod 4), each step rounded, then ((l0 + l1) + l2) + l3. Training, the kernel and its
 * twin all decide with this, so they agree on every row, even on a hyperplane's edge.
 */
export function hyperplaneDot(normals: Float32Array, at: number, padded: number, row: ArrayLike<number>, rowAt: number, features: number): number {
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  const f = Math.fround;
  for (let j = 0; j < padded; j += 4) {
    l0 = f(l0 + f(normals[at + j]! * (j < features ? f(row[rowAt + j]!) : 0)));
    l1 = f(l1 + f(normals[at + j + 1]! * (j + 1 < features ? f(row[rowAt + j + 1]!) : 0)));
    l2 = f(l2 + f(normals[at + j + 2]! * (j + 2 < features ? f(row[rowAt + j + 2]!) : 0)));
    l3 = f(l3 + f(normals[at + j + 3]! * (j + 3 < features ? f(row[rowAt + j + 3]!) : 0)));
  }
  return f(f(f(l0 + l1) + l2) + l3);
}

export function trainExtendedIsolationForest(rows: Matrix, features: number, options: ExtendedForestOptions = {}): ExtendedForestModel {
  if (!Number.isInteger(features) || features <= 0) throw new RangeError(`features must be a positive integer, got ${features}`);
  if (rows.length % features !== 0) throw new RangeError(`rows length ${rows.length} is not a multiple of ${features}`);
  const n = rows.length / features;
  const trees = options.trees ?? 100;
  const sampleSize = Math.min(options.sampleSize ?? 256, n);
  const extension = options.extension ?? features - 1;
  if (!Number.isInteger(trees) || trees <= 0) throw new RangeError(`trees must be a positive integer, got ${trees}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 2) throw new RangeError(`need a sample size of at least 2 rows, got ${sampleSize}`);
  if (!Number.isInteger(extension) || extension < 0 || extension >= features) throw new RangeError(`extension must be in [0, ${features - 1}], got ${extension}`);
  for (let i = 0; i < rows.length; i++) if (!Number.isFinite(rows[i]!)) throw new RangeError(`row ${Math.floor(i / features)} feature ${i % features} is not finite`);
  const x = rows instanceof Float32Array ? rows : Float32Array.from(rows);
  const depth = Math.ceil(Math.log2(sampleSize));
  const inner = (1 << depth) - 1;
  const padded = padToFour(features);
  const m: ExtendedForestModel = {
    kind: 'eiforest',
    features,
    paddedFeatures: padded,
    trees,
    depth,
    sampleSize,
    extension,
    normals: new Float32Array(trees * inner * padded),
    offsets: new Float32Array(trees * inner),
    leaves: new Float32Array(trees * (inner + 1)),
    nodeValues: new Float32Array(trees * inner),
  };
  const rng = new Rng(options.seed ?? 0);
  const lo = new Float64Array(features);
  const hi = new Float64Array(features);
  const coords = new Uint32Array(features);
  for (let t = 0; t < trees; t++) {
    const sample = rng.sample(n, sampleSize);
    const stack: number[] = [0, 0, sample.length, 0];
    while (stack.length > 0) {
      const level = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const node = stack.pop()!;
      const size = end - start;
      const value = level + averagePathLength(size);
      if (level === depth) {
        m.leaves[t * (inner + 1) + node - inner] = value;
        continue;
      }
      if (size <= 1) {
        fillExternal(m, t, node, level, value);
        continue;
      }
      // Normal: N(0, 1) on extension + 1 random coordinates; intercept uniform in the bounding box.
      lo.fill(Infinity);
      hi.fill(-Infinity);
      for (let i = start; i < end; i++) {
        for (let j = 0; j < features; j++) {
          const v = x[sample[i]! * features + j]!;
          if (v < lo[j]!) lo[j] = v;
          if (v > hi[j]!) hi[j] = v;
        }
      }
      const at = (t * inner + node) * padded;
      for (let j = 0; j < features; j++) coords[j] = j;
      let offset = 0;
      for (let c = 0; c <= extension; c++) {
        const k = c + rng.int(features - c);
        const j = coords[k]!;
        coords[k] = coords[c]!;
        coords[c] = j;
        const w = Math.fround(rng.normal());
        m.normals[at + j] = w;
        offset += w * (lo[j]! + rng.float() * (hi[j]! - lo[j]!));
      }
      const b = Math.fround(offset);
      m.offsets[t * inner + node] = b;
      m.nodeValues[t * inner + node] = value;
      let i = start;
      let e = end - 1;
      while (i <= e) {
        if (hyperplaneDot(m.normals, at, padded, x, sample[i]! * features, features) <= b) i++;
        else {
          const s = sample[i]!;
          sample[i] = sample[e]!;
          sample[e--] = s;
        }
      }
      stack.push(2 * node + 2, i, end, level + 1);
      stack.push(2 * node + 1, start, i, level + 1);
    }
  }
  return m;
}

function fillExternal(m: ExtendedForestModel, tree: number, node: number, level: number, value: number): void {
  const inner = (1 << m.depth) - 1;
  let first = node;
  for (let l = level, width = 1; l <= m.depth; l++, width <<= 1) {
    for (let k = first; k < first + width; k++) {
      if (l === m.depth) m.leaves[tree * (inner + 1) + k - inner] = value;
      else {
        m.offsets[tree * inner + k] = Infinity; // normal stays 0: 0 > Infinity never holds
        m.nodeValues[tree * inner + k] = value;
      }
    }
    first = 2 * first + 1;
  }
}
