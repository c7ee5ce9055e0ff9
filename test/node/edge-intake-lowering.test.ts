// The edge's mirror of a session, lowered by the core's word: an analyst's clear starts the session's
// evidence again (signals and fact counts too), as the core's clearStanding does, so that the edge
// does not block on facts the core no longer holds. The intake's own logic, with a scorer that names
// the reasons of each window (the pre-score itself is tested elsewhere) and a delivery that accepts.
import { describe, expect, it } from 'vitest';
import { createIntake, type IntakeDeps } from '../../edge/intake.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';

/** An intake whose windows raise the reasons given to `send`, and a sender of one-window batches. */
function intakeNaming(clock = { ms: 0 }, held?: { until?: Promise<void> }) {
  let next: string[] = [];
  const window = (): Assessment => ({ score: 0.1, decision: 'allow', modelVersion: 'test', reasons: next, judged: true });
  const intake = createIntake({
    config: { maxBodyBytes: 1e6, sessionPerMinute: 0, sessionBurst: 0, ipPerMinute: 0, ipBurst: 0, sessionCacheMb: 32, replayWindows: 0, replayMemoryMb: 16, coreUrls: ['http://127.0.0.1:9'] },
    scorer: { score: window },
    delivery: { accept: async () => (await held?.until, { duplicate: false }) },
    auth: { check: async () => ({ ok: true, kind: 'anonymous' }) },
    thresholds: DEFAULT_THRESHOLDS,
    now: () => clock.ms,
    log: () => {},
  } as unknown as IntakeDeps);
  const seqs = new Map<string, number>();
  const send = async (sessionId: string, reasons: string[]) => {
    next = reasons;
    const seq = seqs.get(sessionId) ?? 0;
    seqs.set(sessionId, seq + 1);
    const o = await intake.take(JSON.stringify({ sessionId, batchId: `b${seq}`, seq, consent: true, events: [{ type: 'focus', t: 1 }] }));
    return o.ok ? o.assessment.decision : o.code;
  };
  return { intake, send };
}

describe('the edge mirror lowered by the core', () => {
  it("after an analyst's clear, a chance fact beside a rate challenges as in the core, and does not block on the facts before the clear", async () => {
    const { intake, send: sendTo } = intakeNaming();
    const send = (reasons: string[]) => sendTo('s-cleared', reasons);
    expect(await send(['jittered_path'])).toBe('monitor');
    expect(await send(['jittered_path', 'straight_path'])).toBe('challenge');
    expect(intake.adopt('s-cleared', 'allow', ['analyst_cleared'])).toBe('allow');
    // Another rate and the same chance fact: one fact window beside a rate challenges (it blocked
    // when the edge kept the fact counted before the clear).
    expect(await send(['centred_clicks', 'straight_path'])).toBe('challenge');
    expect(await send(['centred_clicks'])).toBe('challenge');
    // The clear answered the rough pointer behind the challenge it cleared: no second group.
    expect(await send(['jittered_path'])).toBe('challenge');
  });

  it("after a verified MPIN, through its own face or the core's word, the rate behind the challenge does not ask again; a fact does", async () => {
    for (const lower of ['edge', 'core'] as const) {
      const { intake, send: sendTo } = intakeNaming();
      const id = `s-mpin-${lower}`;
      const send = (reasons: string[]) => sendTo(id, reasons);
      expect(await send(['jittered_path'])).toBe('monitor');
      expect(await send(['jittered_path'])).toBe('challenge');
      if (lower === 'edge') {
        intake.stepUpPassed(id);
        for (let i = 0; i < 5; i++) expect(await send(['jittered_path'])).toBe('allow');
        expect(await send(['straight_path'])).toBe('monitor');
        expect(await send(['straight_path'])).toBe('challenge');
      } else {
        // The core's word, as fresh as the edge's challenge: the same.
        intake.adopt(id, 'allow', ['mpin_verified'], false, 0);
        for (let i = 0; i < 5; i++) expect(await send(['jittered_path'])).toBe('allow');
      }
    }
  });

  it("a stale word of the core (a stream reconnecting reads its standing as it last changed) lowers nothing the edge raised since", async () => {
    const clock = { ms: 1000 };
    const { intake, send: sendTo } = intakeNaming(clock);
    const send = (reasons: string[]) => sendTo('s-stale', reasons);
    expect(await send(['jittered_path'])).toBe('monitor');
    expect(await send(['jittered_path'])).toBe('challenge');
    // The MPIN at 2000, heard at once: lowered and answered.
    clock.ms = 2000;
    expect(intake.adopt('s-stale', 'allow', ['mpin_verified'], false, 2000)).toBe('allow');
    // Another group challenges again at 3000; then a reconnecting stream replays the MPIN of 2000.
    clock.ms = 3000;
    expect(await send(['centred_clicks'])).toBe('challenge');
    expect(intake.adopt('s-stale', 'allow', ['mpin_verified'], false, 2000)).toBe('challenge');
    expect(await send(['centred_clicks'])).toBe('challenge');
    // A newer MPIN answers it.
    expect(intake.adopt('s-stale', 'allow', ['mpin_verified'], false, 4000)).toBe('allow');
    expect(await send(['centred_clicks'])).toBe('allow');
  });

  it('an MPIN nobody asked for answers nothing', async () => {
    const { intake, send: sendTo } = intakeNaming();
    const send = (reasons: string[]) => sendTo('s-unasked', reasons);
    expect(await send(['jittered_path'])).toBe('monitor');
    intake.stepUpPassed('s-unasked');
    expect(await send(['jittered_path'])).toBe('challenge');
  });

  it('a batch in flight while the MPIN is verified is judged on the session as it is after the MPIN', async () => {
    const clock = { ms: 1000 };
    const held: { until?: Promise<void> } = {};
    const { intake, send: sendTo } = intakeNaming(clock, held);
    const send = (reasons: string[]) => sendTo('s-flight', reasons);
    expect(await send(['jittered_path'])).toBe('monitor');
    expect(await send(['jittered_path'])).toBe('challenge');
    let release!: () => void;
    held.until = new Promise((r) => (release = r));
    clock.ms = 2000;
    const inFlight = send(['jittered_path']);
    await new Promise((r) => setTimeout(r, 5));
    expect(intake.adopt('s-flight', 'allow', ['mpin_verified'], false, 5000)).toBe('allow');
    release();
    held.until = undefined;
    // Folded onto the answered evidence: the rough pointer the MPIN answered does not put the challenge back.
    expect(await inFlight).toBe('allow');
    expect(await send(['jittered_path'])).toBe('allow');
  });
});
