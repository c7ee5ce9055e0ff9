// Seed 002 over real gRPC: login, behaviour that raises the risk, MPIN challenge, failed MPINs and
// the lock, a block that revokes tokens, logout; inactivity expiry and device binding.
import { callError, connectTransport, status } from '../helpers/typed-core.ts';
import { createCadenceClients } from '../../client/index.ts';
import { RequiredAction, SessionStatus } from '../../client/gen/cadence/v1/identity_pb.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';
import { coreClients } from '../helpers/core-clients.ts';

let h: Harness;
let risk: ReturnType<typeof coreClients>;
let n = 0;
const PASSWORD = 'correct horse battery';
const MPIN = '1357';

beforeAll(async () => {
  h = await startIdentityCore();
  risk = coreClients(`127.0.0.1:${h.core.grpcPort}`);
});
afterAll(async () => {
  risk?.close();
  await h?.stop();
});

async function userSession(deviceId = 'dev-1') {
  const email = `flow${++n}-${process.pid}@example.com`;
  const { userId } = await h.identity.register({ email, password: PASSWORD, mpin: MPIN });
  const login = await h.identity.login({ email, password: PASSWORD, deviceId });
  let seq = 0;
  return {
    email,
    userId: userId as string,
    sessionId: login.sessionId as string,
    tokens: login.tokens as { accessToken: string; refreshToken: string },
    auth: { accessToken: login.tokens.accessToken as string, deviceId },
    /** Sends one batch of the given events under this session, as the edge forwards it. */
    send: (events = typing(), device = deviceId) =>
      h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq: seq++, events, context: { deviceId: device } })) }),
  };
}

// Fast, even typing: too regular for a person, not as blatant as a bot (scores in [0.7, 0.9)).
// Fast and too regular for a person, yet varied enough (10 %) to raise no automation signal: challenge.
// Keys held 5-11 ms: no finger holds a key that briefly (implausible_holds). One such window is
// monitor; the session's second challenges (scoring/session-evidence.ts).
const suspicious = () => typing({ hold: 8, gap: 150, jitter: 0.4 });

async function answeredOf(sessionId: string): Promise<string[] | null> {
  const db = await createDb(h.dbUrl, { migrate: false });
  const row = (await db.$client.execute({ sql: 'select evidence_answered from sessions where id = ?', args: [sessionId] })).rows[0]!;
  db.$client.close();
  return row.evidence_answered === null ? null : JSON.parse(String(row.evidence_answered));
}

async function securityEvents(sessionId: string) {
  const db = await createDb(h.dbUrl, { migrate: false });
  const rows = await db.$client.execute({ sql: 'select kind, severity, score, model_version, reasons, batch_id from security_events where session_id = ? order by id', args: [sessionId] });
  db.$client.close();
  return rows.rows.map((r) => ({ ...r }));
}

describe('seed 002: risk policy on an identity session', () => {
  it('challenges, accepts the right MPIN after wrong ones, then blocks and revokes; logout ends a session', async () => {
    const s = await userSession();
    expect(await h.identity.getSessionStatus(s.auth)).toMatchObject({
      sessionId: s.sessionId, status: 'SESSION_STATUS_ACTIVE', requiredAction: 'REQUIRED_ACTION_NONE', severity: 'SEVERITY_NONE', latest: null, mpinAttemptsLeft: 3,
    });

    expect((await s.send()).assessment.decision).toBe('DECISION_ALLOW');
    expect((await h.identity.getSessionStatus(s.auth)).latest.decision).toBe('DECISION_ALLOW');

    expect((await s.send(suspicious())).assessment.decision).toBe('DECISION_MONITOR');
    expect((await h.identity.getSessionStatus(s.auth)).status).toBe('SESSION_STATUS_ACTIVE');
    const risky = await s.send(suspicious());
    expect(risky.assessment.decision).toBe('DECISION_CHALLENGE');
    expect(risky.standing).toMatchObject({ level: 'STANDING_LEVEL_CHALLENGE', requiredAction: 'verify_mpin', severity: 'medium' });
    // A batch without judgement, and a clean one, leave the challenge standing.
    expect((await s.send(typing({ keys: 2 }))).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    expect(await h.identity.getSessionStatus(s.auth)).toMatchObject({
      status: 'SESSION_STATUS_CHALLENGED', requiredAction: 'REQUIRED_ACTION_VERIFY_MPIN', severity: 'SEVERITY_MEDIUM',
    });
    // Until the MPIN is verified, the session cannot get new tokens.
    const blockedRefresh = await rejection(h.identity.refresh({ refreshToken: s.tokens.refreshToken, deviceId: 'dev-1' }));
    expect([blockedRefresh.code, blockedRefresh.details]).toEqual([status.FAILED_PRECONDITION, 'this session is challenged: verify the MPIN (VerifyMpin) first']);

    const wrong1 = await rejection(h.identity.verifyMpin({ ...s.auth, mpin: '0000' }));
    expect([wrong1.code, wrong1.details]).toEqual([status.UNAUTHENTICATED, 'mpin: wrong MPIN: 2 attempts left before the account is locked']);
    const wrong2 = await rejection(h.identity.verifyMpin({ ...s.auth, mpin: '9999' }));
    expect(wrong2.details).toBe('mpin: wrong MPIN: 1 attempt left before the account is locked');
    expect((await h.identity.getSessionStatus(s.auth)).mpinAttemptsLeft).toBe(1);

    expect(await h.identity.verifyMpin({ ...s.auth, mpin: MPIN })).toEqual({ status: 'SESSION_STATUS_ACTIVE' });
    expect(await h.identity.getSessionStatus(s.auth)).toMatchObject({ status: 'SESSION_STATUS_ACTIVE', mpinAttemptsLeft: 3 });
    const refreshed = await h.identity.refresh({ refreshToken: s.tokens.refreshToken, deviceId: 'dev-1' });
    expect((await s.send()).standing).toMatchObject({ level: 'STANDING_LEVEL_ALLOW', requiredAction: 'none', reasons: ['mpin_verified'] });

    // The verified MPIN answered the challenge; the evidence restarts at half the challenge bound
    // (scoring/session-standing.ts), not at 0: a window of two independent facts right after it
    // blocks at once, where a fresh session would be challenged.
    const bot = await s.send(botTyping());
    expect(bot.assessment.decision).toBe('DECISION_BLOCK');
    expect(await h.identity.getSessionStatus(s.auth)).toMatchObject({
      status: 'SESSION_STATUS_BLOCKED', requiredAction: 'REQUIRED_ACTION_LOGIN', severity: 'SEVERITY_HIGH',
    });
    // Blocking revoked the session's refresh tokens; the MPIN cannot lift a block.
    const revoked = await rejection(h.identity.refresh({ refreshToken: refreshed.tokens.refreshToken, deviceId: 'dev-1' }));
    expect([revoked.code, revoked.details]).toEqual([status.UNAUTHENTICATED, 'refreshToken: this refresh token was revoked: log in again']);
    const noLift = await rejection(h.identity.verifyMpin({ ...s.auth, mpin: MPIN }));
    expect(noLift.code).toBe(status.PERMISSION_DENIED);
    // A human batch afterwards is stored but does not unblock.
    await s.send();
    expect((await h.identity.getSessionStatus(s.auth)).status).toBe('SESSION_STATUS_BLOCKED');

    // Every decision is on record with its score, reasons and model version.
    const events = await securityEvents(s.sessionId);
    expect(events.map((e) => e.kind)).toEqual(['login', 'monitor', 'challenge', 'mpin_failed', 'mpin_failed', 'mpin_verified', 'block']);
    const challenge = events.find((e) => e.kind === 'challenge')!;
    expect(challenge).toMatchObject({ severity: 'medium', score: risky.assessment.score, model_version: risky.assessment.modelVersion });
    expect(JSON.parse(String(challenge.reasons))).toEqual(risky.assessment.reasons);
    expect(events.find((e) => e.kind === 'block')).toMatchObject({ severity: 'high', score: bot.assessment.score });

    // A new login is a new, clean session; logout ends it.
    const again = await h.identity.login({ email: s.email, password: PASSWORD, deviceId: 'dev-1' });
    expect(again.sessionId).not.toBe(s.sessionId);
    const auth = { accessToken: again.tokens.accessToken, deviceId: 'dev-1' };
    expect((await h.identity.getSessionStatus(auth)).status).toBe('SESSION_STATUS_ACTIVE');
    await h.identity.logout(auth);
    expect(await h.identity.getSessionStatus(auth)).toMatchObject({ status: 'SESSION_STATUS_ENDED', requiredAction: 'REQUIRED_ACTION_LOGIN' });
    expect((await rejection(h.identity.refresh({ refreshToken: again.tokens.refreshToken, deviceId: 'dev-1' }))).code).toBe(status.UNAUTHENTICATED);
    const late = await rejection(h.ingestBatch({ batch: toWireBatch(batch({ sessionId: again.sessionId, context: { deviceId: 'dev-1' } })) }));
    expect(late.code).toBe(status.FAILED_PRECONDITION);
    expect(late.details).toMatch(/has ended: log in again/);
  });

  it('a verified MPIN answers the rate behind the challenge for the session: the same rate again does not ask again; another does', async () => {
    const s = await userSession('dev-answered');
    // Capitals without Shift over three letters: a rate (a remote-desktop client may send them).
    const capitals = (t: number) => {
      const keys = typing({ start: t });
      return [...keys, { type: 'environment' as const, t: keys.at(-1)!.t + 1, state: 'case:3/12' }];
    };
    const first = await s.send(capitals(1000));
    expect(first.assessment.decision).toBe('DECISION_CHALLENGE');
    expect(first.assessment.reasons).toContain('case_without_shift');
    h.clock.advance(5000);
    expect(await h.identity.verifyMpin({ ...s.auth, mpin: MPIN })).toEqual({ status: 'SESSION_STATUS_ACTIVE' });
    // Before session 17 the evidence restarted at half the challenge bound and the next such window asked again.
    // (Each such window on its own is still far out: watched, monitor, not asked.)
    for (const t of [20_000, 40_000, 60_000]) {
      h.clock.advance(3000);
      expect(['STANDING_LEVEL_ALLOW', 'STANDING_LEVEL_MONITOR']).toContain((await s.send(capitals(t))).standing.level);
    }
    expect(await h.identity.getSessionStatus(s.auth)).toMatchObject({ status: 'SESSION_STATUS_ACTIVE' });
    expect(await answeredOf(s.sessionId)).toEqual(['case_without_shift']);
    // The backend's question tells the same story: ScoreSession re-scores the four windows, and the
    // MPIN (after the first) capped the evidence there and answered its rate (before: challenge again).
    const scored = await risk.scoreSession({ sessionId: s.sessionId });
    expect(scored.judgedWindows).toBe(4);
    expect(['STANDING_LEVEL_ALLOW', 'STANDING_LEVEL_MONITOR']).toContain(scored.standing.level);
    expect(['DECISION_ALLOW', 'DECISION_MONITOR']).toContain(scored.assessment.decision);
    // A fact is never answered: machine-short holds challenge again, and seen twice block.
    h.clock.advance(3000);
    expect((await s.send(suspicious())).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    h.clock.advance(3000);
    expect((await s.send(suspicious())).standing.level).toBe('STANDING_LEVEL_BLOCK');
    expect((await risk.scoreSession({ sessionId: s.sessionId })).assessment.decision).toBe('DECISION_BLOCK');
  });

  it('ScoreSession lowers the evidence where the MPIN did, after the standing has moved on', async () => {
    const s = await userSession('dev-score-after-mpin');
    // Machine-short holds twice: a fact seen twice (challenge), then the MPIN, then once more.
    await s.send(suspicious());
    h.clock.advance(3000);
    expect((await s.send(suspicious())).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    h.clock.advance(3000);
    expect(await h.identity.verifyMpin({ ...s.auth, mpin: MPIN })).toEqual({ status: 'SESSION_STATUS_ACTIVE' });
    h.clock.advance(3000);
    const third = await s.send(suspicious());
    // Ingest: the MPIN capped the evidence, one more fact challenges again, short of a block; the
    // standing now names the holds, not the MPIN.
    expect(third.standing.level).toBe('STANDING_LEVEL_CHALLENGE');
    expect(third.standing.reasons).not.toContain('mpin_verified');
    // ScoreSession folds the same three windows with the MPIN between them (before: three facts in a
    // row, block, since it read the MPIN from the standing's last change only).
    const scored = await risk.scoreSession({ sessionId: s.sessionId });
    expect(scored.judgedWindows).toBe(3);
    expect(scored.assessment.decision).toBe('DECISION_CHALLENGE');
  });

  it('an MPIN nobody asked for answers nothing', async () => {
    const s = await userSession('dev-unasked');
    const one = typing();
    const capital = [...one, { type: 'environment' as const, t: one.at(-1)!.t + 1, state: 'case:1/12' }];
    expect((await s.send(capital)).standing.level).toBe('STANDING_LEVEL_ALLOW');
    expect(await h.identity.verifyMpin({ ...s.auth, mpin: MPIN })).toEqual({ status: 'SESSION_STATUS_ACTIVE' });
    expect(await answeredOf(s.sessionId)).toBeNull();
  });

  it('locks the account after three wrong MPINs: every session and login is refused', async () => {
    const s = await userSession('dev-l1');
    const other = await h.identity.login({ email: s.email, password: PASSWORD, deviceId: 'dev-l2' });
    await s.send(suspicious());
    expect((await s.send(suspicious())).assessment.decision).toBe('DECISION_CHALLENGE');
    await rejection(h.identity.verifyMpin({ ...s.auth, mpin: '1111' }));
    await rejection(h.identity.verifyMpin({ ...s.auth, mpin: '2222' }));
    const third = await rejection(h.identity.verifyMpin({ ...s.auth, mpin: '3333' }));
    expect([third.code, third.details]).toEqual([status.PERMISSION_DENIED, 'mpin: wrong MPIN: the account is now locked after 3 failed attempts; contact support to unlock it']);

    const right = await rejection(h.identity.verifyMpin({ ...s.auth, mpin: MPIN }));
    expect([right.code, right.details]).toEqual([status.FAILED_PRECONDITION, 'the account is locked after 3 failed MPIN attempts: contact support to unlock it']);
    expect(await h.identity.getSessionStatus(s.auth)).toMatchObject({ status: 'SESSION_STATUS_LOCKED', requiredAction: 'REQUIRED_ACTION_CONTACT_SUPPORT', mpinAttemptsLeft: 0 });
    expect((await rejection(h.identity.login({ email: s.email, password: PASSWORD, deviceId: 'dev-l1' }))).code).toBe(status.FAILED_PRECONDITION);
    // The user's other session lost its refresh tokens too.
    expect((await rejection(h.identity.refresh({ refreshToken: other.tokens.refreshToken, deviceId: 'dev-l2' }))).code).toBe(status.UNAUTHENTICATED);
    expect((await securityEvents(s.sessionId)).map((e) => e.kind)).toContain('account_locked');
  });

  it('refuses a wrong-length MPIN as INVALID_ARGUMENT without counting it', async () => {
    const s = await userSession('dev-m');
    const err = await rejection(h.identity.verifyMpin({ ...s.auth, mpin: '12' }));
    expect([err.code, err.details]).toEqual([status.INVALID_ARGUMENT, 'mpin: mpin must be exactly 4 digits']);
    expect((await h.identity.getSessionStatus(s.auth)).mpinAttemptsLeft).toBe(3);
  });
});

describe('session lifetime and device binding', () => {
  it('expires after 60 minutes without activity; batches and refreshes count as activity', async () => {
    const s = await userSession('dev-e');
    h.clock.advance(59 * 60_000);
    await s.send();
    h.clock.advance(59 * 60_000);
    // 118 minutes after login, but only 59 since the last batch: still alive.
    const r = await h.identity.refresh({ refreshToken: s.tokens.refreshToken, deviceId: 'dev-e' });
    const st = await h.identity.getSessionStatus({ accessToken: r.tokens.accessToken, deviceId: 'dev-e' });
    expect(st).toMatchObject({ status: 'SESSION_STATUS_ACTIVE', lastActivityMs: String(h.clock.t), expiresAtMs: String(h.clock.t + 3_600_000) });
    h.clock.advance(60 * 60_000 + 1);
    const expired = await rejection(h.identity.refresh({ refreshToken: r.tokens.refreshToken, deviceId: 'dev-e' }));
    expect([expired.code, expired.details]).toEqual([status.UNAUTHENTICATED, 'this session expired after 60 minutes of inactivity: log in again']);
    const late = await rejection(s.send());
    expect([late.code, late.details]).toEqual([status.FAILED_PRECONDITION, `batch.sessionId: session ${s.sessionId} expired after inactivity: log in again for a new session`]);
  });

  it('binds a session to its device: tokens and batches from another device are refused', async () => {
    const s = await userSession('dev-b1');
    const status1 = await rejection(h.identity.getSessionStatus({ ...s.auth, deviceId: 'dev-b2' }));
    expect([status1.code, status1.details]).toEqual([status.PERMISSION_DENIED, 'deviceId: this session is bound to another device: log in from this device']);
    const refresh = await rejection(h.identity.refresh({ refreshToken: s.tokens.refreshToken, deviceId: 'dev-b2' }));
    expect(refresh.code).toBe(status.PERMISSION_DENIED);
    expect((await rejection(h.identity.verifyMpin({ ...s.auth, deviceId: 'dev-b2', mpin: MPIN }))).code).toBe(status.PERMISSION_DENIED);
    expect((await rejection(h.identity.logout({ ...s.auth, deviceId: 'dev-b2' }))).code).toBe(status.PERMISSION_DENIED);
    const foreign = await rejection(s.send(typing(), 'dev-b2'));
    expect([foreign.code, foreign.details]).toEqual([status.PERMISSION_DENIED, `batch.context.deviceId: session ${s.sessionId} is bound to another device`]);
    // The refused attempt did not consume the refresh token, and the session is untouched.
    expect((await h.identity.refresh({ refreshToken: s.tokens.refreshToken, deviceId: 'dev-b1' })).sessionId).toBe(s.sessionId);
    expect((await s.send()).assessment.decision).toBe('DECISION_ALLOW');
  });
});

describe('identity over Connect JSON (the HTTP face)', () => {
  it('registers, logs in and reads the session status with the same handlers', async () => {
    const identity = createCadenceClients({ transport: connectTransport(`http://127.0.0.1:${h.core.httpPort}`).transport }).identity;
    const email = `json-${process.pid}@example.com`;
    expect((await identity.register({ email, password: PASSWORD, mpin: MPIN })).userId).toMatch(/\S/);
    const login = await identity.login({ email, password: PASSWORD, deviceId: 'web-1' });
    expect(login.tokens?.accessExpiresAtMs).toBeGreaterThan(0n); // int64 read back from proto3 JSON's string
    const st = await identity.getSessionStatus({ accessToken: login.tokens!.accessToken, deviceId: 'web-1' });
    expect(st).toMatchObject({ sessionId: login.sessionId, status: SessionStatus.ACTIVE, requiredAction: RequiredAction.NONE });
    const bad = callError(await identity.login({ email, password: 'nope', deviceId: 'web-1' }).catch((e: unknown) => e));
    expect(bad.code).toBe(status.UNAUTHENTICATED);
    const invalid = callError(await identity.register({ email: 'x', password: PASSWORD, mpin: MPIN }).catch((e: unknown) => e));
    expect([invalid.code, invalid.fieldViolations.map((v) => v.field)]).toEqual([status.INVALID_ARGUMENT, ['email']]);
  });
});
