// POST /predict and GET /health (seed 003) over the core's real HTTP face: the three baselines,
// signatures that verify (and fail when any field is tampered with), idempotent repeats, refusals,
// rate limits, and a DID's history written only by keys bound to it (issue 16: the poisoning attack).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVELOPE_FIELDS, SIGNED_FIELDS, verifyPrediction } from '../../core/offchain/verify.ts';
import { API_KEY, botSession, freshDid, humanSession, OTHER_KEY, OWNER_KEY, postPredict, removeDir, seedRequest, startTestCore, type TestCore } from './offchain-fixtures.ts';

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

const FEATURES = ['typing_speed', 'key_hold_time', 'transition_time', 'error_rate', 'speed_accuracy_ratio', 'rhythm_ratio', 'activity_hour'];
/** The registry's active off-chain pair: kind/version/id. */
const PAIR_VERSION = /^offchain-pair\/1\.\d+\.0\/[0-9a-f-]{36}$/;

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
    expect(body).toMatchObject({ status: 'healthy', model_loaded: true });
    expect(body.model_version).toMatch(PAIR_VERSION);
    expect(body.version).toBe(body.model_version);
    expect(Number.isInteger(body.uptime_seconds)).toBe(true);
    expect(body.public_key).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe('POST /predict: baselines', () => {
  it('with no usable history the population model answers, and says so', async () => {
    const res = await postPredict(t.url, seedRequest());
    expect(res.status).toBe(200);
    expectSeedContract(res.body);
    expect(res.body).toMatchObject({ baseline: 'population', baseline_windows: 0, replayed: false });
    expect(res.body.model_version).toMatch(PAIR_VERSION);
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
    expect(mine.body).toMatchObject({ baseline: 'request_history', baseline_windows: 12 });
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
    expect(bot.body).toMatchObject({ baseline: 'did_history', baseline_windows: 5 });
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
    // One model (the registry's active pair) answers every baseline; the history it is measured against grew.
    expect(after.body.model_sha256).toBe(next.body.model_sha256);
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

  it('signs every field it returns: changing any one of them fails verification', async () => {
    // A script: reasons are not empty, the session is refused enrolment (enrolled: false, risky).
    const { body } = await postPredict(t.url, { did: freshDid(), features: botSession });
    expect(body).toMatchObject({ format_version: 2, enrolled: false, enrolment: 'risky' });
    expect(body.reasons.length).toBeGreaterThan(0);
    expect(verifyPrediction(body, publicKey)).toMatchObject({ ok: true, version: 2 });
    const envelope: readonly string[] = ENVELOPE_FIELDS;
    const results = Object.keys(body).filter((k) => !envelope.includes(k));
    // Nothing is returned that the format does not sign, and everything it signs is returned.
    expect([...results].sort()).toEqual([...SIGNED_FIELDS].sort());
    for (const field of results) {
      const changes = tamperings(field, body[field]);
      expect(changes.length, field).toBeGreaterThan(0);
      for (const value of changes) {
        const v = verifyPrediction({ ...body, [field]: value }, publicKey);
        expect(v.ok, `${field} = ${JSON.stringify(value)}`).toBe(false);
        // Even a verifier that ignores signed_message and takes the key from the response refuses it.
        const { signed_message: _, ...bare } = body;
        expect(verifyPrediction({ ...bare, [field]: value }).ok, `${field} = ${JSON.stringify(value)} (no signed_message)`).toBe(false);
      }
    }
    for (const [field, value] of [
      ['signature', `${body.signature.slice(0, -2)}${body.signature.endsWith('00') ? '01' : '00'}`],
      ['signed_message', `${body.signed_message.slice(0, -2)}${body.signed_message.endsWith('00') ? '01' : '00'}`],
      ['public_key', `0x${'ab'.repeat(32)}`],
      ['extra_field', 'not signed'],
    ]) {
      expect(verifyPrediction({ ...body, [field!]: value }, publicKey).ok, field).toBe(false);
    }
    // `replayed` is about this call, not the result: the same signed bytes are returned either way.
    expect(verifyPrediction({ ...body, replayed: true }, publicKey).ok).toBe(true);
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

  it('a caller not bound to a DID cannot use up its limit for the keys bound to it', async () => {
    const did = freshDid();
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await postPredict(t.url, { did, features: humanSession(140 + i) }, { 'x-api-key': OTHER_KEY })).status);
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(codes[20]).toBe(429);
    const bound = await postPredict(t.url, { did, features: humanSession(170) });
    expect(bound.status).toBe(200);
    expect(bound.body.enrolled).toBe(true);
  });
});

/** Changes to one field of a result that a verifier must notice. */
function tamperings(field: string, v: unknown): unknown[] {
  switch (field) {
    case 'format_version':
      return [1, 3];
    case 'anomaly_score':
      return [Math.round(v as number * 1e6 + 1) / 1e6, (v as number) + 1e-9];
    case 'inference_time_ms':
      return [Math.round(v as number * 1e3 + 1) / 1e3];
    case 'confidence_score':
      return [v === 100 ? 99 : (v as number) + 1];
    case 'baseline':
      return [v === 'population' ? 'did_history' : 'population'];
    case 'enrolment':
      return [v === 'enrolled' ? 'not_bound' : 'enrolled'];
    case 'model_sha256':
    case 'request_sha256':
      return [`0x${'11'.repeat(32)}`];
    case 'reasons': {
      const r = v as string[];
      return [r.slice(1), [...r, 'typing_speed_low'], [], ...(r.length > 1 ? [[...r].reverse()] : [])];
    }
    case 'feature_importance': {
      const fi = v as Record<string, number>;
      const [a, b] = Object.keys(fi);
      return [
        { ...fi, [a!]: Math.round((fi[a!]! + 0.001) * 1000) / 1000 },
        { ...fi, [a!]: fi[b!], [b!]: fi[a!] === fi[b!] ? fi[a!]! + 0.001 : fi[a!] },
        Object.fromEntries(Object.entries(fi).slice(1)),
        { ...fi, mouse_speed: 0 },
      ];
    }
  }
  if (typeof v === 'number') return [v + 1];
  if (typeof v === 'string') return [`${v}x`];
  if (typeof v === 'boolean') return [!v];
  return [];
}

describe('POST /predict: a DID\'s history is written only by keys bound to it (issue 16)', () => {
  const VICTIM = `did:cadence:victim-${process.pid}-${Date.now().toString(36)}`;
  const CONTROL = `${VICTIM}-control`;
  let b: TestCore & { dir: string };
  let key: string;

  beforeAll(async () => {
    // owner is bound to VICTIM and CONTROL; attacker and auditor are valid keys bound to no DID.
    b = await startTestCore({
      CADENCE_OFFCHAIN_API_KEYS: `owner:${OWNER_KEY},attacker:${OTHER_KEY},auditor:${API_KEY}`,
      CADENCE_OFFCHAIN_KEY_DIDS: `owner=${VICTIM}|${CONTROL}`,
      CADENCE_OFFCHAIN_IDEMPOTENCY_S: '60',
      CADENCE_OFFCHAIN_RATE_PER_DID: '1000',
    });
    key = ((await fetch(`${b.url}/health`).then((r) => r.json())) as any).public_key;
  });

  afterAll(async () => {
    await b?.stop();
    if (b) removeDir(b.dir);
  });

  /** Another rhythm that the population finds human: it would have enrolled before issue 16. */
  const attackerSession = (i: number) => ({ typing_speed_wpm: 60 + 0.3 * i, avg_key_hold_time_ms: 95 + 0.2 * i, avg_transition_time_ms: 130 - 0.5 * i, error_rate_percent: 2.5 });
  const probe = humanSession(300); // one of the owner's real sessions, never enrolled

  /** The owner's probe session scored read-only (by an unbound key), as a fresh (not replayed) result. */
  async function victimScore(did: string) {
    b.advance(61_000); // past the idempotency window: a new result, not the stored one
    const r = await postPredict(b.url, { did, features: probe }, { 'x-api-key': API_KEY });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ replayed: false, enrolled: false, enrolment: 'not_bound' });
    expect(verifyPrediction(r.body, key).ok).toBe(true);
    return r.body;
  }

  it('5 posts of an attacker rhythm by a key not bound to the DID leave the victim\'s score unchanged', async () => {
    for (const did of [VICTIM, CONTROL]) {
      for (let i = 0; i < 3; i++) {
        const r = await postPredict(b.url, { did, features: humanSession(i) }, { 'x-api-key': OWNER_KEY });
        expect(r.body).toMatchObject({ enrolled: true, enrolment: 'enrolled' });
      }
    }
    const before = await victimScore(VICTIM);
    expect(before).toMatchObject({ baseline: 'population', baseline_windows: 0 });
    for (let i = 0; i < 5; i++) {
      const r = await postPredict(b.url, { did: VICTIM, features: attackerSession(i) }, { 'x-api-key': OTHER_KEY });
      expect(r.status).toBe(200); // scored, signed ...
      expect(r.body).toMatchObject({ enrolled: false, enrolment: 'not_bound', replayed: false });
      expect(r.body.confidence_score).toBeGreaterThanOrEqual(60); // ... and genuine-looking: only the binding keeps it out
      expect(verifyPrediction(r.body, key).ok).toBe(true);
    }
    const after = await victimScore(VICTIM);
    for (const f of ['confidence_score', 'anomaly_score', 'baseline', 'baseline_windows', 'model_sha256']) expect(after[f], f).toEqual(before[f]);

    // The same 5 posts by a key bound to the DID do enter its history: the attack is real.
    const controlBefore = await victimScore(CONTROL);
    expect(controlBefore.confidence_score).toBe(before.confidence_score);
    for (let i = 0; i < 5; i++) {
      const r = await postPredict(b.url, { did: CONTROL, features: attackerSession(i) }, { 'x-api-key': OWNER_KEY });
      expect(r.body).toMatchObject({ enrolled: true, enrolment: 'enrolled' });
    }
    const controlAfter = await victimScore(CONTROL);
    expect(controlAfter).toMatchObject({ baseline: 'did_history', baseline_windows: 8 });
    expect(controlAfter.confidence_score).toBeLessThan(before.confidence_score - 20);
    console.info(`victim ${before.confidence_score} -> ${after.confidence_score} after 5 unbound posts; with a bound key ${controlBefore.confidence_score} -> ${controlAfter.confidence_score}`);
  });

  it('a key bound to the DID still enrols, and an unbound caller\'s result never stands in for it', async () => {
    // The attacker sends first exactly what the owner will send: scored read-only, kept apart.
    const session = { did: VICTIM, features: humanSession(3) };
    const first = await postPredict(b.url, session, { 'x-api-key': OTHER_KEY });
    expect(first.body).toMatchObject({ enrolled: false, enrolment: 'not_bound' });
    const owner = await postPredict(b.url, session, { 'x-api-key': OWNER_KEY });
    expect(owner.body).toMatchObject({ replayed: false, enrolled: true, enrolment: 'enrolled' });
    expect(verifyPrediction(owner.body, key).ok).toBe(true);
    const again = await postPredict(b.url, session, { 'x-api-key': OWNER_KEY });
    expect(again.body).toMatchObject({ replayed: true, signature: owner.body.signature });
    const next = await postPredict(b.url, { did: VICTIM, features: humanSession(4) }, { 'x-api-key': OWNER_KEY });
    expect(next.body).toMatchObject({ enrolled: true, enrolment: 'enrolled' });
    // 3 + 2 owner sessions: the victim's own model answers now, with none of the attacker's.
    const scored = await victimScore(VICTIM);
    expect(scored).toMatchObject({ baseline: 'did_history', baseline_windows: 5 });
    // After the window the same request is scored again, but is in the history already.
    b.advance(61_000);
    const later = await postPredict(b.url, session, { 'x-api-key': OWNER_KEY });
    expect(later.body).toMatchObject({ replayed: false, enrolled: true, enrolment: 'already_enrolled' });
    expect((await victimScore(VICTIM)).baseline_windows).toBe(5);
    // The owner's key is bound to its DIDs only.
    const elsewhere = await postPredict(b.url, { did: freshDid(), features: humanSession(5) }, { 'x-api-key': OWNER_KEY });
    expect(elsewhere.body).toMatchObject({ enrolled: false, enrolment: 'not_bound' });
  });

  it('refuses a request without a key, or with an unknown one (401)', async () => {
    expect((await postPredict(b.url, { did: VICTIM, features: humanSession(6) }, {})).status).toBe(401);
    expect((await postPredict(b.url, { did: VICTIM, features: humanSession(6) }, { 'x-api-key': 'not-a-configured-key-000' })).status).toBe(401);
  });
});

describe('POST /predict with no API key configured', () => {
  it('scores read-only: nothing writes a DID\'s history', async () => {
    const open = await startTestCore({ CADENCE_OFFCHAIN_API_KEYS: '', CADENCE_OFFCHAIN_KEY_DIDS: '' });
    try {
      const did = freshDid();
      for (let i = 0; i < 6; i++) {
        const r = await postPredict(open.url, { did, features: humanSession(20 + i) }, {});
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ baseline: 'population', enrolled: false, enrolment: 'open_read_only' });
        expect(verifyPrediction(r.body, r.body.public_key).ok).toBe(true);
      }
    } finally {
      await open.stop();
      removeDir(open.dir);
    }
  });

  it('enrols only with CADENCE_OFFCHAIN_OPEN_ENROLMENT set', async () => {
    const open = await startTestCore({ CADENCE_OFFCHAIN_API_KEYS: '', CADENCE_OFFCHAIN_KEY_DIDS: '', CADENCE_OFFCHAIN_OPEN_ENROLMENT: '1' });
    try {
      const did = freshDid();
      for (let i = 0; i < 5; i++) expect((await postPredict(open.url, { did, features: humanSession(20 + i) }, {})).body).toMatchObject({ enrolled: true });
      expect((await postPredict(open.url, { did, features: humanSession(30) }, {})).body).toMatchObject({ baseline: 'did_history', baseline_windows: 5 });
    } finally {
      await open.stop();
      removeDir(open.dir);
    }
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
