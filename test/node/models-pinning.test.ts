// An operator's choice of model version stands: after Rollback (or Activate) automatic retraining
// leaves the user's scope alone, until Train or Retrain hands it back to the automatic rules.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { enrolledUser } from '../helpers/enrolled.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'pinning-admin-key-0123456789';
let h: Harness;
let c: ReturnType<typeof coreClients>;

beforeAll(async () => {
  // Retrain after every 2 new genuine windows, with no minimum interval; the odd genuine window
  // that scores high must not challenge or block the session (that would stop its enrolment).
  h = await startIdentityCore({
    // Registry mechanics, not model quality: the quality gate would (rightly) refuse some 10-window models.
    CADENCE_ADMIN_API_KEYS: ADMIN, CADENCE_ENROL_MIN_WINDOWS: '10', CADENCE_MODEL_QUALITY_GATE: 'off', CADENCE_RETRAIN_EVERY: '2', CADENCE_RETRAIN_INTERVAL_S: '0',
    CADENCE_THRESHOLD_CHALLENGE: '0.98', CADENCE_THRESHOLD_BLOCK: '0.99',
  });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
});

afterAll(async () => {
  c?.close();
  await h?.stop();
});

const versions = async (scope: string): Promise<string[]> => (await c.listModels({ scope })).models.map((m: any) => `${m.version}${m.active ? '*' : ''}${m.pinned ? 'p' : ''}`);

/** The scope's versions once no training has changed them for 2 s (a training takes well under that). */
async function settled(scope: string): Promise<string[]> {
  let last = await versions(scope);
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = await versions(scope);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

it('retrains automatically, but not over a Rollback; Retrain hands the scope back to the automatic rules', async () => {
  const u = await enrolledUser(h, 'pinned@example.com', 10);
  /** Genuine windows (some score high enough not to be enrolled) until `version` is active. */
  const sendUntil = (version: string) =>
    eventually(async () => {
      await u.send();
      return (await versions(u.userId)).includes(`${version}*`);
    }, 30_000, 200);
  await eventually(async () => (await versions(u.userId)).includes('1.0.0*'));
  await sendUntil('1.1.0');

  // (A training queued during those windows may have made 1.2.0 active meanwhile: roll back from whichever is.)
  const back = await c.rollback({ scope: u.userId });
  expect(back.model).toMatchObject({ active: true, pinned: true });
  expect(Number(back.model.version.split('.')[1])).toBe(Number(back.previous.version.split('.')[1]) - 1);
  // A training already under way when the pin came is kept as an inactive candidate at most.
  const pinned = await settled(u.userId);
  expect(pinned.filter((v) => v.includes('*'))).toEqual([`${back.model.version}*p`]);
  // Windows the rules enrol (judged, below monitor): twice what a retraining needs, were the scope not pinned.
  let enrollable = 0;
  for (let i = 0; i < 30 && enrollable < 4; i++) {
    const a = ((await u.send()) as { assessment: { score: number; judged: boolean } }).assessment;
    if (a.judged && a.score < 0.4) enrollable++;
  }
  expect(enrollable).toBe(4);
  expect(await settled(u.userId)).toEqual(pinned);

  const retrained = (await c.retrain({ scope: u.userId })).model;
  expect(retrained).toMatchObject({ version: `1.${pinned.length}.0`, active: true, pinned: false });
  await sendUntil(`1.${pinned.length + 1}.0`);

  // Activate pins as well.
  expect((await c.activate({ id: retrained.id })).model).toMatchObject({ version: retrained.version, active: true, pinned: true });
}, 60_000);
