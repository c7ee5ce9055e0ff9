// RiskService.ScoreSession and StreamDecisions over real gRPC: the authoritative score from stored
// windows, and every new decision pushed to a subscriber as it is made (filters, cancellation).
import { RiskService } from '../../client/index.ts';
import { connectTransport, drain, serverStream, status, unary, type CallError } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

let h: Harness;
let c: ReturnType<typeof coreClients>;

beforeAll(async () => {
  h = await startIdentityCore();
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`);
});

afterAll(async () => {
  c?.close();
  await h?.stop();
});

const ingest = (b: ReturnType<typeof batch>) => h.ingestBatch({ batch: toWireBatch(b) });

describe('ScoreSession', () => {
  it('scores the stored windows of an anonymous session with the population model, newest first', async () => {
    const first = batch({ events: typing({ seed: 1 }) });
    await ingest(first);
    const second = batch({ sessionId: first.sessionId, seq: 1, events: typing({ seed: 2 }) });
    await ingest(second);
    const r = await c.scoreSession({ sessionId: first.sessionId });
    expect(r).toMatchObject({ sessionId: first.sessionId, userId: '', judgedWindows: 2, userModelVersion: '' });
    expect(r.windows.map((w: any) => w.batchId)).toEqual([second.batchId, first.batchId]);
    expect(r.assessment).toMatchObject({ decision: 'DECISION_ALLOW', judged: true, modelVersion: expect.stringMatching(/^population-keystroke-/) });
    // The stored per-batch decisions and the re-scored windows agree (same model, same events).
    const stored = await c.getSessionRisk({ sessionId: first.sessionId });
    expect(r.windows[0].assessment.score).toBeCloseTo(stored.latest.score, 6);
    // No evidence in either window: the session's score is its newest window's.
    expect(r.assessment.score).toBeCloseTo(r.windows[0].assessment.score, 3);
    expect(stored.latest.score).toBeCloseTo(r.assessment.score, 3);

    // A bot takes over: its windows' evidence accumulates over the session, challenged at the first
    // (three independent facts in one window), blocked at the second.
    await ingest(batch({ sessionId: first.sessionId, seq: 2, events: botTyping() }));
    const after = await c.scoreSession({ sessionId: first.sessionId, maxWindows: 3 });
    expect(after.windows).toHaveLength(3);
    expect(after.assessment.decision).toBe('DECISION_CHALLENGE');
    expect(after.assessment.reasons).toEqual(expect.arrayContaining(['superhuman_typing', 'implausible_holds']));
    expect(after.peakScore).toBeGreaterThan(0.9);
    await ingest(batch({ sessionId: first.sessionId, seq: 3, events: botTyping() }));
    expect((await c.scoreSession({ sessionId: first.sessionId })).assessment.decision).toBe('DECISION_BLOCK');
    // The stored decision of the newest batch is the session's too.
    expect((await c.getSessionRisk({ sessionId: first.sessionId })).latest.decision).toBe('DECISION_BLOCK');
  });

  it('is never below a standing that sticks: a blocked session whose newest window is clean is still blocked', async () => {
    const first = batch({ events: botTyping() });
    await ingest(first);
    await ingest(batch({ sessionId: first.sessionId, seq: 1, events: botTyping() }));
    await ingest(batch({ sessionId: first.sessionId, seq: 2, events: typing({ seed: 1023, gap: 230 }) }));
    // Only the clean window re-scored: on its own it says allow; the session's record says block.
    const r = await c.scoreSession({ sessionId: first.sessionId, maxWindows: 1 });
    expect(r.windows[0].assessment.decision).toBe('DECISION_ALLOW');
    expect(r.standing).toMatchObject({ level: 'STANDING_LEVEL_BLOCK', requiredAction: 'login' });
    expect(r.assessment.decision).toBe('DECISION_BLOCK');
    expect(r.assessment.score).toBeGreaterThanOrEqual(0.9);
    expect(r.assessment.reasons).toEqual(expect.arrayContaining(r.standing.reasons));
    // A session that never stuck answers from its windows alone.
    const clean = batch({ events: typing({ seed: 1024, gap: 230 }) });
    await ingest(clean);
    expect(await c.scoreSession({ sessionId: clean.sessionId })).toMatchObject({ standing: { level: 'STANDING_LEVEL_ALLOW' }, assessment: { decision: 'DECISION_ALLOW' } });
  });

  it('refuses bad requests with the field, and unknown sessions with NOT_FOUND', async () => {
    expect((await rejection(c.scoreSession({ sessionId: '' }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await rejection(c.scoreSession({ sessionId: 'x', maxWindows: 201 }))).details).toMatch(/^maxWindows:/);
    expect((await rejection(c.scoreSession({ sessionId: 'never-seen' }))).code).toBe(status.NOT_FOUND);
  });

  it('is unary on the Connect face too', async () => {
    const b = batch();
    await ingest(b);
    const connect = connectTransport(`http://127.0.0.1:${h.core.httpPort}`);
    expect((await unary(connect.transport, RiskService, 'scoreSession')({ sessionId: b.sessionId })).windows).toHaveLength(1);
    // Streaming stays on native gRPC: the HTTP face does not serve it (404, which Connect reads as unimplemented).
    const stream = drain(serverStream(connect.transport, RiskService, 'streamDecisions')({}));
    expect(((await stream.ended) as CallError).code).toBe(status.UNIMPLEMENTED);
  });
});

describe('StreamDecisions', () => {
  it('pushes each new decision at once, filtered by session and level, and stops on cancel', async () => {
    const watched = batch({ events: typing({ seed: 909 }) }); // seeds apart from batch()'s defaults (1, 2, ...): the same timings are a replay
    const cancelAll = new AbortController();
    const cancelSevere = new AbortController();
    const all = drain(c.streamDecisions({ sessionId: watched.sessionId }, { signal: cancelAll.signal }));
    const severe = drain(c.streamDecisions({ minDecision: 'DECISION_CHALLENGE' }, { signal: cancelSevere.signal }));
    const got = all.items;
    const gotSevere = severe.items;
    await new Promise((r) => setTimeout(r, 100)); // the subscriptions reach the server

    await ingest(watched);
    await ingest(batch({ events: typing({ seed: 910 }) })); // another session: filtered out of `all`
    const bot = batch({ sessionId: watched.sessionId, seq: 1, events: botTyping() });
    await ingest(bot);
    await ingest(watched); // a duplicate: no new decision
    await new Promise((r) => setTimeout(r, 200));

    expect(got.map((d) => d.batchId)).toEqual([watched.batchId, bot.batchId]);
    expect(got[0]).toMatchObject({ sessionId: watched.sessionId, severity: 'none', assessment: { decision: 'DECISION_ALLOW' } });
    expect(['medium', 'high']).toContain(got[1].severity);
    expect(Number(got[1].decidedAtMs)).toBeGreaterThan(0);
    expect(gotSevere.map((d) => d.batchId)).toEqual([bot.batchId]);

    cancelAll.abort();
    cancelSevere.abort();
    expect(((await all.ended) as CallError).code).toBe(status.CANCELLED);
    expect(((await severe.ended) as CallError).code).toBe(status.CANCELLED);
  });

  it('refuses a session id that is too long', async () => {
    const err = await drain(c.streamDecisions({ sessionId: 'x'.repeat(129) })).ended;
    expect((err as CallError).code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('StreamDecisions at shutdown', () => {
  it('ends open streams normally when the core drains, so shutdown does not wait for them', async () => {
    const own = await startIdentityCore();
    const client = coreClients(`127.0.0.1:${own.core.grpcPort}`);
    const ended = drain(client.streamDecisions({})).ended.then((e) => (e === 'end' ? e : `error ${e.code}`));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await own.stop();
    expect(await ended).toBe('end');
    expect(Date.now() - started).toBeLessThan(4000); // the drain timeout is 5 s
    client.close();
  });
});
