// The signed bytes must be what a Substrate pallet rebuilds with parity-scale-codec: SCALE compact
// lengths (values from the SCALE spec), the fixed field layout, and a request hash blind to key order.
import { describe, expect, it } from 'vitest';
import { canonicalRequestJson, compactLength, encodePayload, PAYLOAD_DOMAIN } from '../../core/offchain/encoding.ts';
import { validatePredict } from '../../core/offchain/validate.ts';

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

  it('lays the fields out in the documented order and widths', () => {
    const did = 'x'.repeat(70); // a two-byte compact length
    const bytes = encodePayload({
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
    expect(Buffer.from(take(16)).toString()).toBe(PAYLOAD_DOMAIN);
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

  it('refuses values a pallet would not accept', () => {
    const base = { did: 'd', confidenceScore: 50, anomalyPpm: 500_000, baseline: 'population' as const, modelVersion: 'v', modelSha256: new Uint8Array(32), requestSha256: new Uint8Array(32), issuedAt: 1 };
    expect(() => encodePayload({ ...base, confidenceScore: 101 })).toThrow(RangeError);
    expect(() => encodePayload({ ...base, anomalyPpm: 1_000_001 })).toThrow(RangeError);
    expect(() => encodePayload({ ...base, modelSha256: new Uint8Array(31) })).toThrow(RangeError);
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
