// OffchainService over real native gRPC (client/'s typed client): the same
// handler as POST /predict, so the same request gets the same signed result on either face.
import { OffchainService } from '../../client/index.ts';
import { grpcTransport, rejection, status, unary, type TypedTransport } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSnakeResponse } from '../../core/offchain/http.ts';
import { verifyPrediction } from '../../core/offchain/verify.ts';
import { API_KEY, botSession, freshDid, humanSession, OTHER_KEY, postPredict, removeDir, seedRequest, startTestCore, type TestCore } from './offchain-fixtures.ts';

let t: TestCore & { dir: string };
let grpc: TypedTransport;

beforeAll(async () => {
  t = await startTestCore({ CADENCE_OFFCHAIN_RATE_PER_DID: '8' });
  grpc = grpcTransport(`127.0.0.1:${t.core.grpcPort}`, 2000);
});

afterAll(async () => {
  grpc?.close();
  await t?.stop();
  if (t) removeDir(t.dir);
});

function call(method: string, req: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }): Promise<any> {
  return unary(grpc.transport, OffchainService, method)(req, { headers });
}

/** seed 003's snake_case request as the proto's camelCase message. */
function wire(req: ReturnType<typeof seedRequest>) {
  const camel = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
  return { did: req.did, features: camel(req.features), historicalPatterns: req.historical_patterns.map(camel) };
}

describe('OffchainService over native gRPC', () => {
  it('Health reports the model and the signing key', async () => {
    const h = await call('Health', {});
    expect(h).toMatchObject({ status: 'healthy', modelLoaded: true });
    expect(h.modelVersion).toMatch(/^offchain-pair\/1\.\d+\.0\//);
    expect(h.publicKey).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('Predict signs a verifiable result; the HTTP face returns the same result for the same request', async () => {
    const req = seedRequest();
    const res = await call('Predict', wire(req));
    expect(res).toMatchObject({ baseline: 'BASELINE_POPULATION', did: req.did, replayed: false });
    const { public_key } = (await fetch(`${t.url}/health`).then((r) => r.json())) as any;
    const snake = toSnakeResponse(res) as any;
    expect(verifyPrediction(snake, public_key).ok).toBe(true);
    expect(verifyPrediction({ ...snake, confidence_score: (snake.confidence_score + 1) % 101 }, public_key).ok).toBe(false);
    const http = await postPredict(t.url, req);
    expect(http.body).toMatchObject({ replayed: true, signature: res.signature, issued_at: Number(res.issuedAt), request_sha256: res.requestSha256 });
    const again = await call('Predict', wire(req));
    expect(again).toMatchObject({ replayed: true, signature: res.signature });
  });

  it('uses request history, then the DID history', async () => {
    const did = freshDid();
    const history = Array.from({ length: 6 }, (_, i) => ({ ...humanSession(40 + i), timestamp: 1704067200 + i }));
    const withHistory = await call('Predict', { did, features: { typingSpeedWpm: botSession.typing_speed_wpm, avgKeyHoldTimeMs: botSession.avg_key_hold_time_ms, avgTransitionTimeMs: botSession.avg_transition_time_ms, errorRatePercent: botSession.error_rate_percent }, historicalPatterns: history.map((h) => ({ typingSpeedWpm: h.typing_speed_wpm, avgKeyHoldTimeMs: h.avg_key_hold_time_ms, avgTransitionTimeMs: h.avg_transition_time_ms, errorRatePercent: h.error_rate_percent, timestamp: h.timestamp })) });
    expect(withHistory).toMatchObject({ baseline: 'BASELINE_REQUEST_HISTORY', baselineWindows: 6 });
    expect(withHistory.anomalyScore).toBeGreaterThan(0.9);
    for (let i = 0; i < 5; i++) {
      const h = humanSession(50 + i);
      await call('Predict', { did, features: { typingSpeedWpm: h.typing_speed_wpm, avgKeyHoldTimeMs: h.avg_key_hold_time_ms, avgTransitionTimeMs: h.avg_transition_time_ms, errorRatePercent: h.error_rate_percent } });
    }
    const h = humanSession(50);
    const own = await call('Predict', { did, features: { typingSpeedWpm: h.typing_speed_wpm + 0.2, avgKeyHoldTimeMs: h.avg_key_hold_time_ms, avgTransitionTimeMs: h.avg_transition_time_ms, errorRatePercent: h.error_rate_percent } });
    expect(own).toMatchObject({ baseline: 'BASELINE_DID_HISTORY', baselineWindows: 5 });
  });

  it('signs every field over gRPC too: feature_importance, reasons, baseline_windows, the enrolment outcome', async () => {
    const { public_key } = (await fetch(`${t.url}/health`).then((r) => r.json())) as any;
    const f = botSession;
    const res = await call('Predict', { did: freshDid(), features: { typingSpeedWpm: f.typing_speed_wpm, avgKeyHoldTimeMs: f.avg_key_hold_time_ms, avgTransitionTimeMs: f.avg_transition_time_ms, errorRatePercent: f.error_rate_percent } });
    expect(res).toMatchObject({ formatVersion: 2, enrolled: false, enrolment: 'risky' });
    expect(res.reasons.length).toBeGreaterThan(0);
    expect(Object.values(res.featureImportance).some((v) => (v as number) > 0)).toBe(true);
    const snake = toSnakeResponse(res) as any;
    expect(verifyPrediction(snake, public_key)).toMatchObject({ ok: true, version: 2 });
    for (const tampered of [
      { ...snake, reasons: snake.reasons.slice(1) },
      { ...snake, feature_importance: { ...snake.feature_importance, typing_speed: Math.round((snake.feature_importance.typing_speed + 0.001) * 1000) / 1000 } },
      { ...snake, baseline_windows: snake.baseline_windows + 1 },
      { ...snake, enrolled: true },
      { ...snake, enrolment: 'enrolled' },
    ]) {
      expect(verifyPrediction(tampered, public_key).ok).toBe(false);
    }
  });

  it('a key not bound to the DID is scored and signed but never enrolled; a bound key enrols', async () => {
    const did = freshDid();
    const features = (i: number) => {
      const h = humanSession(70 + i);
      return { typingSpeedWpm: h.typing_speed_wpm, avgKeyHoldTimeMs: h.avg_key_hold_time_ms, avgTransitionTimeMs: h.avg_transition_time_ms, errorRatePercent: h.error_rate_percent };
    };
    for (let i = 0; i < 5; i++) {
      const r = await call('Predict', { did, features: features(i) }, { 'x-api-key': OTHER_KEY });
      expect(r).toMatchObject({ baseline: 'BASELINE_POPULATION', enrolled: false, enrolment: 'not_bound' });
      expect(verifyPrediction(toSnakeResponse(r) as any).ok).toBe(true);
    }
    t.advance(60_000); // refills the DID's rate limit (8 a minute here)
    expect(await call('Predict', { did, features: features(5) }, { 'x-api-key': OTHER_KEY })).toMatchObject({ baseline: 'BASELINE_POPULATION' });
    for (let i = 0; i < 5; i++) expect(await call('Predict', { did, features: features(i) })).toMatchObject({ enrolled: true, enrolment: 'enrolled' });
    t.advance(60_000);
    expect(await call('Predict', { did, features: features(6) }, { 'x-api-key': OTHER_KEY })).toMatchObject({ baseline: 'BASELINE_DID_HISTORY', baselineWindows: 5 });
  });

  it('refuses bad input, missing or unknown keys and a DID over its limit with gRPC codes', async () => {
    const bad = await rejection(call('Predict', { did: freshDid(), features: { typingSpeedWpm: 0, avgKeyHoldTimeMs: 100, avgTransitionTimeMs: 100, errorRatePercent: 1 } }));
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(bad.metadata.get('cadence-field')).toEqual(['features.typing_speed_wpm']);
    const missing = await rejection(call('Predict', { did: freshDid(), features: { typingSpeedWpm: 60, avgTransitionTimeMs: 100, errorRatePercent: 1 } }));
    expect(missing.metadata.get('cadence-field')).toEqual(['features.avg_key_hold_time_ms']);
    expect((await rejection(call('Predict', wire(seedRequest()), {}))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(call('Predict', wire(seedRequest()), { 'x-api-key': 'nope-nope-nope-nope' }))).code).toBe(status.UNAUTHENTICATED);
    const did = freshDid();
    const codes: number[] = [];
    for (let i = 0; i < 9; i++) {
      const h = humanSession(200 + i);
      codes.push(await call('Predict', { did, features: { typingSpeedWpm: h.typing_speed_wpm, avgKeyHoldTimeMs: h.avg_key_hold_time_ms, avgTransitionTimeMs: h.avg_transition_time_ms, errorRatePercent: h.error_rate_percent } }).then(() => 0, (e: { code: number }) => e.code));
    }
    expect(codes.slice(0, 8)).toEqual(Array(8).fill(0));
    expect(codes[8]).toBe(status.RESOURCE_EXHAUSTED);
  });
});
