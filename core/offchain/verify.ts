// Verifies a signed prediction as an off-chain worker (or a test) would: rebuild the SCALE payload
// from the response's own fields and check the ed25519 signature, optionally against a pinned key.
import { createPublicKey, verify } from 'node:crypto';
import { BASELINE_CODES, type BaselineName, encodePayload, fromHex, toHex } from './encoding.ts';

/** The snake_case response fields the signature covers (as returned by POST /predict). */
export interface SignedPrediction {
  did: string;
  confidence_score: number;
  anomaly_score: number;
  baseline: string;
  model_version: string;
  model_sha256: string;
  request_sha256: string;
  issued_at: number;
  signature: string;
  public_key: string;
}

export type Verification = { ok: true; payload: Uint8Array } | { ok: false; reason: string };

export function ed25519PublicKey(raw: Uint8Array) {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

/** `trustedKey` (0x hex) is the key the verifier already knows; without it the response's key is used. */
export function verifyPrediction(p: SignedPrediction, trustedKey?: string): Verification {
  const key = fromHex(trustedKey ?? p.public_key, 32);
  if (!key) return { ok: false, reason: 'public key is not 32 bytes of hex' };
  if (trustedKey && toHex(key) !== p.public_key.toLowerCase()) return { ok: false, reason: 'signed by another key' };
  const signature = fromHex(p.signature, 64);
  const modelSha256 = fromHex(p.model_sha256, 32);
  const requestSha256 = fromHex(p.request_sha256, 32);
  if (!signature || !modelSha256 || !requestSha256) return { ok: false, reason: 'malformed signature or hash' };
  if (!(p.baseline in BASELINE_CODES)) return { ok: false, reason: `unknown baseline ${p.baseline}` };
  let payload: Uint8Array;
  try {
    payload = encodePayload({
      did: p.did,
      confidenceScore: p.confidence_score,
      anomalyPpm: Math.round(p.anomaly_score * 1e6),
      baseline: p.baseline as BaselineName,
      modelVersion: p.model_version,
      modelSha256,
      requestSha256,
      issuedAt: p.issued_at,
    });
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  return verify(null, payload, ed25519PublicKey(key), signature) ? { ok: true, payload } : { ok: false, reason: 'signature does not match' };
}
