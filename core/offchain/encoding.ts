// The bytes that are hashed and signed: the request's canonical JSON (RFC 8785 style) and the
// SCALE-encoded prediction payload that a Substrate pallet can rebuild and check with ed25519_verify.
import { createHash } from 'node:crypto';
import type { PredictInput } from './validate.ts';

/** 16 bytes that keep these signatures from being valid for any other message type or version. */
export const PAYLOAD_DOMAIN = 'cadence:predict1';

export const BASELINE_CODES = { population: 1, request_history: 2, did_history: 3 } as const;
export type BaselineName = keyof typeof BASELINE_CODES;

/** The signed facts of one prediction. */
export interface SignedFields {
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
 * SCALE encoding of the tuple (domain: [u8; 16], did: Vec<u8>, confidence_score: u8, anomaly_ppm: u32,
 * baseline: u8, model_version: Vec<u8>, model_sha256: [u8; 32], request_sha256: [u8; 32], issued_at: u64):
 * little-endian integers, Vec<u8> as compact length + bytes, arrays as their bytes.
 */
export function encodePayload(s: SignedFields): Uint8Array {
  const text = new TextEncoder();
  const did = text.encode(s.did);
  const version = text.encode(s.modelVersion);
  if (s.modelSha256.length !== 32 || s.requestSha256.length !== 32) throw new RangeError('hashes must be 32 bytes');
  if (!Number.isInteger(s.confidenceScore) || s.confidenceScore < 0 || s.confidenceScore > 100) throw new RangeError('confidence_score must be 0-100');
  if (!Number.isInteger(s.anomalyPpm) || s.anomalyPpm < 0 || s.anomalyPpm > 1_000_000) throw new RangeError('anomaly_ppm must be 0-1000000');
  const parts: Uint8Array[] = [
    text.encode(PAYLOAD_DOMAIN),
    compactLength(did.length), did,
    Uint8Array.of(s.confidenceScore),
    u32le(s.anomalyPpm),
    Uint8Array.of(BASELINE_CODES[s.baseline]),
    compactLength(version.length), version,
    s.modelSha256,
    s.requestSha256,
    u64le(s.issuedAt),
  ];
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
