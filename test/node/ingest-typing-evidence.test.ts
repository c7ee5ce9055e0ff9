// The core keeps a session's typing-dependence sums with its row (sessions.evidence_typing), so
// that the test of scoring/features/typing-dependence.ts spans the session's batches, and clears
// them with the rest of the evidence. A real libSQL database with the committed migrations.
import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import { createIngestStore } from '../../core/ingest/store.ts';
import { accumulate, sessionAnswer, type SessionEvidence } from '../../scoring/session-evidence.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { batch } from '../helpers/batches.ts';

/** A store on a fresh database, and a judge that records the evidence each batch was judged on. */
async function recordingStore() {
  const store = createIngestStore(await createDb(':memory:'));
  const seen: SessionEvidence[] = [];
  const judge = (before: SessionEvidence, w: Assessment) => {
    seen.push(before);
    const evidence = accumulate(before, w);
    return { evidence, answer: sessionAnswer(evidence, w, DEFAULT_THRESHOLDS) };
  };
  return { store, seen, judge };
}

const window = (typing: Assessment['typing']): Assessment => ({ score: 0.1, decision: 'allow', modelVersion: 'test', reasons: [], judged: true, typing });

describe('the core store keeps the session typing sums', () => {
  it('reads back what the last batch wrote, and adds the next window to it', async () => {
    const { store, seen, judge } = await recordingStore();
    const first = { hf: -3.5, hfInfo: 12, sw: 7.5, swInfo: 30.25, overlaps: 2 };
    const put = (batchId: string, seq: number, typing: Assessment['typing']) =>
      store.store({ batch: batch({ sessionId: 's-typing', batchId, seq }), payloadSha256: batchId, receivedAtMs: 1000 + seq, core: window(typing), judge });
    await put('b0', 0, first);
    await put('b1', 1, { hf: 1, hfInfo: 8, sw: -2, swInfo: 10, overlaps: 0 });
    await put('b2', 2, undefined);
    expect(seen[0]!.typing).toBeUndefined();
    expect(seen[1]!.typing).toEqual(first);
    expect(seen[2]!.typing).toEqual({ hf: -2.5, hfInfo: 20, sw: 5.5, swInfo: 40.25, overlaps: 2 });
  });
});

describe('the core store keeps the session reach counts', () => {
  it('reads back what the last batch wrote, so the sub-movement test spans batches (scoring/features/submovements.ts)', async () => {
    const { store, seen, judge } = await recordingStore();
    const put = (batchId: string, seq: number, reaches: Assessment['reaches']) =>
      store.store({ batch: batch({ sessionId: 's-reaches', batchId, seq }), payloadSha256: batchId, receivedAtMs: 1000 + seq, core: { ...window(undefined), reaches }, judge });
    await put('b0', 0, { n: 2, single: 2 });
    await put('b1', 1, undefined);
    await put('b2', 2, { n: 1, single: 0 });
    await put('b3', 3, undefined);
    expect(seen[0]!.reaches).toBeUndefined();
    expect(seen[1]!.reaches).toEqual({ n: 2, single: 2 });
    expect(seen[2]!.reaches).toEqual({ n: 2, single: 2 });
    expect(seen[3]!.reaches).toEqual({ n: 3, single: 2 });
  });
});

describe('the core store keeps the session fact counts', () => {
  it('reads back how many windows raised each fact, so one chance fact beside a rate is told from a repeated one', async () => {
    const { store, seen, judge } = await recordingStore();
    const put = (batchId: string, seq: number, reasons: string[]) =>
      store.store({ batch: batch({ sessionId: 's-facts', batchId, seq }), payloadSha256: batchId, receivedAtMs: 1000 + seq, core: { ...window(undefined), reasons }, judge });
    await put('b0', 0, ['jittered_path']);
    await put('b1', 1, ['jittered_path', 'straight_path']);
    const once = await put('b2', 2, ['jittered_path']);
    const twice = await put('b3', 3, ['jittered_path', 'straight_path']);
    expect(seen[0]!.facts).toBeUndefined();
    expect(seen[2]!.facts).toEqual({ pointer: { n: 1, at: 1 } });
    expect(seen[3]!.facts).toEqual({ pointer: { n: 1, at: 1 } });
    expect(once.answer.decision).toBe('challenge');
    expect(twice.answer.decision).toBe('block');
  });
});

describe('a batch judged while the standing was deliberately lowered', () => {
  it('is judged again on the session as it is now: the stale challenge is neither written nor returned', async () => {
    const db = await createDb(':memory:');
    const store = createIngestStore(db);
    const flagged: Assessment = { score: 0.9, decision: 'challenge', modelVersion: 'test', reasons: ['superhuman_typing'], judged: true };
    const clean: Assessment = { score: 0.1, decision: 'allow', modelVersion: 'test', reasons: [], judged: true };
    // The first judgement sees the challenged session; by the time it is written, a verified MPIN
    // (another request, another core) has lowered the standing and bumped its version.
    let calls = 0;
    const judge = (before: SessionEvidence, w: Assessment) => {
      calls++;
      return { evidence: accumulate(before, w), answer: calls === 2 ? flagged : clean };
    };
    const put = (batchId: string, seq: number, j?: typeof judge) =>
      store.store({ batch: batch({ sessionId: 's-race', batchId, seq }), payloadSha256: batchId, receivedAtMs: 1000 + seq, core: clean, judge: j ?? ((b, w) => ({ evidence: accumulate(b, w), answer: flagged })) });
    expect((await put('b0', 0)).standing.level).toBe('challenge');
    const client = db.$client;
    const realBatch = client.batch.bind(client);
    let injected = false;
    client.batch = (async (stmts: Parameters<typeof realBatch>[0], mode?: Parameters<typeof realBatch>[1]) => {
      if (!injected) {
        injected = true;
        await client.execute(`update sessions set standing = 'allow', standing_reasons = '["mpin_verified"]', standing_version = standing_version + 1 where id = 's-race'`);
      }
      return realBatch(stmts, mode);
    }) as typeof client.batch;
    calls = 1;
    const second = await put('b1', 1, judge);
    expect(calls).toBe(3);
    expect(second.answer.decision).toBe('allow');
    expect(second.standing.level).toBe('allow');
    expect(second.judgedAtVersion).toBe(1);
    const row = (await client.execute(`select standing, standing_version from sessions where id = 's-race'`)).rows[0]!;
    expect([row.standing, Number(row.standing_version)]).toEqual(['allow', 1]);
    expect(Number((await client.execute(`select count(*) as n from scores where batch_id = 'b1'`)).rows[0]!.n)).toBe(1);
  });
});
