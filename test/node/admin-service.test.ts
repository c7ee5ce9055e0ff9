// AdminService over real gRPC (and one call on the Connect face): the admin key, sessions by level
// and time with pagination, session detail, statistics, and a user's export and deletion.
import { AdminService } from '../../client/index.ts';
import { connectTransport, status, unary, type CallError } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTyping } from '../helpers/batches.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { enrolledUser } from '../helpers/enrolled.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';
import { like } from 'drizzle-orm';
import { createDb } from '../../db/client.ts';
import { models } from '../../db/schema.ts';
import { trainSessionModelInto } from '../../cli/train-session-model.ts';
import { synthSessionRecords } from '../../scoring/synth/session-records.ts';

const ADMIN = 'admin-service-key-0123456789';
let h: Harness;
let c: ReturnType<typeof coreClients>;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_ENROL_MIN_WINDOWS: '10' });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
});

afterAll(async () => {
  c?.close();
  await h?.stop();
});

describe('AdminService', () => {
  it('needs the admin key: UNAUTHENTICATED without or with a key no one has (gRPC and Connect)', async () => {
    expect((await rejection(c.getStats({}, null))).code).toBe(status.UNAUTHENTICATED);
    expect((await rejection(c.getStats({}, 'someone-elses-key-123456'))).code).toBe(status.UNAUTHENTICATED);
    const getStats = unary(connectTransport(`http://127.0.0.1:${h.core.httpPort}`).transport, AdminService, 'getStats');
    const post = (headers: Record<string, string>) => getStats({}, { headers }).then(() => status.OK, (e: CallError) => e.code);
    expect(await post({})).toBe(status.UNAUTHENTICATED);
    expect(await post({ 'x-api-key': 'someone-elses-key-123456' })).toBe(status.UNAUTHENTICATED);
    expect(await post({ 'x-api-key': ADMIN })).toBe(status.OK);
  });

  it('lists sessions by level and time, pages through them, and details one', async () => {
    const ana = await enrolledUser(h, 'ana-admin@example.com', 3);
    h.clock.advance(1000);
    const bob = await enrolledUser(h, 'bob-admin@example.com', 2);
    await bob.send(botTyping());
    const blocked = await c.listSessions({ minLevel: 'DECISION_CHALLENGE' });
    expect(blocked.sessions.map((s: any) => s.sessionId)).toEqual([bob.sessionId]);
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(blocked.sessions[0].latest.decision);
    expect(blocked.sessions[0]).toMatchObject({ userId: bob.userId, status: expect.stringMatching(/challenged|blocked/) });

    const first = await c.listSessions({ pageSize: 1 });
    const second = await c.listSessions({ pageSize: 1, pageToken: first.nextPageToken });
    expect([first.sessions[0].sessionId, second.sessions[0].sessionId]).toEqual([bob.sessionId, ana.sessionId]);
    const before = await c.listSessions({ untilMs: String(h.clock.t) });
    expect(before.sessions.map((s: any) => s.sessionId)).toEqual([ana.sessionId]);
    expect((await rejection(c.listSessions({ pageSize: 501 }))).code).toBe(status.INVALID_ARGUMENT);

    const detail = await c.getSessionDetail({ sessionId: bob.sessionId });
    expect(detail.session.batchCount).toBe('3');
    expect(detail.events.find((e: any) => e.type === 'keydown').count).toBe(String(30 + 30 + 30));
    expect(detail.scores.filter((s: any) => s.source === 'core')).toHaveLength(3);
    expect(detail.securityEvents.map((e: any) => e.kind)).toEqual(expect.arrayContaining([expect.stringMatching(/challenge|block/)]));
    expect(Object.keys(detail.reasons).length).toBeGreaterThan(0);
    expect((await rejection(c.getSessionDetail({ sessionId: 'nope' }))).code).toBe(status.NOT_FOUND);
  });

  it('counts sessions, events, decisions, MPIN outcomes, blocks and locks', async () => {
    const u = await enrolledUser(h, 'mpin-admin@example.com', 1);
    await u.send(botTyping());
    const token = u.login.tokens.accessToken;
    const state = await h.identity.getSessionStatus({ accessToken: token, deviceId: 'dev-1' });
    if (state.status === 'SESSION_STATUS_CHALLENGED') await rejection(h.identity.verifyMpin({ accessToken: token, deviceId: 'dev-1', mpin: '0000' }));
    const stats = await c.getStats({});
    expect(Number(stats.sessions)).toBeGreaterThanOrEqual(3);
    expect(Number(stats.activeSessions)).toBeGreaterThanOrEqual(1);
    expect(Number(stats.events)).toBe(Number(stats.batches) * 60);
    expect(Number(stats.judgedBatches)).toBe(Number(stats.batches));
    expect(stats.anomalyRate).toBeCloseTo((Number(stats.decisions.challenge ?? 0) + Number(stats.decisions.block ?? 0) + Number(stats.decisions.monitor ?? 0)) / Number(stats.judgedBatches), 6);
    expect(Number(stats.mpinChallenges) + Number(stats.blocks)).toBeGreaterThanOrEqual(2);
    const later = await c.getStats({ sinceMs: String(h.clock.t + 1) });
    expect(later.batches).toBe('0');

    // Users with a model of their own: a pointer model counts as a keystroke one does, a user with both once.
    const db = await createDb(h.dbUrl);
    const row = (kind: 'user-keystroke' | 'user-pointer', scope: string, active: boolean) => ({
      id: `${kind}-${scope}`, kind, scope, version: '1', sha256: 'x', featureSchema: [], metrics: {}, binary: Buffer.from([0]), state: {}, trainedAtMs: 1, active,
    });
    const withModel = async () => Number((await c.getStats({})).usersWithModel);
    const base = await withModel();
    await db.insert(models).values([row('user-pointer', 'stats-pointer-only', true), row('user-pointer', 'stats-both', true), row('user-keystroke', 'stats-both', true), row('user-pointer', 'stats-inactive', false)]);
    expect(await withModel()).toBe(base + 2);
    await db.delete(models).where(like(models.scope, 'stats-%'));
    db.$client.close();
  });

  it('exports everything behavioural about a user in one document, and deletes it in one go', async () => {
    const u = await enrolledUser(h, 'privacy@example.com', 10);
    await eventually(async () => (await c.listModels({ scope: u.userId })).models[0]);
    const other = await enrolledUser(h, 'bystander@example.com', 2);
    const exp = await c.exportUserData({ userId: u.userId });
    expect(exp).toMatchObject({ userId: u.userId, sessions: '1', events: String(10 * 60), windows: '10', models: '1' });
    const doc = JSON.parse(exp.document);
    expect(doc.account.email).toBe('privacy@example.com');
    expect(JSON.stringify(doc)).not.toMatch(/password_hash|mpin_hash|scrypt/);
    expect(doc.events).toHaveLength(600);
    expect(doc.scores.length).toBe(10);

    // The session context a bank sent for the user's session (kept for the session model) goes too.
    const db = await createDb(h.dbUrl);
    const boot = synthSessionRecords(200, 0.4, 1);
    await trainSessionModelInto(db, boot.records, boot.labels, { seed: 1, trees: 5 });
    await c.predictSessions({ sessions: [{ sessionId: u.sessionId, features: { deviceType: 'desktop', clicks: 3 } }, { sessionId: other.sessionId, features: { clicks: 1 } }] });
    const kept = async () => (await db.$client.execute('select session_id from session_records order by session_id')).rows.map((r) => r.session_id);
    expect(await kept()).toEqual([u.sessionId, other.sessionId].sort());

    const del = await c.deleteUserData({ userId: u.userId });
    expect(await kept()).toEqual([other.sessionId]);
    db.$client.close();
    expect(del).toMatchObject({ sessions: '1', batches: '10', events: '600', scores: '10', windows: '10', models: '1', accountDeleted: false });
    const after = await c.exportUserData({ userId: u.userId });
    expect(after).toMatchObject({ sessions: '0', events: '0', windows: '0', models: '0' });
    expect((await c.listModels({ scope: u.userId })).models).toEqual([]);
    expect((await rejection(c.scoreSession({ sessionId: u.sessionId }))).code).toBe(status.NOT_FOUND);
    // Nobody else's data went with it.
    expect((await c.exportUserData({ userId: other.userId })).events).toBe(String(2 * 60));

    expect((await c.deleteUserData({ userId: u.userId, deleteAccount: true })).accountDeleted).toBe(true);
    expect((await rejection(c.exportUserData({ userId: u.userId }))).code).toBe(status.NOT_FOUND);
    expect((await rejection(h.identity.login({ email: 'privacy@example.com', password: 'correct horse battery', deviceId: 'dev-1' }))).code).toBe(status.UNAUTHENTICATED);
  });
});
