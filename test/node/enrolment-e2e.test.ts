// Issue 4's and 6's per-user flow end to end through the edge (buildEdge, direct delivery) into a
// real core over its HTTP face: a user's windows are enrolled, their model is trained automatically
// at the threshold (seed 001: 50), and the core's next decisions name it; the enrolled user's genuine
// stream is allowed, a bot in their account is challenged or blocked; retraining is rate-bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdge } from '../../edge/build.ts';
import { compileKernelModule } from '../../wasm/node.ts';
import { botTyping, typing } from '../helpers/batches.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'admin-key-0123456789abcdef';
let h: Harness;
let app: Awaited<ReturnType<typeof buildEdge>>['app'];
let c: ReturnType<typeof coreClients>;
let batchNo = 0;

// Each user types with a personal rhythm; every window is a fresh sample of it.
const ANA = { hold: 105, gap: 210 };
const BEN = { hold: 80, gap: 150 };

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` });
  ({ app } = await buildEdge(await compileKernelModule(), { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: `http://127.0.0.1:${h.core.httpPort}`, CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RATE_IP_PER_MIN: '0' }, { runtime: 'node', clientIp: () => '203.0.113.9' }));
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
});

afterAll(async () => {
  c?.close();
  await h?.stop();
});

async function account(email: string) {
  const { userId } = await h.identity.register({ email, password: 'correct horse battery', mpin: '1357' });
  return { userId, login: () => h.identity.login({ email, password: 'correct horse battery', deviceId: 'dev-1' }) };
}

/** Posts one window to the edge, as the collector would; returns the edge's answer. */
async function send(sessionId: string, events: ReturnType<typeof typing>) {
  batchNo++;
  const res = await app.request('/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, batchId: `e2e-${batchNo}`, seq: batchNo, consent: true, context: { page: '/login', deviceId: 'dev-1' }, events }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

const userModels = async (userId: string) => (await c.listModels({ scope: userId })).models as any[];

describe('per-user models through the edge', () => {
  it('trains a user model automatically at the enrolment threshold and uses it for the next decisions', async () => {
    const ana = await account('ana@example.com');
    const ben = await account('ben@example.com');
    // Ben enrols a few windows too: the impostors of Ana's training metrics.
    const benSession = (await ben.login()).sessionId;
    for (let i = 0; i < 12; i++) await send(benSession, typing({ ...BEN, keys: 30, seed: 5000 + i }));

    const session = (await ana.login()).sessionId;
    for (let i = 0; i < 49; i++) {
      const answer = await send(session, typing({ ...ANA, keys: 30, seed: 100 + i }));
      expect(answer.accepted).toBe(true);
    }
    // 49 windows: below the threshold, still the population model.
    expect(await userModels(ana.userId)).toEqual([]);
    expect((await c.getSessionRisk({ sessionId: session })).latest.modelVersion).toMatch(/^population-keystroke-/);

    await send(session, typing({ ...ANA, keys: 30, seed: 149 }));
    const [model] = await eventually(async () => {
      const m = await userModels(ana.userId);
      return m.length ? m : undefined;
    });
    expect(model).toMatchObject({ kind: 'MODEL_KIND_USER_KEYSTROKE', scope: ana.userId, version: '1.0.0', active: true });
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.metrics.trained_windows).toBe(50);
    expect(model.metrics.held_back_genuine).toBe(10);
    expect(model.metrics.held_back_impostor).toBe(12);
    expect(model.metrics.auc).toBeGreaterThan(0.9);
    expect(model.featureSchema).toContain('hold_median');

    // The genuine stream goes on: every decision is now made with Ana's model, and she is allowed.
    const decisions: string[] = [];
    for (let i = 0; i < 8; i++) {
      await send(session, typing({ ...ANA, keys: 30, seed: 300 + i }));
      const latest = (await c.getSessionRisk({ sessionId: session })).latest;
      expect(latest.modelVersion).toMatch(/^user-keystroke@1\.0\.0\+population-keystroke-/);
      decisions.push(latest.decision);
    }
    expect(decisions.filter((d) => d === 'DECISION_ALLOW').length).toBeGreaterThanOrEqual(6);
    const genuine = await c.scoreSession({ sessionId: session });
    expect(genuine).toMatchObject({ userId: ana.userId, userModelVersion: '1.0.0', judgedWindows: 20 });
    // The owner is never stepped up; an odd window unlike them may leave the session monitored.
    expect(['DECISION_ALLOW', 'DECISION_MONITOR']).toContain(genuine.assessment.decision);
    expect(genuine.assessment.modelVersion).toMatch(/^user-keystroke@1\.0\.0\+population-keystroke-/);

    // Someone else typing in Ana's account scores higher than Ana; a bot is challenged or blocked.
    const impostor = (await ana.login()).sessionId;
    for (let i = 0; i < 4; i++) await send(impostor, typing({ ...BEN, keys: 30, seed: 7000 + i }));
    const other = await c.scoreSession({ sessionId: impostor });
    expect(other.assessment.score).toBeGreaterThan(genuine.assessment.score);
    // ...and the session's evidence counts it (scoring/owner-evidence.ts: at most 2 a window, so
    // never one window alone): four windows far from the owner challenge the session.
    const impostorRisk = await c.getSessionRisk({ sessionId: impostor });
    expect(impostorRisk.latest.reasons).toContain('user_rhythm_unlike_owner');
    expect(impostorRisk.standing.level).toBe('STANDING_LEVEL_CHALLENGE');

    const botSession = (await ana.login()).sessionId;
    const edgeAnswer = await send(botSession, botTyping(30));
    expect(['challenge', 'block']).toContain(edgeAnswer.decision);
    const bot = (await c.getSessionRisk({ sessionId: botSession })).latest;
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(bot.decision);
    expect(bot.modelVersion).toMatch(/^user-keystroke@1\.0\.0\+population-keystroke-/);
    const status = await h.identity.getSessionStatus({ accessToken: (await ana.login()).tokens.accessToken, deviceId: 'dev-1' });
    expect(status.status).toBe('SESSION_STATUS_ACTIVE'); // a fresh login is not affected
    const botScore = await c.scoreSession({ sessionId: botSession });
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(botScore.assessment.decision);

    // Retraining is rate-bounded: 10 more genuine windows within 5 minutes do not retrain...
    const more = (await ana.login()).sessionId;
    for (let i = 0; i < 10; i++) await send(more, typing({ ...ANA, keys: 30, seed: 400 + i }));
    await new Promise((r) => setTimeout(r, 300));
    expect((await userModels(ana.userId)).map((m) => m.version)).toEqual(['1.0.0']);
    // ...the next genuine window after the interval does, and the new version takes over.
    h.clock.advance(301_000);
    await send(more, typing({ ...ANA, keys: 30, seed: 500 }));
    const retrained = await eventually(async () => (await userModels(ana.userId)).find((m) => m.version === '1.1.0'));
    expect(retrained.active).toBe(true);
    expect(retrained.metrics.trained_windows).toBeGreaterThan(50);
    await send(more, typing({ ...ANA, keys: 30, seed: 501 }));
    expect((await c.getSessionRisk({ sessionId: more })).latest.modelVersion).toMatch(/^user-keystroke@1\.1\.0\+population-keystroke-/);
  }, 120_000);
});
