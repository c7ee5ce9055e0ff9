// Issue 21 item 4, its optional part: with CADENCE_SELF_UNLOCK on, an account locked by wrong MPINs
// unlocks itself at the owner's next right password once CADENCE_LOGIN_LOCK_SECONDS have passed,
// doubled for each further lock within a day; the new session starts with MPIN step-up, and the
// unlock is a security event. Without it (the default) only an admin unlocks (admin-support.test.ts).
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping } from '../helpers/batches.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const PASSWORD = 'correct horse battery';
const MPIN = '2468';
let h: Harness;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_SELF_UNLOCK: 'true', CADENCE_LOGIN_LOCK_SECONDS: '60' });
});
afterAll(async () => {
  await h?.stop();
});

const login = (email: string) => h.identity.login({ email, password: PASSWORD, deviceId: 'dev-1' });
const auth = (l: any) => ({ accessToken: l.tokens.accessToken as string, deviceId: 'dev-1' });
const wrongMpins = async (l: any) => {
  for (const wrong of ['0000', '1111', '9999']) await rejection(h.identity.verifyMpin({ ...auth(l), mpin: wrong }));
};

async function unlockEvents(userId: string) {
  const db = await createDb(h.dbUrl, { migrate: false });
  const rows = await db.$client.execute({ sql: "select reasons from security_events where kind = 'account_unlocked' and user_id = ? order by id", args: [userId] });
  db.$client.close();
  return rows.rows.map((r) => JSON.parse(String(r.reasons)));
}

describe('self-service unlock', () => {
  it('refuses the login until the lock period has passed (doubling with each lock), then signs in with MPIN step-up', async () => {
    const email = `self-unlock-${process.pid}@example.com`;
    const { userId } = await h.identity.register({ email, password: PASSWORD, mpin: MPIN });
    const first = await login(email);
    await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: first.sessionId, seq: 0, events: botTyping(), context: { deviceId: 'dev-1' } })) });
    await wrongMpins(first);

    const locked = await rejection(login(email));
    expect(locked.code).toBe(status.FAILED_PRECONDITION);
    expect(locked.details).toMatch(/locked .*sign in again in 60 s/);
    h.clock.advance(59_000);
    expect((await rejection(login(email))).details).toContain('in 1 s');
    // A wrong password never unlocks.
    h.clock.advance(2_000);
    expect((await rejection(h.identity.login({ email, password: 'wrong password here', deviceId: 'dev-1' }))).code).toBe(status.UNAUTHENTICATED);

    const second = await login(email);
    const st = await h.identity.getSessionStatus(auth(second));
    expect(st).toMatchObject({ status: 'SESSION_STATUS_CHALLENGED', mpinAttemptsLeft: 3 });
    expect(await unlockEvents(userId)).toEqual([['self_service', 'after_s:60']]);

    // The second lock within a day lasts twice as long.
    await wrongMpins(second);
    h.clock.advance(61_000);
    expect((await rejection(login(email))).details).toContain('sign in again in 59 s');
    h.clock.advance(60_000);
    const third = await login(email);
    await h.identity.verifyMpin({ ...auth(third), mpin: MPIN });
    expect((await h.identity.getSessionStatus(auth(third))).status).toBe('SESSION_STATUS_ACTIVE');
    expect(await unlockEvents(userId)).toEqual([['self_service', 'after_s:60'], ['self_service', 'after_s:120']]);
  });
});
