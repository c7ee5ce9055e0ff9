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

const window = (typing: Assessment['typing']): Assessment => ({ score: 0.1, decision: 'allow', modelVersion: 'test', reasons: [], judged: true, typing });

describe('the core store keeps the session typing sums', () => {
  it('reads back what the last batch wrote, and adds the next window to it', async () => {
    const db = await createDb(':memory:');
    const store = createIngestStore(db);
    const seen: SessionEvidence[] = [];
    const judge = (before: SessionEvidence, w: Assessment) => {
      seen.push(before);
      const evidence = accumulate(before, w);
      return { evidence, answer: sessionAnswer(evidence, w, DEFAULT_THRESHOLDS) };
    };
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
