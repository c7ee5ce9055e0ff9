// The bytes that are hashed and signed: the request's canonical JSON (RFC 8785 style) and the
// SCALE-encoded prediction payload that a Substrate pallet can rebuild and check with ed25519_verify.
//
// Result format 2 (domain `cadence:predict2`) signs every field of the result: the score, the
// baseline and its window count, the model, the request, the time, feature_importance, reasons,
// inference_time and whether (and why or why not) the session entered the DID's history. Format 1
// (`cadence:predict1`, before issue 16) signed only the first nine and left reasons,
// feature_importance and baseline_windows outside; it is kept here so verifiers can tell the two apart.
import { createHash } from 'node:crypto';
import type { PredictInput } from './validate.ts';

/** The result format this service signs; the response carries it as `format_version`. */
export const FORMAT_VERSION = 2;

/** 16 bytes that keep these signatures from being valid for any other message type or version. */
export const PAYLOAD_DOMAIN = 'cadence:predict2';
/** Format 1's domain tag (reasons, feature_importance and baseline_windows unsigned). */
export const PAYLOAD_DOMAIN_V1 = 'cadence:predict1';

export const BASELINE_CODES = { population: 1, request_history: 2, did_history: 3 } as const;
export type BaselineName = keyof typeof BASELINE_CODES;

/**
 * Why a session did or did not enter the DID's stored history, signed with the result:
 * `enrolled`; `already_enrolled` (this very request is in the history already); `risky` (not
 * genuine-looking: anomaly at or above 0.4, or the population disagrees while the DID has no model);
 * `not_finite`; `not_bound` (the API key is not bound to this DID: scored read-only);
 * `open_read_only` (no API keys configured: the open endpoint never writes history).
 */
export const ENROLMENT_OUTCOMES = ['enrolled', 'already_enrolled', 'risky', 'not_finite', 'not_bound', 'open_read_only'] as const;
export type EnrolmentOutcome = (typeof ENROLMENT_OUTCOMES)[number];

/** The signed facts of one prediction in format 1. */
export interface SignedFieldsV1 {
  did: string;
  confidenceScore: number;
  /** anomaly_score in millionths: integers only in the signed bytes (runtimes avoid floats). */
  anomalyPpm: number;
  baseline: BaselineName;
  modelVersion: string;
  modelSha256: Uint8Array;
  requestSha256: Uint8Array;
  /** Unix ms. */
  issuedAt: number;
}

/** The signed facts of one prediction in format 2: every field of the result. */
export interface SignedFields extends SignedFieldsV1 {
  baselineWindows: number;
  /** Feature name -> share of the total deviation in millionths; encoded sorted by name. */
  featureImportancePpm: Record<string, number>;
  /** In the order returned (strongest first). */
  reasons: readonly string[];
  /** inference_time_ms in microseconds. */
  inferenceTimeUs: number;
  enrolled: boolean;
  enrolment: EnrolmentOutcome;
}

/**
 * JSON with keys sorted at every level, no whitespace, numbers in ECMAScript shortest form: for the
 * finite numbers and ASCII strings accepted here this is RFC 8785 (JCS). Empty optional fields are left out.
 */
export function canonicalRequestJson(req: PredictInput): string {
  const measured = (m: PredictInput['historicalPatterns'][number]) => ({
    avg_key_hold_time_ms: m.avgKeyHoldTimeMs,
    avg_transition_time_ms: m.avgTransitionTimeMs,
    error_rate_percent: m.errorRatePercent,
    ...(m.timestamp === undefined ? {} : { timestamp: m.timestamp }),
    typing_speed_wpm: m.typingSpeedWpm,
  });
  const f = req.features;
  const features = {
    ...(f.activityHourPreference === undefined ? {} : { activity_hour_preference: f.activityHourPreference }),
    avg_key_hold_time_ms: f.avgKeyHoldTimeMs,
    avg_transition_time_ms: f.avgTransitionTimeMs,
    error_rate_percent: f.errorRatePercent,
    ...(f.sessionFeatures.length ? { session_features: f.sessionFeatures } : {}),
    typing_speed_wpm: f.typingSpeedWpm,
  };
  // Keys above are written in sorted order; JSON.stringify keeps insertion order.
  return JSON.stringify({ did: req.did, features, historical_patterns: req.historicalPatterns.map(measured) });
}

export function requestSha256(req: PredictInput): Uint8Array {
  return createHash('sha256').update(canonicalRequestJson(req)).digest();
}

/** SCALE compact encoding of a length (the prefix of a Vec<u8>). */
export function compactLength(n: number): Uint8Array {
  if (n < 0 || !Number.isInteger(n) || n >= 2 ** 30) throw new RangeError(`length out of range: ${n}`);
  if (n < 64) return Uint8Array.of(n << 2);
  if (n < 2 ** 14) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  const v = ((n << 2) | 2) >>> 0;
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
}

/**
 * Format 2: SCALE encoding of the tuple (domain: [u8; 16] = "cadence:predict2", did: Vec<u8>,
 * confidence_score: u8, anomaly_ppm: u32, baseline: u8, baseline_windows: u32, model_version: Vec<u8>,
 * model_sha256: [u8; 32], request_sha256: [u8; 32], issued_at: u64,
 * feature_importance: Vec<(Vec<u8>, u32)> sorted by name bytewise (a BTreeMap<Vec<u8>, u32>),
 * reasons: Vec<Vec<u8>>, inference_time_us: u32, enrolled: bool, enrolment: Vec<u8>):
 * little-endian integers, Vec as compact length + items, bool as one byte 0 or 1, arrays as their bytes.
 */
export function encodePayload(s: SignedFields): Uint8Array {
  const text = new TextEncoder();
  checkV1(s);
  if (!Number.isInteger(s.baselineWindows) || s.baselineWindows < 0 || s.baselineWindows > 0xffffffff) throw new RangeError('baseline_windows must be a u32');
  if (!Number.isInteger(s.inferenceTimeUs) || s.inferenceTimeUs < 0 || s.inferenceTimeUs > 0xffffffff) throw new RangeError('inference_time_us must be a u32');
  if (!ENROLMENT_OUTCOMES.includes(s.enrolment)) throw new RangeError(`unknown enrolment outcome ${String(s.enrolment)}`);
  if (typeof s.enrolled !== 'boolean') throw new RangeError('enrolled must be a boolean');
  const importance = Object.entries(s.featureImportancePpm)
    .map(([name, ppm]) => [text.encode(name), ppm] as const)
    .sort(([a], [b]) => Buffer.compare(a, b));
  const parts: Uint8Array[] = [...v1Parts(PAYLOAD_DOMAIN, s, text, s.baselineWindows), compactLength(importance.length)];
  for (const [name, ppm] of importance) {
    if (!Number.isInteger(ppm) || ppm < 0 || ppm > 1_000_000) throw new RangeError('feature_importance shares must be 0-1000000 ppm');
    parts.push(...bytes(name), u32le(ppm));
  }
  parts.push(compactLength(s.reasons.length));
  for (const r of s.reasons) {
    if (typeof r !== 'string') throw new RangeError('reasons must be strings');
    parts.push(...bytes(text.encode(r)));
  }
  parts.push(u32le(s.inferenceTimeUs), Uint8Array.of(s.enrolled ? 1 : 0), ...bytes(text.encode(s.enrolment)));
  return concat(parts);
}

/**
 * Format 1 (before issue 16): SCALE encoding of (domain: [u8; 16] = "cadence:predict1", did: Vec<u8>,
 * confidence_score: u8, anomaly_ppm: u32, baseline: u8, model_version: Vec<u8>, model_sha256: [u8; 32],
 * request_sha256: [u8; 32], issued_at: u64). Only for verifying results issued before format 2.
 */
export function encodePayloadV1(s: SignedFieldsV1): Uint8Array {
  checkV1(s);
  return concat(v1Parts(PAYLOAD_DOMAIN_V1, s, new TextEncoder()));
}

function checkV1(s: SignedFieldsV1): void {
  if (typeof s.did !== 'string' || typeof s.modelVersion !== 'string') throw new RangeError('did and model_version must be strings');
  if (s.modelSha256.length !== 32 || s.requestSha256.length !== 32) throw new RangeError('hashes must be 32 bytes');
  if (!Number.isInteger(s.confidenceScore) || s.confidenceScore < 0 || s.confidenceScore > 100) throw new RangeError('confidence_score must be 0-100');
  if (!Number.isInteger(s.anomalyPpm) || s.anomalyPpm < 0 || s.anomalyPpm > 1_000_000) throw new RangeError('anomaly_ppm must be 0-1000000');
  if (!(s.baseline in BASELINE_CODES)) throw new RangeError(`unknown baseline ${String(s.baseline)}`);
  if (!Number.isSafeInteger(s.issuedAt) || s.issuedAt < 0) throw new RangeError('issued_at must be a non-negative integer');
}

/** The fields both formats share, in their order; format 2 puts baseline_windows after the baseline. */
function v1Parts(domain: string, s: SignedFieldsV1, text: TextEncoder, baselineWindows?: number): Uint8Array[] {
  return [
    text.encode(domain),
    ...bytes(text.encode(s.did)),
    Uint8Array.of(s.confidenceScore),
    u32le(s.anomalyPpm),
    Uint8Array.of(BASELINE_CODES[s.baseline]),
    ...(baselineWindows === undefined ? [] : [u32le(baselineWindows)]),
    ...bytes(text.encode(s.modelVersion)),
    s.modelSha256,
    s.requestSha256,
    u64le(s.issuedAt),
  ];
}

/** A Vec<u8>: compact length, then the bytes. */
const bytes = (b: Uint8Array): Uint8Array[] => [compactLength(b.length), b];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

function u64le(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
}

export const toHex = (b: Uint8Array): string => `0x${Buffer.from(b).toString('hex')}`;

/** 0x-prefixed (or bare) hex to bytes; undefined when it is not hex of the expected length. */
export function fromHex(s: string, bytes?: number): Uint8Array | undefined {
  const h = s.startsWith('0x') ? s.slice(2) : s;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(h) || (bytes !== undefined && h.length !== bytes * 2)) return undefined;
  return new Uint8Array(Buffer.from(h, 'hex'));
}
