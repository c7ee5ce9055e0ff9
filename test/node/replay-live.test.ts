// Replay detection in the live path (scoring/replay-guard.ts through IngestBatch on a real core):
// a person's session replayed into another session with a time warp and noise is stepped up by the
// session's evidence, naming replayed_session; the same person typing the same text again from the
// same device is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { Rng } from '../../scoring/models/rng.ts';
import { batch } from '../helpers/batches.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';
import { cut, person, replay, session } from '../helpers/replay-fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await startIdentityCore();
});
afterAll(async () => {
  await h?.stop();
});

/** Sends a session's windows as batches; the core's decisions, in order. */
async function send(sessionId: string, deviceId: string, windows: BatchEvent[][]) {
  const out: { decision: string; reasons: string[] }[] = [];
  for (const [seq, events] of windows.entries()) {
    const res = await h.ingestBatch({ batch: toWireBatch(batch({ sessionId, seq, events, context: { deviceId } })) });
    out.push({ decision: res.assessment.decision, reasons: res.assessment.reasons });
  }
  return out;
}

const flagged = (d: { decision: string }) => d.decision === 'DECISION_CHALLENGE' || d.decision === 'DECISION_BLOCK';

describe('replays through the live path', () => {
  it('steps up a warped, noised replay of another session within a few windows; the source stays allowed', async () => {
    const rng = new Rng(21);
    const source = session(person(rng), rng, 8);
    const own = await send('replay-src-1', 'dev-src', cut(source));
    expect(own.filter(flagged)).toHaveLength(0);
    const copied = await send('replay-copy-1', 'dev-bot', cut(replay(source, rng, 1.2, 6, 2)));
    const first = copied.findIndex(flagged);
    expect(first, JSON.stringify(copied.map((d) => d.decision))).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(4);
    expect(copied[first]!.reasons).toContain('replayed_session');
  });

  it('does not take the same person typing the same text again, from the same device, for a replay', async () => {
    const rng = new Rng(22);
    const p = person(rng);
    await send('again-1', 'dev-same', cut(session(p, rng, 8)));
    const again = await send('again-2', 'dev-same', cut(session(p, rng, 8)));
    expect(again.filter(flagged)).toHaveLength(0);
    expect(again.flatMap((d) => d.reasons)).not.toContain('replayed_session');
  });
});
