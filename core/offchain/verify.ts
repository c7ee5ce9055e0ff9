// Verifies a signed prediction as an off-chain worker (or a test) would: rebuild the SCALE payload
// from the response's own fields and check the ed25519 signature, optionally against a pinned key.
//
// Written to be reimplemented (in a Substrate off-chain worker, or any client): take the JSON, refuse
// any field this format does not sign, turn every value into the integer the payload carries (and
// refuse a value that is not exactly that integer scaled back), encode (encoding.ts), compare with
// `signed_message` when present, check the signature with the key you trust.
import { createPublicKey, verify } from 'node:crypto';
import {
  BASELINE_CODES,
  type BaselineName,
  ENROLMENT_OUTCOMES,
  type EnrolmentOutcome,
  encodePayload,
  encodePayloadV1,
  FORMAT_VERSION,
  fromHex,
  toHex,
} from './encoding.ts';

/** The snake_case response of POST /predict (format 2); every field but the envelope is signed. */
export interface SignedPrediction {
  format_version?: number;
  did: string;
  confidence_score: number;
  anomaly_score: number;
  anomaly_ppm?: number;
  baseline: string;
  baseline_windows?: number;
  model_version: string;
  model_sha256: string;
  request_sha256: string;
  issued_at: number;
  feature_importance?: Record<string, number>;
  reasons?: string[];
  inference_time_ms?: number;
  enrolled?: boolean;
  enrolment?: string;
  signature: string;
  public_key: string;
  signed_message?: string;
  replayed?: boolean;
}

/**
 * Fields about the signature or this call, not facts of the result: the signature and its key (checked
 * by verifying), signed_message (must equal the rebuilt payload), replayed (whether this call created
 * the result or got the stored one; the signed result is the same bytes either way).
 */
export const ENVELOPE_FIELDS = ['signature', 'public_key', 'signed_message', 'replayed'] as const;

/** Every result field format 2 signs (format_version through the domain tag). */
export const SIGNED_FIELDS = [
  'format_version',
  'did',
  'confidence_score',
  'anomaly_score',
  'anomaly_ppm',
  'baseline',
  'baseline_windows',
  'model_version',
  'model_sha256',
  'request_sha256',
  'issued_at',
  'feature_importance',
  'reasons',
  'inference_time_ms',
  'enrolled',
  'enrolment',
] as const;

/** What format 1 left outside its signature. */
export const UNSIGNED_IN_V1 = ['reasons', 'feature_importance', 'baseline_windows', 'inference_time_ms'] as const;

export type Verification =
  | { ok: true; version: 2; payload: Uint8Array }
  | { ok: true; version: 1; payload: Uint8Array; unsigned: readonly string[] }
  | { ok: false; reason: string };

export function ed25519PublicKey(raw: Uint8Array) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

class Refused extends Error {}

/** `v` in millionths, refusing anything that is not exactly an integer count of `unit`. */
function scaled(v: unknown, unit: number, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Refused(`${field} must be a number`);
  const n = Math.round(v * unit);
  if (n / unit !== v) throw new Refused(`${field} is not exactly what was signed (${unit === 1e6 ? '6' : '3'} decimals)`);
  return n;
}

function integer(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new Refused(`${field} must be an integer`);
  return v;
}

function string(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new Refused(`${field} must be a string`);
  return v;
}

function hash(v: unknown, field: string): Uint8Array {
  const b = typeof v === 'string' ? fromHex(v, 32) : undefined;
  if (!b) throw new Refused(`${field} must be 32 bytes of hex`);
  return b;
}

/** The format 2 payload rebuilt from a response, or a Refused naming the first field that cannot be what was signed. */
export function payloadOf(p: Record<string, unknown>): Uint8Array {
  for (const k of Object.keys(p)) {
    if (!(SIGNED_FIELDS as readonly string[]).includes(k) && !(ENVELOPE_FIELDS as readonly string[]).includes(k)) throw new Refused(`${k} is not covered by the signature`);
  }
  for (const k of SIGNED_FIELDS) if (p[k] === undefined) throw new Refused(`${k} is missing`);
  const anomalyPpm = integer(p.anomaly_ppm, 'anomaly_ppm');
  if (scaled(p.anomaly_score, 1e6, 'anomaly_score') !== anomalyPpm) throw new Refused('anomaly_score is not anomaly_ppm / 1e6');
  const baseline = string(p.baseline, 'baseline');
  if (!(baseline in BASELINE_CODES)) throw new Refused(`unknown baseline ${baseline}`);
  const fi = p.feature_importance;
  if (typeof fi !== 'object' || fi === null || Array.isArray(fi)) throw new Refused('feature_importance must be an object');
  const featureImportancePpm = Object.fromEntries(Object.entries(fi).map(([k, v]) => [k, scaled(v, 1e6, `feature_importance.${k}`)]));
  const reasons = p.reasons;
  if (!Array.isArray(reasons) || !reasons.every((r) => typeof r === 'string')) throw new Refused('reasons must be an array of strings');
  if (typeof p.enrolled !== 'boolean') throw new Refused('enrolled must be a boolean');
  const enrolment = string(p.enrolment, 'enrolment');
  if (!(ENROLMENT_OUTCOMES as readonly string[]).includes(enrolment)) throw new Refused(`unknown enrolment outcome ${enrolment}`);
  try {
    return encodePayload({
      did: string(p.did, 'did'),
      confidenceScore: integer(p.confidence_score, 'confidence_score'),
      anomalyPpm,
      baseline: baseline as BaselineName,
      baselineWindows: integer(p.baseline_windows, 'baseline_windows'),
      modelVersion: string(p.model_version, 'model_version'),
      modelSha256: hash(p.model_sha256, 'model_sha256'),
      requestSha256: hash(p.request_sha256, 'request_sha256'),
      issuedAt: integer(p.issued_at, 'issued_at'),
      featureImportancePpm,
      reasons,
      inferenceTimeUs: scaled(p.inference_time_ms, 1e3, 'inference_time_ms'),
      enrolled: p.enrolled,
      enrolment: enrolment as EnrolmentOutcome,
    });
  } catch (err) {
    if (err instanceof RangeError) throw new Refused(err.message);
    throw err;
  }
}

/**
 * `trustedKey` (0x hex) is the key the verifier already knows; without it the response's key is used.
 * Format 2 results (`format_version: 2`) are checked field by field; a format 1 result (no
 * `format_version`) is refused unless `allowV1`, and then only its nine signed fields are vouched for.
 */
export function verifyPrediction(p: SignedPrediction | Record<string, unknown>, trustedKey?: string, options: { allowV1?: boolean } = {}): Verification {
  const r = p as Record<string, unknown>;
  const publicKey = typeof r.public_key === 'string' ? r.public_key : '';
  const key = fromHex(trustedKey ?? publicKey, 32);
  if (!key) return { ok: false, reason: 'public key is not 32 bytes of hex' };
  if (trustedKey && toHex(key) !== publicKey.toLowerCase()) return { ok: false, reason: 'signed by another key' };
  const signature = typeof r.signature === 'string' ? fromHex(r.signature, 64) : undefined;
  if (!signature) return { ok: false, reason: 'malformed signature' };
  const version = r.format_version ?? 1;
  let payload: Uint8Array;
  try {
    if (version === FORMAT_VERSION) payload = payloadOf(r);
    else if (version === 1) {
      if (!options.allowV1) return { ok: false, reason: `format 1 leaves ${UNSIGNED_IN_V1.join(', ')} unsigned; pass allowV1 to accept its signed fields only` };
      payload = encodePayloadV1({
        did: string(r.did, 'did'),
        confidenceScore: integer(r.confidence_score, 'confidence_score'),
        anomalyPpm: scaled(r.anomaly_score, 1e6, 'anomaly_score'),
        baseline: string(r.baseline, 'baseline') as BaselineName,
        modelVersion: string(r.model_version, 'model_version'),
        modelSha256: hash(r.model_sha256, 'model_sha256'),
        requestSha256: hash(r.request_sha256, 'request_sha256'),
        issuedAt: integer(r.issued_at, 'issued_at'),
      });
    } else return { ok: false, reason: `unknown format_version ${String(version)}` };
  } catch (err) {
    if (err instanceof Refused || err instanceof RangeError) return { ok: false, reason: err.message };
    throw err;
  }
  if (r.signed_message !== undefined && String(r.signed_message).toLowerCase() !== toHex(payload)) return { ok: false, reason: 'signed_message is not the payload rebuilt from the fields' };
  if (!verify(null, payload, ed25519PublicKey(key), signature)) return { ok: false, reason: 'signature does not match' };
  return version === 1 ? { ok: true, version: 1, payload, unsigned: UNSIGNED_IN_V1 } : { ok: true, version: 2, payload };
}
