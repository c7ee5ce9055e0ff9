// POST /predict and GET /health (seed 003) over the core's real HTTP face: the three baselines,
// signatures that verify (and fail when tampered with), idempotent repeats, refusals, rate limits.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPrediction } from '../../core/offchain/verify.ts';
import { API_KEY, botSession, freshDid, humanSession, OTHER_KEY, postPredict, removeDir, seedRequest, startTestCore, type TestCore } from './offchain-fixtures.ts';

let t: TestCore & { dir: string };
let publicKey: string;

beforeAll(async () => {
  t = await startTestCore({ CADENCE_OFFCHAIN_RATE_PER_DID: '20', CADENCE_OFFCHAIN_IDEMPOTENCY_S: '60' });
  const health = await fetch(`${t.url}/health`).then((r) => r.json() as Promise<any>);
  publicKey = health.public_key;
});

afterAll(async () => {
  await t?.stop();
  if (t) removeDir(t.dir);
});

const FEATURES = ['typing_speed', 'key_hold_time', 'transition_time', 'error_rate', 'speed_accuracy_ratio', 'rhythm_ratio'];

function expectSeedContract(body: any) {
  expect(Number.isInteger(body.confidence_score)).toBe(true);
  expect(body.confidence_score).toBeGreaterThanOrEqual(0);
  expect(body.confidence_score).toBeLessThanOrEqual(100);
  expect(body.anomaly_score).toBeGreaterThanOrEqual(0);
  expect(body.anomaly_score).toBeLessThanOrEqual(1);
  expect(body.confidence_score).toBe(Math.round(100 * (1 - body.anomaly_score)));
  expect(Object.keys(body.feature_importance).sort()).toEqual([...FEATURES].sort());
  const total = Object.values(body.feature_importance as Record<string, number>).reduce((s, v) => s + v, 0);
  expect(total).toBeCloseTo(1, 2);
  expect(typeof body.model_version).toBe('string');
  expect(body.inference_time_ms).toBeGreaterThanOrEqual(0);
  expect(body.model_sha256).toMatch(/^0x[0-9a-f]{64}$/);
  expect(body.request_sha256).toMatch(/^0x[0-9a-f]{64}$/);
  expect(body.signature).toMatch(/^0x[0-9a-f]{128}$/);
}

describe('GET /health', () => {
  it('answers with seed 003 fields and the signing key', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ status: 'healthy', model_loaded: true, model_version: 'offchain-population-1', version: 'offchain-population-1' });
    expect(Number.isInteger(body.uptime_seconds)).toBe(true);
    expect(body.public_key).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe('POST /predict: baselines', () => {
  it('with no usable history the population model answers, and says so', async () => {
    const res = await postPredict(t.url, seedRequest());
    expect(res.status).toBe(200);
    expectSeedContract(res.body);
    expect(res.body).toMatchObject({ baseline: 'population', baseline_windows: 0, model_version: 'offchain-population-1', replayed: false });
    expect(verifyPrediction(res.body, publicKey)).toMatchObject({ ok: true });
    // A script is far from the population's typing; a typical human is not.
    const bot = await postPredict(t.url, { did: freshDid(), features: botSession });
    const human = await postPredict(t.url, { did: freshDid(), features: humanSession(1) });
    expect(bot.body.anomaly_score).toBeGreaterThan(0.9);
    expect(bot.body.reasons.length).toBeGreaterThan(0);
    expect(human.body.anomaly_score).toBeLessThan(0.4);
  });

  it('with only historical_patterns, a profile fitted from them answers', async () => {
    // A slow, careful typist: unusual for the population, usual for themselves.
    const own = (i: number) => ({ typing_speed_wpm: 28 + (i % 3), avg_key_hold_time_ms: 160 + 3 * (i % 4), avg_transition_time_ms: 260 + 7 * (i % 5), error_rate_percent: 8 + (i % 2), timestamp: 1704067200 + i * 86400 });
    const history = Array.from({ length: 12 }, (_, i) => own(i));
    const current = { typing_speed_wpm: 29, avg_key_hold_time_ms: 163, avg_transition_time_ms: 268, error_rate_percent: 8.5 };
    const mine = await postPredict(t.url, { did: freshDid(), features: current, historical_patterns: history });
    expect(mine.status).toBe(200);
    expectSeedContract(mine.body);
    expect(mine.body).toMatchObject({ baseline: 'request_history', baseline_windows: 12, model_version: 'offchain-fused-2' });
    expect(verifyPrediction(mine.body, publicKey).ok).toBe(true);
    const population = await postPredict(t.url, { did: freshDid(), features: current });
    expect(mine.body.anomaly_score).toBeLessThan(population.body.anomaly_score);
    // Someone else typing against that history stands out.
    const other = await postPredict(t.url, { did: freshDid(), features: humanSession(3), historical_patterns: history });
    expect(other.body.baseline).toBe('request_history');
    expect(other.body.anomaly_score).toBeGreaterThan(0.7);
    expect(other.body.model_sha256).toBe(mine.body.model_sha256); // same history, same model
    // Fewer patterns than the minimum: the population answers.
    const few = await postPredict(t.url, { did: freshDid(), features: current, historical_patterns: history.slice(0, 4) });
    expect(few.body).toMatchObject({ baseline: 'population', baseline_windows: 0 });
  });

  it("the DID's stored history becomes its baseline; risky sessions are never enrolled", async () => {
    const did = freshDid();
    for (let i = 0; i < 5; i++) {
      const r = await postPredict(t.url, { did, features: humanSession(10 + i) });
      expect(r.body.baseline).toBe('population');
      expect(r.body.anomaly_score).toBeLessThan(0.4);
    }
    const bot = await postPredict(t.url, { did, features: botSession, historical_patterns: Array.from({ length: 6 }, () => botSession) });
    expect(bot.body).toMatchObject({ baseline: 'did_history', baseline_windows: 5, model_version: 'offchain-fused-2' });
    expect(bot.body.anomaly_score).toBeGreaterThan(0.9);
    // The centre of the enrolled sessions: the owner's most typical session.
    const enrolled = [10, 11, 12, 13, 14].map(humanSession);
    const centre = Object.fromEntries(Object.keys(enrolled[0]!).map((k) => [k, enrolled.reduce((s, e) => s + (e as any)[k], 0) / 5]));
    const next = await postPredict(t.url, { did, features: centre });
    expect(next.body.baseline).toBe('did_history');
    expect(next.body.baseline_windows).toBe(5); // the bot session was not enrolled
    expect(next.body.anomaly_score).toBeLessThan(bot.body.anomaly_score);
    expect(verifyPrediction(next.body, publicKey).ok).toBe(true);
    const after = await postPredict(t.url, { did, features: { ...centre, typing_speed_wpm: centre.typing_speed_wpm! + 0.5 } });
    expect(after.body.baseline_windows).toBe(6); // the genuine one was
    expect(after.body.model_sha256).not.toBe(next.body.model_sha256);
  });
});

describe('POST /predict: verifiable results', () => {
  it('fails verification when any signed field, the signature or the key is changed', async () => {
    const { body } = await postPredict(t.url, seedRequest());
    expect(verifyPrediction(body, publicKey).ok).toBe(true);
    const tampered = [
      { ...body, confidence_score: body.confidence_score === 100 ? 99 : body.confidence_score + 1 },
      { ...body, anomaly_score: Math.round((body.anomaly_score + 0.01) * 1e6) / 1e6 },
      { ...body, did: `${body.did}x` },
      { ...body, model_version: 'v9' },
      { ...body, baseline: body.baseline === 'population' ? 'did_history' : 'population' },
      { ...body, issued_at: body.issued_at + 1 },
      { ...body, request_sha256: `0x${'00'.repeat(32)}` },
      { ...body, model_sha256: `0x${'11'.repeat(32)}` },
      { ...body, signature: `${body.signature.slice(0, -2)}${body.signature.endsWith('00') ? '01' : '00'}` },
    ];
    for (const p of tampered) expect(verifyPrediction(p, publicKey)).toMatchObject({ ok: false });
    // A response re-signed by another key fails against the pinned key.
    const other = `0x${'ab'.repeat(32)}`;
    expect(verifyPrediction({ ...body, public_key: other }, publicKey)).toMatchObject({ ok: false, reason: 'signed by another key' });
    // signed_message is exactly the rebuilt payload.
    const v = verifyPrediction(body, publicKey);
    expect(v.ok && `0x${Buffer.from(v.payload).toString('hex')}`).toBe(body.signed_message);
  });

  it('keeps its signing key across restarts (stored in libSQL)', async () => {
    const second = await startTestCore({}, { dir: t.dir });
    try {
      const h = (await fetch(`${second.url}/health`).then((r) => r.json())) as any;
      expect(h.public_key).toBe(publicKey);
    } finally {
      await second.stop();
    }
  });
});

describe('POST /predict: idempotency', () => {
  it('returns the same signed result for the same request within the window, a new one after it', async () => {
    const req = seedRequest();
    const first = await postPredict(t.url, req);
    // Key order and whitespace do not change the request hash.
    const reordered = JSON.stringify({ historical_patterns: req.historical_patterns, features: { ...req.features }, did: req.did }, null, 2);
    const again = await postPredict(t.url, reordered);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    const { replayed: _a, ...a } = first.body;
    const { replayed: _b, ...b } = again.body;
    expect(b).toEqual(a);
    t.advance(61_000);
    const later = await postPredict(t.url, req);
    expect(later.body.replayed).toBe(false);
    expect(later.body.issued_at).toBeGreaterThan(first.body.issued_at);
    expect(later.body.request_sha256).toBe(first.body.request_sha256);
  });

  it('honours an Idempotency-Key per API key and refuses its reuse for another request', async () => {
    const key = `idem-${Date.now()}`;
    const req = seedRequest();
    const first = await postPredict(t.url, req, { 'x-api-key': API_KEY, 'idempotency-key': key });
    const again = await postPredict(t.url, req, { 'x-api-key': API_KEY, 'idempotency-key': key });
    expect(again.body).toMatchObject({ replayed: true, signature: first.body.signature });
    const clash = await postPredict(t.url, seedRequest(), { 'x-api-key': API_KEY, 'idempotency-key': key });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'already_exists', field: 'idempotency-key' });
    // Another caller's key space is its own.
    const other = await postPredict(t.url, seedRequest(), { 'x-api-key': OTHER_KEY, 'idempotency-key': key });
    expect(other.status).toBe(200);
  });
});

describe('POST /predict: refusals', () => {
  it('requires a configured API key', async () => {
    const none = await postPredict(t.url, seedRequest(), {});
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'unauthenticated', field: 'x-api-key' });
    const unknown = await postPredict(t.url, seedRequest(), { 'x-api-key': 'not-a-configured-key-000' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.message).toBe('unknown API key');
    const bearer = await postPredict(t.url, seedRequest(), { authorization: `Bearer ${API_KEY}` });
    expect(bearer.status).toBe(200);
  });

  it.each([
    ['did', (r: any) => delete r.did],
    ['did', (r: any) => (r.did = 'has space')],
    ['did', (r: any) => (r.did = 'x'.repeat(129))],
    ['features', (r: any) => delete r.features],
    ['features.typing_speed_wpm', (r: any) => (r.features.typing_speed_wpm = -5)],
    ['features.typing_speed_wpm', (r: any) => (r.features.typing_speed_wpm = '65')],
    ['features.avg_key_hold_time_ms', (r: any) => delete r.features.avg_key_hold_time_ms],
    ['features.avg_key_hold_time_ms', (r: any) => (r.features.avg_key_hold_time_ms = 1e9)],
    ['features.error_rate_percent', (r: any) => (r.features.error_rate_percent = 101)],
    ['features.activity_hour_preference', (r: any) => (r.features.activity_hour_preference = 24)],
    ['features.session_features.1', (r: any) => (r.features.session_features = [1, 'x'])],
    ['features.session_features', (r: any) => (r.features.session_features = Array.from({ length: 65 }, () => 1))],
    ['features.mouse_speed', (r: any) => (r.features.mouse_speed = 3)],
    ['extra', (r: any) => (r.extra = true)],
    ['historical_patterns', (r: any) => (r.historical_patterns = Array.from({ length: 101 }, () => r.historical_patterns[0]))],
    ['historical_patterns.0.avg_transition_time_ms', (r: any) => (r.historical_patterns[0].avg_transition_time_ms = null)],
    ['historical_patterns.0.timestamp', (r: any) => (r.historical_patterns[0].timestamp = 1.5)],
  ])('400 naming %s', async (field, mutate) => {
    const req = seedRequest();
    mutate(req);
    const res = await postPredict(t.url, req);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_argument', field });
  });

  it('refuses malformed JSON, other content types and oversized bodies', async () => {
    expect((await postPredict(t.url, '{"did":')).status).toBe(400);
    const text = await fetch(`${t.url}/predict`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-api-key': API_KEY }, body: '{}' });
    expect(text.status).toBe(415);
    // Its own connection: the server answers 413 before reading the body, then closes the socket.
    const big = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.url}/predict`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'x-api-key': API_KEY } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ ...seedRequest(), pad: 'x'.repeat(2 << 20) }));
    });
    expect(big).toBe(413);
  });

  it('limits new predictions per DID (429 with Retry-After); repeats are still answered', async () => {
    const did = freshDid();
    const first = seedRequest(did);
    let last: Awaited<ReturnType<typeof postPredict>> | undefined;
    for (let i = 0; i < 21; i++) {
      last = await postPredict(t.url, { did, features: { ...humanSession(100 + i) } });
      if (i < 20) expect(last.status).toBe(200);
    }
    expect(last!.status).toBe(429);
    expect(last!.body.code).toBe('resource_exhausted');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    void first;
  });
});

describe('rate limit per API key', () => {
  it('refuses a key over its limit, not the others', async () => {
    const small = await startTestCore({ CADENCE_OFFCHAIN_RATE_PER_KEY: '3' });
    try {
      for (let i = 0; i < 3; i++) expect((await postPredict(small.url, seedRequest())).status).toBe(200);
      const over = await postPredict(small.url, seedRequest());
      expect(over.status).toBe(429);
      expect(over.body.message).toMatch(/API key worker is over its limit/);
      expect((await postPredict(small.url, seedRequest(), { 'x-api-key': OTHER_KEY })).status).toBe(200);
    } finally {
      await small.stop();
      removeDir(small.dir);
    }
  });
});
