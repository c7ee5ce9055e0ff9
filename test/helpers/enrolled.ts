// A user with enrolled windows over real gRPC (no edge): register, log in, send genuine windows.
import { toWireBatch } from '../../lib/wire.ts';
import { batch, typing } from './batches.ts';
import type { Harness } from './identity.ts';

let n = 0;

export async function enrolledUser(h: Harness, email: string, windows: number, rhythm = { hold: 105, gap: 210 }) {
  const { userId } = await h.identity.register({ email, password: 'correct horse battery', mpin: '1357' });
  const login = await h.identity.login({ email, password: 'correct horse battery', deviceId: 'dev-1' });
  const send = (events = typing({ ...rhythm, keys: 30, seed: 10_000 + n })) =>
    h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq: n++, events, context: { deviceId: 'dev-1' } })) });
  for (let i = 0; i < windows; i++) await send();
  return { userId, sessionId: login.sessionId, login, send };
}
