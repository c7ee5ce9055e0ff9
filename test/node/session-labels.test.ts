// AdminService.LabelSession / GetSessionLabels over native gRPC: analysts label stored sessions,
// relabelling keeps the trail, the admin key is required, bad input names its field.
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import { batch } from '../helpers/batches.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

const ADMIN = 'labels-admin-key-0123456789';
let h: Harness;
let c: ReturnType<typeof coreClients>;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}` });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
}, 60_000);

afterAll(async () => {
  c?.close();
  await h?.stop();
});

describe('session labels', () => {
  it('labels a stored session, relabels it and keeps both on record, newest first', async () => {
    const b = batch();
    await h.ingestBatch({ batch: toWireBatch(b) });
    expect(await c.getSessionLabels({ sessionId: b.sessionId })).toMatchObject({ current: null, history: [] });
    const first = await c.labelSession({ sessionId: b.sessionId, label: 'SESSION_LABEL_BOT', analyst: 'alice', note: 'scripted typing' });
    expect(first.label).toMatchObject({ sessionId: b.sessionId, label: 'SESSION_LABEL_BOT', analyst: 'alice', note: 'scripted typing' });
    expect(first.previous).toBeNull();
    h.clock.advance(60_000);
    const second = await c.labelSession({ sessionId: b.sessionId, label: 'SESSION_LABEL_GENUINE', analyst: 'bob' });
    expect(second.previous).toMatchObject({ label: 'SESSION_LABEL_BOT', analyst: 'alice' });
    const all = await c.getSessionLabels({ sessionId: b.sessionId });
    expect(all.current).toMatchObject({ label: 'SESSION_LABEL_GENUINE', analyst: 'bob' });
    expect(all.history.map((r: any) => r.analyst)).toEqual(['bob', 'alice']);
    expect(Number(all.history[0].labelledAtMs) - Number(all.history[1].labelledAtMs)).toBe(60_000);
  });

  it('refuses unknown sessions, bad fields by name, and callers without the admin key', async () => {
    const b = batch();
    await h.ingestBatch({ batch: toWireBatch(b) });
    expect((await rejection(c.labelSession({ sessionId: 'never-stored', label: 'SESSION_LABEL_BOT', analyst: 'a' }))).code).toBe(status.NOT_FOUND);
    const details = async (req: unknown) => {
      const err = await rejection(c.labelSession(req));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      return err.details;
    };
    expect(await details({ sessionId: b.sessionId, analyst: 'a' })).toMatch(/^label:/);
    expect(await details({ sessionId: b.sessionId, label: 'SESSION_LABEL_UNSURE', analyst: '' })).toMatch(/^analyst:/);
    expect(await details({ sessionId: b.sessionId, label: 'SESSION_LABEL_UNSURE', analyst: 'a', note: 'n'.repeat(1001) })).toMatch(/^note:/);
    expect(await details({ sessionId: 'bad id!', label: 'SESSION_LABEL_UNSURE', analyst: 'a' })).toMatch(/^sessionId:/);
    expect((await rejection(c.labelSession({ sessionId: b.sessionId, label: 'SESSION_LABEL_BOT', analyst: 'a' }, null))).code).toBe(status.UNAUTHENTICATED);
  });
});
