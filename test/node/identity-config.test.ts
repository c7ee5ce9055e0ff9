// The policy and identity settings come from configuration: other thresholds, MPIN length, idle timeout.
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, typing } from '../helpers/batches.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

let h: Harness;
beforeAll(async () => {
  h = await startIdentityCore({
    CADENCE_THRESHOLD_BLOCK: '0.995',
    CADENCE_MPIN_LENGTH: '6',
    CADENCE_MPIN_MAX_FAILURES: '1',
    CADENCE_SESSION_IDLE_MINUTES: '5',
    CADENCE_ACCESS_TOKEN_TTL_S: '600',
  });
});
afterAll(async () => {
  await h?.stop();
});

describe('configured policy', () => {
  it('uses the configured thresholds, MPIN length, MPIN attempts and idle timeout', async () => {
    expect((await rejection(h.identity.register({ email: 'cfg@example.com', password: 'correct horse battery', mpin: '1234' }))).details).toBe(
      'mpin: mpin must be exactly 6 digits',
    );
    await h.identity.register({ email: 'cfg@example.com', password: 'correct horse battery', mpin: '123456' });
    const login = await h.identity.login({ email: 'cfg@example.com', password: 'correct horse battery', deviceId: 'd1' });
    expect(login.idleTimeoutS).toBe(300);
    const auth = { accessToken: login.tokens.accessToken, deviceId: 'd1' };
    // Three windows of 8 ms holds put the session's score above 0.9 (the default block threshold)
    // but below the configured one: challenged, not blocked.
    const quick = typing({ hold: 8, gap: 150, jitter: 0.4 });
    let res;
    for (let seq = 0; seq < 3; seq++) res = await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq, events: quick, context: { deviceId: 'd1' } })) });
    res = res!;
    expect(res.assessment.score).toBeGreaterThan(0.9);
    expect(res.assessment.score).toBeLessThan(0.995);
    expect(res.assessment.decision).toBe('DECISION_CHALLENGE');
    expect((await h.identity.getSessionStatus(auth)).status).toBe('SESSION_STATUS_CHALLENGED');
    expect(await h.identity.verifyMpin({ ...auth, mpin: '123456' })).toEqual({ status: 'SESSION_STATUS_ACTIVE' });
    h.clock.advance(5 * 60_000 + 1);
    expect(await h.identity.getSessionStatus(auth)).toMatchObject({ status: 'SESSION_STATUS_EXPIRED', requiredAction: 'REQUIRED_ACTION_LOGIN' });
    // One failure is the configured limit: the account locks at once.
    const login2 = await h.identity.login({ email: 'cfg@example.com', password: 'correct horse battery', deviceId: 'd1' });
    const wrong = await rejection(h.identity.verifyMpin({ accessToken: login2.tokens.accessToken, deviceId: 'd1', mpin: '000000' }));
    expect([wrong.code, wrong.details]).toEqual([status.PERMISSION_DENIED, 'mpin: wrong MPIN: the account is now locked after 1 failed attempt; contact support to unlock it']);
  });
});
