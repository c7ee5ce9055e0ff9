// The one binary file format for every scoring model: a checked header, flat little-endian arrays,
// and a sha256 of the whole, so that a truncated, corrupted or mismatched model is never scored.
//
// Layout (all integers little-endian u32 unless said otherwise):
//   0  magic "CDNM"            4  format version (u16)   6  model kind (u16)
//   8  feature count          12  payload length in bytes
//  16  sha256 of the feature schema (32 bytes)
//  48  payload (kind-specific, 4-byte aligned)
//  48+payload  sha256 of every byte before it (32 bytes)
import type { ForestModel } from '../scoring/models/iforest.ts';
import { padToFour, type ExtendedForestModel } from '../scoring/models/eiforest.ts';
import { ACTIVATIONS, checkMlpShape, type MlpModel } from '../scoring/models/mlp-model.ts';
import { MAX_TREE_FEATURES, type TreeEnsembleModel } from '../scoring/models/tree-ensemble.ts';

export type Model = ForestModel | ExtendedForestModel | MlpModel | TreeEnsembleModel;
export type ModelKind = Model['kind'];

export const MODEL_MAGIC = 'CDNM';
export const FORMAT_VERSION = 1;
const HEADER = 48;
const DIGEST = 32;
const KIND_CODES: Record<ModelKind, number> = { iforest: 1, eiforest: 2, mlp: 3, autoencoder: 4, rforest: 5 };
const KIND_NAMES = new Map(Object.entries(KIND_CODES).map(([k, v]) => [v, k as ModelKind]));

export type ModelFormatReason = 'truncated' | 'magic' | 'version' | 'length' | 'checksum' | 'kind' | 'features' | 'schema' | 'payload';

/** Why a model file was refused; `reason` is stable for callers, the message is for people. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
  constructor(
    readonly reason: ModelFormatReason,
    message: string,
  ) {
    super(`model refused (${reason}): ${message}`);
  }
}

export type ParseResult = { ok: true; model: Model } | { ok: false; error: ModelFormatError };

/** What the caller is about to score with: the model must be built for exactly this schema. */
export interface ModelExpectation {
  /** Ordered feature names the caller will pass in each row. */
  schema: readonly string[];
  /** Refuse any other model kind. */
  kind?: ModelKind;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** sha256 of the ordered feature names (JSON, so names cannot run into each other). */
export function schemaHash(schema: readonly string[]): Promise<Uint8Array> {
  return sha256(new TextEncoder().encode(JSON.stringify(schema)));
}

function featureCount(model: Model): number {
  return model.kind === 'iforest' || model.kind === 'eiforest' || model.kind === 'rforest' ? model.features : model.sizes[0]!;
}

/** Serialises `model`, built for the features named in `schema` (in row order). */
export async function encodeModel(model: Model, schema: readonly string[]): Promise<Uint8Array> {
  const features = featureCount(model);
  if (schema.length !== features) throw new RangeError(`schema names ${schema.length} features, model takes ${features}`);
  const payload =
    model.kind === 'iforest' ? forestPayload(model) : model.kind === 'eiforest' ? extendedPayload(model) : model.kind === 'rforest' ? treesPayload(model) : mlpPayload(model);
  const bytes = new Uint8Array(HEADER + payload.byteLength + DIGEST);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MODEL_MAGIC), 0);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, KIND_CODES[model.kind], true);
  view.setUint32(8, features, true);
  view.setUint32(12, payload.byteLength, true);
  bytes.set(await schemaHash(schema), 16);
  bytes.set(payload, HEADER);
  bytes.set(await sha256(bytes.subarray(0, HEADER + payload.byteLength)), HEADER + payload.byteLength);
  return bytes;
}

/** Checks and decodes a model file; errors come back as values naming why. */
export async function parseModel(bytes: Uint8Array, expect: ModelExpectation): Promise<ParseResult> {
  const fail = (reason: ModelFormatReason, message: string): ParseResult => ({ ok: false, error: new ModelFormatError(reason, message) });
  if (bytes.byteLength < HEADER + DIGEST) return fail('truncated', `${bytes.byteLength} bytes is shorter than a header and digest (${HEADER + DIGEST})`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== MODEL_MAGIC) return fail('magic', `not a Cadence model (magic ${JSON.stringify(magic)}, expected ${JSON.stringify(MODEL_MAGIC)})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION) return fail('version', `format version ${version}, this build reads ${FORMAT_VERSION}`);
  const payloadLength = view.getUint32(12, true);
  const expected = HEADER + payloadLength + DIGEST;
  if (bytes.byteLength < expected) return fail('truncated', `header declares ${expected} bytes, file has ${bytes.byteLength}`);
  if (bytes.byteLength > expected) return fail('length', `header declares ${expected} bytes, file has ${bytes.byteLength} (trailing data)`);
  const digest = await sha256(bytes.subarray(0, HEADER + payloadLength));
  const stored = bytes.subarray(HEADER + payloadLength);
  if (!equalBytes(digest, stored)) return fail('checksum', 'sha256 does not match the contents: the file is corrupted');
  const kind = KIND_NAMES.get(view.getUint16(6, true));
  if (!kind) return fail('kind', `unknown model kind ${view.getUint16(6, true)}`);
  if (expect.kind && expect.kind !== kind) return fail('kind', `file holds a ${kind} model, expected ${expect.kind}`);
  const features = view.getUint32(8, true);
  if (features !== expect.schema.length) return fail('features', `model takes ${features} features, the caller provides ${expect.schema.length}`);
  if (!equalBytes(bytes.subarray(16, 48), await schemaHash(expect.schema))) {
    return fail('schema', 'model was built for a different feature schema (names or order differ)');
  }
  // Copy so that the arrays are aligned and independent of the caller's buffer.
  const payload = bytes.slice(HEADER, HEADER + payloadLength);
  try {
    const model =
      kind === 'iforest' ? readForest(payload, features) : kind === 'eiforest' ? readExtended(payload, features) : kind === 'rforest' ? readTrees(payload, features) : readMlp(payload, kind, features);
    return { ok: true, model };
  } catch (err) {
    return fail('payload', (err as Error).message);
  }
}

/** parseModel for callers that treat a bad model as exceptional: throws ModelFormatError. */
export async function decodeModel(bytes: Uint8Array, expect: ModelExpectation): Promise<Model> {
  const result = await parseModel(bytes, expect);
  if (!result.ok) throw result.error;
  return result.model;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Appends u32 fields and typed arrays, 4-byte aligned. */
class Writer {
  private parts: Uint8Array[] = [];
  u32(...values: number[]): this {
    this.parts.push(new Uint8Array(Uint32Array.from(values).buffer));
    return this;
  }
  array(values: Float32Array | Uint32Array | Int32Array | Float64Array): this {
    this.parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((s, p) => s + p.byteLength, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}

/** Reads what Writer wrote, refusing to run past the end. */
class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  private take(count: number, what: string): ArrayBuffer {
    const end = this.at + count * 4;
    if (!Number.isSafeInteger(end) || end > this.bytes.byteLength) throw new Error(`payload ends before ${what} (${count} values)`);
    const buf = this.bytes.buffer.slice(this.bytes.byteOffset + this.at, this.bytes.byteOffset + end);
    this.at = end;
    return buf as ArrayBuffer;
  }
  u32(what: string): number {
    return new Uint32Array(this.take(1, what))[0]!;
  }
  f32(count: number, what: string): Float32Array {
    return new Float32Array(this.take(count, what));
  }
  u32s(count: number, what: string): Uint32Array {
    return new Uint32Array(this.take(count, what));
  }
  i32s(count: number, what: string): Int32Array {
    return new Int32Array(this.take(count, what));
  }
  f64s(count: number, what: string): Float64Array {
    return new Float64Array(this.take(count * 2, what));
  }
  end(): void {
    if (this.at !== this.bytes.byteLength) throw new Error(`${this.bytes.byteLength - this.at} unexpected bytes after the last array`);
  }
}

// Little-endian hosts only (every WebAssembly host is little-endian).
function forestPayload(m: ForestModel): Uint8Array {
  return new Writer()
    .u32(m.trees, m.depth, m.sampleSize)
    .array(m.thresholds)
    .array(m.splitFeatures)
    .array(m.leaves)
    .array(m.nodeValues)
    .finish();
}

function readForest(payload: Uint8Array, features: number): ForestModel {
  const r = new Reader(payload);
  const trees = r.u32('tree count');
  const depth = r.u32('depth');
  const sampleSize = r.u32('sample size');
  if (trees < 1 || depth < 1 || depth > 20) throw new Error(`implausible forest: ${trees} trees of depth ${depth}`);
  if (sampleSize < 2 || Math.ceil(Math.log2(sampleSize)) !== depth) throw new Error(`depth ${depth} does not fit sample size ${sampleSize}`);
  const inner = trees * ((1 << depth) - 1);
  const model: ForestModel = {
    kind: 'iforest',
    features,
    trees,
    depth,
    sampleSize,
    thresholds: r.f32(inner, 'thresholds'),
    splitFeatures: r.u32s(inner, 'split features'),
    leaves: r.f32(trees << depth, 'leaves'),
    nodeValues: r.f32(inner, 'node values'),
  };
  r.end();
  for (let i = 0; i < inner; i++) {
    if (model.splitFeatures[i]! >= features) throw new Error(`node ${i} splits on feature ${model.splitFeatures[i]}, model has ${features}`);
    if (Number.isNaN(model.thresholds[i]!)) throw new Error(`node ${i} has a NaN threshold`);
  }
  for (const v of model.leaves) if (!Number.isFinite(v) || v < 0) throw new Error(`leaf path length ${v} is not a finite non-negative number`);
  return model;
}

function extendedPayload(m: ExtendedForestModel): Uint8Array {
  return new Writer()
    .u32(m.trees, m.depth, m.sampleSize, m.extension)
    .array(m.normals)
    .array(m.offsets)
    .array(m.leaves)
    .array(m.nodeValues)
    .finish();
}

function readExtended(payload: Uint8Array, features: number): ExtendedForestModel {
  const r = new Reader(payload);
  const trees = r.u32('tree count');
  const depth = r.u32('depth');
  const sampleSize = r.u32('sample size');
  const extension = r.u32('extension level');
  if (trees < 1 || depth < 1 || depth > 20) throw new Error(`implausible forest: ${trees} trees of depth ${depth}`);
  if (sampleSize < 2 || Math.ceil(Math.log2(sampleSize)) !== depth) throw new Error(`depth ${depth} does not fit sample size ${sampleSize}`);
  if (extension >= features) throw new Error(`extension level ${extension} needs more than ${features} features`);
  const inner = trees * ((1 << depth) - 1);
  const paddedFeatures = padToFour(features);
  const model: ExtendedForestModel = {
    kind: 'eiforest',
    features,
    paddedFeatures,
    trees,
    depth,
    sampleSize,
    extension,
    normals: r.f32(inner * paddedFeatures, 'normals'),
    offsets: r.f32(inner, 'offsets'),
    leaves: r.f32(trees << depth, 'leaves'),
    nodeValues: r.f32(inner, 'node values'),
  };
  r.end();
  for (const v of model.normals) if (!Number.isFinite(v)) throw new Error('non-finite hyperplane normal');
  for (const v of model.offsets) if (Number.isNaN(v)) throw new Error('NaN hyperplane offset');
  for (const v of model.leaves) if (!Number.isFinite(v) || v < 0) throw new Error(`leaf path length ${v} is not a finite non-negative number`);
  return model;
}

function treesPayload(m: TreeEnsembleModel): Uint8Array {
  const nodes = m.roots[m.trees]!;
  return new Writer()
    .u32(m.trees, nodes)
    .array(Float64Array.of(m.calibration.a, m.calibration.b, m.operatingThreshold))
    .array(m.roots)
    .array(m.feature)
    .array(m.threshold)
    .array(m.left)
    .array(m.value)
    .finish();
}

/** A tree ensemble, checked so that no walk can leave its tree or loop (children after parents). */
function readTrees(payload: Uint8Array, features: number): TreeEnsembleModel {
  const r = new Reader(payload);
  const trees = r.u32('tree count');
  const nodes = r.u32('node count');
  if (trees < 1 || trees > 100_000 || nodes < trees || nodes > 1 << 28) throw new Error(`implausible ensemble: ${trees} trees, ${nodes} nodes`);
  if (features > MAX_TREE_FEATURES) throw new Error(`${features} features, the kernel takes at most ${MAX_TREE_FEATURES}`);
  const [a, b, operatingThreshold] = r.f64s(3, 'calibration');
  const model: TreeEnsembleModel = {
    kind: 'rforest',
    features,
    trees,
    roots: r.u32s(trees + 1, 'roots'),
    feature: r.i32s(nodes, 'split features'),
    threshold: r.f32(nodes, 'thresholds'),
    left: r.u32s(nodes, 'children'),
    value: r.f32(nodes, 'leaf values'),
    calibration: { a: a!, b: b! },
    operatingThreshold: operatingThreshold!,
  };
  r.end();
  if (!(a! < 0) || !Number.isFinite(a!) || !Number.isFinite(b!)) throw new Error('calibration is not a finite increasing map');
  if (!(operatingThreshold! >= 0 && operatingThreshold! <= 1)) throw new Error(`operating threshold ${operatingThreshold} is not in [0, 1]`);
  if (model.roots[0] !== 0 || model.roots[trees] !== nodes) throw new Error('tree roots do not cover the nodes');
  for (let t = 0; t < trees; t++) {
    const root = model.roots[t]!;
    const end = model.roots[t + 1]!;
    if (end <= root || end - root >= 1 << 21) throw new Error(`tree ${t} has ${end - root} nodes`);
    for (let k = root; k < end; k++) {
      const f = model.feature[k]!;
      if (f < 0) {
        const v = model.value[k]!;
        if (f !== -1 || !(v >= 0 && v <= 1)) throw new Error(`leaf ${k} holds ${v}, not a probability`);
        continue;
      }
      if (f >= features) throw new Error(`node ${k} splits on feature ${f}, model has ${features}`);
      if (Number.isNaN(model.threshold[k]!)) throw new Error(`node ${k} has a NaN threshold`);
      const left = root + model.left[k]!;
      if (left <= k || left + 1 >= end) throw new Error(`node ${k} has children outside its tree`);
    }
  }
  return model;
}

function mlpPayload(m: MlpModel): Uint8Array {
  checkMlpShape(m);
  const w = new Writer().u32(m.sizes.length - 1, ...m.sizes, ...m.activations.map((a) => ACTIVATIONS.indexOf(a)));
  w.array(m.inputShift).array(m.inputScale);
  for (let l = 0; l < m.weights.length; l++) w.array(m.weights[l]!).array(m.biases[l]!);
  return w.finish();
}

function readMlp(payload: Uint8Array, kind: ModelKind, features: number): MlpModel {
  const r = new Reader(payload);
  const layers = r.u32('layer count');
  if (layers < 1 || layers > 64) throw new Error(`implausible layer count ${layers}`);
  const sizes: number[] = [];
  for (let l = 0; l <= layers; l++) sizes.push(r.u32('layer widths'));
  if (sizes[0] !== features) throw new Error(`input width ${sizes[0]} differs from the header's ${features} features`);
  for (const s of sizes) if (s < 1 || s > 1 << 16) throw new Error(`implausible layer width ${s}`);
  const activations = Array.from(r.u32s(layers, 'activations'), (a) => {
    const name = ACTIVATIONS[a];
    if (!name) throw new Error(`unknown activation code ${a}`);
    return name;
  });
  const inputShift = r.f32(features, 'input shift');
  const inputScale = r.f32(features, 'input scale');
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l < layers; l++) {
    weights.push(r.f32(sizes[l]! * sizes[l + 1]!, `layer ${l} weights`));
    biases.push(r.f32(sizes[l + 1]!, `layer ${l} biases`));
  }
  r.end();
  const model: MlpModel = { kind: kind as MlpModel['kind'], sizes, activations, weights, biases, inputShift, inputScale };
  checkMlpShape(model);
  for (const arr of [inputShift, inputScale, ...weights, ...biases]) {
    for (const v of arr) if (!Number.isFinite(v)) throw new Error('non-finite weight');
  }
  return model;
}
