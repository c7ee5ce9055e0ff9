// RiskService.ScoreSession and StreamDecisions over real gRPC: the authoritative score from stored
// windows, and every new decision pushed to a subscriber as it is made (filters, cancellation).
import { status } from '../helpers/typed-core.ts';
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

  it('refuses bad requests with the field, and unknown sessions with NOT_FOUND', async () => {
    expect((await rejection(c.scoreSession({ sessionId: '' }))).code).toBe(status.INVALID_ARGUMENT);
    expect((await rejection(c.scoreSession({ sessionId: 'x', maxWindows: 201 }))).details).toMatch(/^maxWindows:/);
    expect((await rejection(c.scoreSession({ sessionId: 'never-seen' }))).code).toBe(status.NOT_FOUND);
  });

  it('is unary on the Connect face too', async () => {
    const b = batch();
    await ingest(b);
    const res = await fetch(`http://127.0.0.1:${h.core.httpPort}/cadence.v1.RiskService/ScoreSession`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: b.sessionId }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).windows).toHaveLength(1);
    // Streaming stays on native gRPC.
    const stream = await fetch(`http://127.0.0.1:${h.core.httpPort}/cadence.v1.RiskService/StreamDecisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(stream.status).toBe(404);
  });
});

describe('StreamDecisions', () => {
  it('pushes each new decision at once, filtered by session and level, and stops on cancel', async () => {
    const watched = batch({ events: typing({ seed: 9 }) });
    const all = c.streamDecisions({ sessionId: watched.sessionId });
    const severe = c.streamDecisions({ minDecision: 'DECISION_CHALLENGE' });
    const got: any[] = [];
    const gotSevere: any[] = [];
    all.on('data', (d: any) => got.push(d));
    severe.on('data', (d: any) => gotSevere.push(d));
    const ended = new Promise<any>((resolve) => all.on('error', resolve));
    severe.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 100)); // the subscriptions reach the server

    await ingest(watched);
    await ingest(batch({ events: typing({ seed: 10 }) })); // another session: filtered out of `all`
    const bot = batch({ sessionId: watched.sessionId, seq: 1, events: botTyping() });
    await ingest(bot);
    await ingest(watched); // a duplicate: no new decision
    await new Promise((r) => setTimeout(r, 200));

    expect(got.map((d) => d.batchId)).toEqual([watched.batchId, bot.batchId]);
    expect(got[0]).toMatchObject({ sessionId: watched.sessionId, severity: 'none', assessment: { decision: 'DECISION_ALLOW' } });
    expect(['medium', 'high']).toContain(got[1].severity);
    expect(Number(got[1].decidedAtMs)).toBeGreaterThan(0);
    expect(gotSevere.map((d) => d.batchId)).toEqual([bot.batchId]);

    all.cancel();
    severe.cancel();
    expect((await ended).code).toBe(status.CANCELLED);
  });

  it('refuses a session id that is too long', async () => {
    const s = c.streamDecisions({ sessionId: 'x'.repeat(129) });
    const err = await new Promise<any>((resolve) => s.on('error', resolve));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
  });
});

describe('StreamDecisions at shutdown', () => {
  it('ends open streams normally when the core drains, so shutdown does not wait for them', async () => {
    const own = await startIdentityCore();
    const client = coreClients(`127.0.0.1:${own.core.grpcPort}`);
    const stream = client.streamDecisions({});
    stream.on('data', () => undefined);
    const ended = new Promise<string>((resolve) => {
      stream.on('end', () => resolve('end'));
      stream.on('error', (e: any) => resolve(`error ${e.code}`));
    });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await own.stop();
    expect(await ended).toBe('end');
    expect(Date.now() - started).toBeLessThan(4000); // the drain timeout is 5 s
    client.close();
  });
});
