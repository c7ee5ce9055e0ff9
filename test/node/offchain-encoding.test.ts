// The signed bytes must be what a Substrate pallet rebuilds with parity-scale-codec: SCALE compact
// lengths (values from the SCALE spec), the fixed field layout of both result formats, a known-answer
// vector for reimplementers, the verifier telling format 1 from 2, and a request hash blind to key order.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRequestJson, compactLength, encodePayload, encodePayloadV1, PAYLOAD_DOMAIN, PAYLOAD_DOMAIN_V1, type SignedFields } from '../../core/offchain/encoding.ts';
import { rawPublicKey } from '../../core/offchain/keys.ts';
import { validatePredict } from '../../core/offchain/validate.ts';
import { verifyPrediction } from '../../core/offchain/verify.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('SCALE encoding of the prediction payload', () => {
  it('encodes compact lengths as parity-scale-codec does', () => {
    expect(hex(compactLength(0))).toBe('00');
    expect(hex(compactLength(1))).toBe('04');
    expect(hex(compactLength(42))).toBe('a8');
    expect(hex(compactLength(63))).toBe('fc');
    expect(hex(compactLength(64))).toBe('0101');
    expect(hex(compactLength(69))).toBe('1501');
    expect(hex(compactLength(16383))).toBe('fdff');
    expect(hex(compactLength(16384))).toBe('02000100');
    expect(() => compactLength(2 ** 30)).toThrow(RangeError);
  });

  it('lays format 1 out in its documented order and widths', () => {
    const did = 'x'.repeat(70); // a two-byte compact length
    const bytes = encodePayloadV1({
      did,
      confidenceScore: 87,
      anomalyPpm: 120_000,
      baseline: 'did_history',
      modelVersion: 'v1',
      modelSha256: new Uint8Array(32).fill(0xaa),
      requestSha256: new Uint8Array(32).fill(0xbb),
      issuedAt: 0x0102030405,
    });
    let at = 0;
    const take = (n: number) => bytes.subarray(at, (at += n));
    expect(Buffer.from(take(16)).toString()).toBe(PAYLOAD_DOMAIN_V1);
    expect(hex(take(2))).toBe('1901');
    expect(Buffer.from(take(70)).toString()).toBe(did);
    expect(take(1)[0]).toBe(87);
    expect(hex(take(4))).toBe('c0d40100'); // 120000 little-endian
    expect(take(1)[0]).toBe(3);
    expect(hex(take(3))).toBe('087631'); // compact(2) + "v1"
    expect(hex(take(32))).toBe('aa'.repeat(32));
    expect(hex(take(32))).toBe('bb'.repeat(32));
    expect(hex(take(8))).toBe('0504030201000000');
    expect(at).toBe(bytes.length);
  });

  it('lays format 2 out in its documented order and widths: every field of the result', () => {
    const bytes = encodePayload({ ...V2, did: 'x'.repeat(70) });
    let at = 0;
    const take = (n: number) => bytes.subarray(at, (at += n));
    const str = (n: number) => Buffer.from(take(n)).toString();
    expect(PAYLOAD_DOMAIN).toBe('cadence:predict2');
    expect(str(16)).toBe(PAYLOAD_DOMAIN);
    expect(hex(take(2))).toBe('1901');
    expect(str(70)).toBe('x'.repeat(70));
    expect(take(1)[0]).toBe(87); // confidence_score
    expect(hex(take(4))).toBe('c0d40100'); // anomaly_ppm 120000
    expect(take(1)[0]).toBe(3); // did_history
    expect(hex(take(4))).toBe('0c000000'); // baseline_windows 12
    expect(hex(take(3))).toBe('087631'); // model_version "v1"
    expect(hex(take(32))).toBe('aa'.repeat(32));
    expect(hex(take(32))).toBe('bb'.repeat(32));
    expect(hex(take(8))).toBe('0504030201000000'); // issued_at
    expect(hex(take(1))).toBe('08'); // feature_importance: 2 pairs, sorted by name
    expect(hex(take(1))).toBe('28');
    expect(str(10)).toBe('error_rate');
    expect(hex(take(4))).toBe('a0860100'); // 100000
    expect(hex(take(1))).toBe('30');
    expect(str(12)).toBe('typing_speed');
    expect(hex(take(4))).toBe('a0bb0d00'); // 900000
    expect(hex(take(1))).toBe('08'); // reasons: 2, in the order given
    expect(hex(take(1))).toBe('44');
    expect(str(17)).toBe('typing_speed_high');
    expect(hex(take(1))).toBe('3c');
    expect(str(15)).toBe('error_rate_high');
    expect(hex(take(4))).toBe('d2040000'); // inference_time_us 1234
    expect(take(1)[0]).toBe(0); // enrolled: false
    expect(hex(take(1))).toBe('24');
    expect(str(9)).toBe('not_bound');
    expect(at).toBe(bytes.length);
  });

  it('matches a known-answer vector (for reimplementations)', () => {
    expect(hex(encodePayload(V2))).toBe(
      '636164656e63653a7072656469637432' + // "cadence:predict2"
        '0c646964' + // did "did"
        '57' + 'c0d40100' + '03' + '0c000000' + '087631' + 'aa'.repeat(32) + 'bb'.repeat(32) + '0504030201000000' +
        '08' + '28' + Buffer.from('error_rate').toString('hex') + 'a0860100' + '30' + Buffer.from('typing_speed').toString('hex') + 'a0bb0d00' +
        '08' + '44' + Buffer.from('typing_speed_high').toString('hex') + '3c' + Buffer.from('error_rate_high').toString('hex') +
        'd2040000' + '00' + '24' + Buffer.from('not_bound').toString('hex'),
    );
    // Key order in feature_importance does not matter; the order of reasons does.
    const reordered = { ...V2, featureImportancePpm: { typing_speed: 900_000, error_rate: 100_000 } };
    expect(hex(encodePayload(reordered))).toBe(hex(encodePayload(V2)));
    expect(hex(encodePayload({ ...V2, reasons: [...V2.reasons].reverse() }))).not.toBe(hex(encodePayload(V2)));
  });

  it('refuses values a pallet would not accept', () => {
    const base = { did: 'd', confidenceScore: 50, anomalyPpm: 500_000, baseline: 'population' as const, modelVersion: 'v', modelSha256: new Uint8Array(32), requestSha256: new Uint8Array(32), issuedAt: 1 };
    expect(() => encodePayloadV1({ ...base, confidenceScore: 101 })).toThrow(RangeError);
    expect(() => encodePayloadV1({ ...base, anomalyPpm: 1_000_001 })).toThrow(RangeError);
    expect(() => encodePayloadV1({ ...base, modelSha256: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => encodePayload({ ...V2, confidenceScore: 101 })).toThrow(RangeError);
    expect(() => encodePayload({ ...V2, baselineWindows: -1 })).toThrow(RangeError);
    expect(() => encodePayload({ ...V2, inferenceTimeUs: 1.5 })).toThrow(RangeError);
    expect(() => encodePayload({ ...V2, featureImportancePpm: { typing_speed: 1_000_001 } })).toThrow(RangeError);
    expect(() => encodePayload({ ...V2, enrolment: 'whatever' as never })).toThrow(RangeError);
  });
});

const V2: SignedFields = {
  did: 'did',
  confidenceScore: 87,
  anomalyPpm: 120_000,
  baseline: 'did_history',
  baselineWindows: 12,
  modelVersion: 'v1',
  modelSha256: new Uint8Array(32).fill(0xaa),
  requestSha256: new Uint8Array(32).fill(0xbb),
  issuedAt: 0x0102030405,
  featureImportancePpm: { error_rate: 100_000, typing_speed: 900_000 },
  reasons: ['typing_speed_high', 'error_rate_high'],
  inferenceTimeUs: 1234,
  enrolled: false,
  enrolment: 'not_bound',
};

describe('the verifier tells format 1 from format 2', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = `0x${Buffer.from(rawPublicKey(publicKey)).toString('hex')}`;
  const common = { did: 'did', confidence_score: 87, anomaly_score: 0.12, baseline: 'did_history', model_version: 'v1', model_sha256: `0x${'aa'.repeat(32)}`, request_sha256: `0x${'bb'.repeat(32)}`, issued_at: 0x0102030405 };
  const signed = (payload: Uint8Array) => ({ signature: `0x${sign(null, payload, privateKey).toString('hex')}`, public_key: pub, signed_message: `0x${hex(payload)}` });

  it('accepts a format 2 result and refuses any change to it', () => {
    const p = {
      format_version: 2,
      ...common,
      anomaly_ppm: 120_000,
      baseline_windows: 12,
      feature_importance: { typing_speed: 0.9, error_rate: 0.1 },
      reasons: ['typing_speed_high', 'error_rate_high'],
      inference_time_ms: 1.234,
      enrolled: false,
      enrolment: 'not_bound',
      replayed: false,
      ...signed(encodePayload(V2)),
    };
    expect(verifyPrediction(p, pub)).toMatchObject({ ok: true, version: 2 });
    expect(verifyPrediction({ ...p, feature_importance: { typing_speed: 0.9, error_rate: 0.1000001 } }, pub)).toMatchObject({ ok: false, reason: expect.stringMatching(/not exactly what was signed/) });
    expect(verifyPrediction({ ...p, anomaly_score: 0.1200001 }, pub)).toMatchObject({ ok: false });
    expect(verifyPrediction({ ...p, reasons: ['typing_speed_high'] }, pub)).toMatchObject({ ok: false, reason: expect.stringMatching(/signed_message/) });
    const { signed_message: _, ...bare } = p;
    expect(verifyPrediction({ ...bare, reasons: ['typing_speed_high'] }, pub)).toMatchObject({ ok: false, reason: 'signature does not match' });
    expect(verifyPrediction({ ...p, note: 'unsigned' }, pub)).toMatchObject({ ok: false, reason: 'note is not covered by the signature' });
    expect(verifyPrediction({ ...p, format_version: 3 }, pub)).toMatchObject({ ok: false, reason: 'unknown format_version 3' });
  });

  it('refuses a format 1 result unless asked, then vouches only for its signed fields', () => {
    const v1 = { ...common, feature_importance: { typing_speed: 1 }, reasons: ['anything'], baseline_windows: 999, ...signed(encodePayloadV1({ ...V2 })) };
    expect(verifyPrediction(v1, pub)).toMatchObject({ ok: false, reason: expect.stringMatching(/^format 1 leaves reasons, feature_importance, baseline_windows/) });
    expect(verifyPrediction(v1, pub, { allowV1: true })).toMatchObject({ ok: true, version: 1, unsigned: expect.arrayContaining(['reasons']) });
    // A format 1 signature does not pass for format 2, nor the other way round (the domain tags differ).
    expect(verifyPrediction({ ...v1, format_version: 2 }, pub, { allowV1: true })).toMatchObject({ ok: false });
  });
});

describe('canonical request JSON', () => {
  it('sorts keys, drops empty optionals and ignores the order fields were sent in', () => {
    const a = validatePredict({ did: 'd', features: { typingSpeedWpm: 65, avgKeyHoldTimeMs: 120, avgTransitionTimeMs: 85, errorRatePercent: 2, sessionFeatures: [] }, historicalPatterns: [] });
    const b = validatePredict({ historicalPatterns: [], features: { errorRatePercent: 2, avgTransitionTimeMs: 85, avgKeyHoldTimeMs: 120, typingSpeedWpm: 65 }, did: 'd' });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    const json = canonicalRequestJson(a.value);
    expect(json).toBe('{"did":"d","features":{"avg_key_hold_time_ms":120,"avg_transition_time_ms":85,"error_rate_percent":2,"typing_speed_wpm":65},"historical_patterns":[]}');
    expect(canonicalRequestJson(b.value)).toBe(json);
  });
});
