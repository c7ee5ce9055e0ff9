// Issue 18: per-user pointer models in the core. The pointer window (core/enrolment/pointer-windows.ts),
// how two owner models' evidence combine in one window (core/enrolment/owner-modalities.ts), and the
// flow through a real core over gRPC: an owner's mouse windows are enrolled as 'pointer' windows, a
// 'user-pointer' model is trained at the enrolment threshold and passes the quality gate, the owner's
// next session stays allowed and another hand in the account is challenged by the session evidence.
// Fixtures are self-made hands (pointer-hands.ts), never ../shared.
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointerWindowOf, POINTER_WINDOW_FEATURES } from '../../core/enrolment/pointer-windows.ts';
import { combineOwners } from '../../core/enrolment/owner-modalities.ts';
import { toWireBatch } from '../../lib/wire.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { Assessment } from '../../scoring/prescore.ts';
import { batch, typing } from '../helpers/batches.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';
import { ANA_HAND, BEN_HAND, pointerWindow, type Hand } from './pointer-hands.ts';

describe('pointer window', () => {
  it('is judged from two mouse actions, and is their mean with the count', () => {
    const three = pointerWindow(ANA_HAND, 1);
    const w = pointerWindowOf(three);
    expect(w.judged).toBe(true);
    expect(w.vector).toHaveLength(POINTER_WINDOW_FEATURES.length);
    expect(w.vector.at(-1)).toBe(3);
    expect(w.vector[POINTER_WINDOW_FEATURES.indexOf('mean_is_click')]).toBe(1);
    // One reach and its click: one action, not judged.
    const firstUp = three.findIndex((e) => e.type === 'pointerup');
    expect(pointerWindowOf(three.slice(0, firstUp + 1)).judged).toBe(false);
    // Typing only: nothing to judge.
    expect(pointerWindowOf([{ type: 'keydown', t: 0, keyClass: 'letter' }, { type: 'keyup', t: 90, keyClass: 'letter' }]).judged).toBe(false);
  });

  it('tells the two hands apart in their mean action', () => {
    const duration = POINTER_WINDOW_FEATURES.indexOf('mean_duration');
    expect(pointerWindowOf(pointerWindow(ANA_HAND, 2)).vector[duration]!).toBeGreaterThan(1.3 * pointerWindowOf(pointerWindow(BEN_HAND, 2)).vector[duration]!);
  });
});

describe('two owner models in one window', () => {
  const pop: Assessment = { score: 0.1, decision: 'allow', modelVersion: 'pop', reasons: [], judged: true, reaches: { n: 2, single: 1 } };
  const keys: Assessment = { score: 0.2, decision: 'allow', modelVersion: 'user-keystroke@1.0.0+pop', reasons: [], judged: true, ownerRisk: 0.15 };
  const pointer: Assessment = { score: 0.55, decision: 'monitor', modelVersion: 'user-pointer@2.0.0+pop', reasons: ['user_rhythm_unlike_owner'], judged: true, ownerRisk: 0.7 };

  it('takes the larger risk and the larger owner evidence, never their sum', () => {
    const both = combineOwners(pop, keys, pointer, DEFAULT_THRESHOLDS);
    expect(both).toMatchObject({ score: 0.55, decision: 'monitor', ownerRisk: 0.7, modelVersion: 'user-keystroke@1.0.0+user-pointer@2.0.0+pop', reasons: ['user_rhythm_unlike_owner'], reaches: { n: 2, single: 1 } });
    expect(combineOwners(pop, { ...keys, ownerRisk: 0.9 }, pointer, DEFAULT_THRESHOLDS).ownerRisk).toBe(0.9);
  });

  it('keeps the one model that judged, or the population without any', () => {
    expect(combineOwners(pop, undefined, pointer, DEFAULT_THRESHOLDS)).toBe(pointer);
    expect(combineOwners(pop, keys, undefined, DEFAULT_THRESHOLDS)).toBe(keys);
    expect(combineOwners(pop, undefined, undefined, DEFAULT_THRESHOLDS)).toBe(pop);
  });
});

const ADMIN = 'admin-key-0123456789abcdef';
let h: Harness;
let c: ReturnType<typeof coreClients>;
let seq = 0;

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_ENROL_MIN_WINDOWS: '20', CADENCE_POINTER_MODELS: 'on' });
  c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
});

afterAll(async () => {
  c?.close();
  await h?.stop();
});

async function account(email: string) {
  const { userId } = await h.identity.register({ email, password: 'correct horse battery', mpin: '1357' });
  return { userId, login: async () => (await h.identity.login({ email, password: 'correct horse battery', deviceId: 'dev-1' })).sessionId as string };
}

/** Sends `n` windows of the hand in the session, as the collector would (3 s apart). */
async function move(sessionId: string, hand: Hand, n: number, seed: number) {
  for (let i = 0; i < n; i++) {
    const events = pointerWindow(hand, seed + i, 3000 * i);
    await h.ingestBatch({ batch: toWireBatch(batch({ sessionId, seq: seq++, events, context: { deviceId: 'dev-1' } })) });
  }
}

describe('per-user pointer models through the core', () => {
  it('enrols pointer windows, trains a user-pointer model at the threshold and judges sessions with it', async () => {
    const ben = await account('ben-pointer@example.com');
    // Ben's windows: the other users' windows of Ana's quality gate and cohort.
    await move(await ben.login(), BEN_HAND, 25, 5000);
    const ana = await account('ana-pointer@example.com');
    const first = await ana.login();
    await move(first, ANA_HAND, 19, 100);
    expect((await c.listModels({ scope: ana.userId })).models).toEqual([]);
    await move(first, ANA_HAND, 1, 119);
    const model = await eventually(async () => (await c.listModels({ scope: ana.userId })).models.find((m: any) => m.active));
    expect(model).toMatchObject({ kind: 'MODEL_KIND_USER_POINTER', scope: ana.userId, version: '1.0.0', active: true });
    expect(model.featureSchema).toContain('mean_v_mean');
    expect(model.metrics).toMatchObject({ trained_windows: 20, held_back_genuine: 4, held_back_impostor: 25, gate_passed: 1 });
    // Mouse only: no keystroke model was trained for her.
    expect((await c.listModels({ scope: ana.userId })).models.map((m: any) => m.kind)).toEqual(['MODEL_KIND_USER_POINTER']);

    // Her next session: judged with her pointer model, allowed.
    const own = await ana.login();
    await move(own, ANA_HAND, 6, 300);
    const genuine = await c.scoreSession({ sessionId: own });
    expect(genuine.assessment.modelVersion).toMatch(/^user-pointer@1\.0\.0\+population-keystroke-/);
    expect(genuine.assessment.decision).toBe('DECISION_ALLOW');
    expect((await c.getSessionRisk({ sessionId: own })).standing.level).not.toBe('STANDING_LEVEL_CHALLENGE');

    // Ben's hand in Ana's account: the session's owner evidence challenges it.
    const other = await ana.login();
    await move(other, BEN_HAND, 6, 7000);
    const risk = await c.getSessionRisk({ sessionId: other });
    expect(risk.latest.reasons).toContain('user_rhythm_unlike_owner');
    expect(['STANDING_LEVEL_CHALLENGE', 'STANDING_LEVEL_BLOCK']).toContain(risk.standing.level);
    const scored = await c.scoreSession({ sessionId: other });
    expect(scored.assessment.score).toBeGreaterThan(genuine.assessment.score);
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(scored.assessment.decision);
  });

  it('enrols a batch with typing and mouse actions once for each model, and trains both', async () => {
    const cy = await account('cy-both@example.com');
    const sessionId = await cy.login();
    for (let i = 0; i < 20; i++) {
      const events = [...typing({ hold: 95, gap: 190, keys: 30, seed: 900 + i }), ...pointerWindow(ANA_HAND, 900 + i, 10)].sort((a, b) => a.t - b.t);
      await h.ingestBatch({ batch: toWireBatch(batch({ sessionId, seq: seq++, events, context: { deviceId: 'dev-1' } })) });
    }
    const kinds = await eventually(async () => {
      const k = (await c.listModels({ scope: cy.userId })).models.map((m: any) => m.kind).sort();
      return k.length === 2 ? k : undefined;
    });
    expect(kinds).toEqual(['MODEL_KIND_USER_KEYSTROKE', 'MODEL_KIND_USER_POINTER']);
  });
});

describe('per-user pointer models are off unless asked for (CADENCE_POINTER_MODELS)', () => {
  it('by default a user who types and moves the mouse enrols no pointer window and gets only a keystroke model', async () => {
    const plain = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_ENROL_MIN_WINDOWS: '20' });
    const pc = coreClients(`127.0.0.1:${plain.core.grpcPort}`, ADMIN);
    try {
      const { userId } = await plain.identity.register({ email: 'dee-default@example.com', password: 'correct horse battery', mpin: '1357' });
      const sessionId = (await plain.identity.login({ email: 'dee-default@example.com', password: 'correct horse battery', deviceId: 'dev-1' })).sessionId as string;
      for (let i = 0; i < 20; i++) {
        const events = [...typing({ hold: 95, gap: 190, keys: 30, seed: 1900 + i }), ...pointerWindow(ANA_HAND, 1900 + i, 10)].sort((a, b) => a.t - b.t);
        await plain.ingestBatch({ batch: toWireBatch(batch({ sessionId, seq: seq++, events, context: { deviceId: 'dev-1' } })) });
      }
      const kinds = await eventually(async () => {
        const k = (await pc.listModels({ scope: userId })).models.map((m: any) => m.kind);
        return k.length ? k : undefined;
      });
      expect(kinds).toEqual(['MODEL_KIND_USER_KEYSTROKE']);
      // Enrolment is part of ingest: every batch above has been through it, and none left a pointer window.
      const db = createClient({ url: plain.dbUrl });
      try {
        const rows = (await db.execute("select kind, count(*) as n from enrolment_windows group by kind")).rows.map((r) => [r.kind, Number(r.n)]);
        expect(rows).toEqual([['keystroke', 20]]);
      } finally {
        db.close();
      }
    } finally {
      pc.close();
      await plain.stop();
    }
  });
});
