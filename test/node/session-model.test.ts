// The supervised session model end to end: trained on synthetic labelled records (never the shared
// data sets), stored in the registry through the same path as `cadence train session-model`, and
// answered by RiskService.PredictSession / PredictSessions over native gRPC and Connect JSON.
import { RiskService } from '../../client/index.ts';
import { connectTransport, status, unary } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/client.ts';
import { coreClients } from '../helpers/core-clients.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';
import { sessionRecordsFromCsv, trainSessionModelInto } from '../../cli/train-session-model.ts';
import { synthSessionRecords } from '../../scoring/synth/session-records.ts';
import { trainSessionModel, sessionRows } from '../../scoring/models/session-model.ts';
import { scoreTreesRaw } from '../../scoring/models/tree-ensemble.ts';
import { decodeModel, encodeModel, parseModel } from '../../wasm/model-format.ts';
import { SESSION_FIELDS } from '../../scoring/features/session-record.ts';

describe('trainSessionModel', () => {
  it('separates synthetic anomalies on its held-out 30 % and survives the model file round trip', async () => {
    const { records, labels } = synthSessionRecords(1500, 0.4, 1);
    const t = trainSessionModel(records, labels, { trees: 30, seed: 1 });
    expect(t.metrics.n).toBe(450);
    expect(t.metrics.auc).toBeGreaterThan(0.85);
    expect(t.metrics.f1).toBeGreaterThan(0.6);
    const bytes = await encodeModel(t.model, SESSION_FIELDS);
    const back = await decodeModel(bytes, { schema: SESSION_FIELDS, kind: 'rforest' });
    const rows = sessionRows(t.encoding, records.slice(0, 100));
    expect(Array.from(scoreTreesRaw(back as typeof t.model, rows))).toEqual(Array.from(scoreTreesRaw(t.model, rows)));
    // A flipped byte, another schema or another kind is refused, never scored.
    const bad = bytes.slice();
    bad[100] = bad[100]! ^ 1;
    expect(await parseModel(bad, { schema: SESSION_FIELDS })).toMatchObject({ ok: false, error: { reason: 'checksum' } });
    expect(await parseModel(bytes, { schema: [...SESSION_FIELDS].reverse() })).toMatchObject({ ok: false, error: { reason: 'schema' } });
    expect(await parseModel(bytes, { schema: SESSION_FIELDS, kind: 'iforest' })).toMatchObject({ ok: false, error: { reason: 'kind' } });
  });

  it('refuses too few records of a class', () => {
    const { records } = synthSessionRecords(50, 0, 2);
    expect(() => trainSessionModel(records, new Uint8Array(50), {})).toThrow(/each class/);
  });

  it('reads a CSV of session records: unknown columns ignored, is_anomaly as the label, missing cells', () => {
    const { records, labels } = sessionRecordsFromCsv('user_id,device_type,clicks,is_anomaly\nu1,mobile,3,0\nu2,,NA,1\n');
    expect(records).toEqual([{ device_type: 'mobile', clicks: 3 }, {}]);
    expect(Array.from(labels)).toEqual([0, 1]);
    expect(() => sessionRecordsFromCsv('a,label\n1,0\n')).toThrow(/none of the session fields/);
  });
});

describe('RiskService.PredictSession / PredictSessions', () => {
  let h: Harness;
  let c: ReturnType<typeof coreClients>;
  let db: Db;
  const normal = { deviceType: 'desktop', screenSize: '1920x1080', browser: 'Chrome/126', language: 'en-US', orientation: 'landscape', geolocationCity: 'London', timezone: 'Europe/London', localHour: 14, timeOnPageS: 40, clicks: 6, scrolls: 8, formSubmissions: 1, pageViews: 3, sessionDurationS: 250, bounceRate: 0.2, conversionRate: 0.1, avgSessionDurationS: 240 };
  const odd = { ...normal, geolocationCity: 'Hanoi', localHour: 3, clicks: 60, timeOnPageS: 2, pageViews: 30, sessionDurationS: 15 };

  beforeAll(async () => {
    h = await startIdentityCore();
    c = coreClients(`127.0.0.1:${h.core.grpcPort}`);
    db = await createDb(h.dbUrl);
  }, 60_000);

  afterAll(async () => {
    c?.close();
    db?.$client.close();
    await h?.stop();
  });

  it('answers FAILED_PRECONDITION before a model is trained, then the active version answers', async () => {
    expect((await rejection(c.predictSession({ features: normal }))).code).toBe(status.FAILED_PRECONDITION);
    const { records, labels } = synthSessionRecords(1200, 0.4, 3);
    const row = await trainSessionModelInto(db, records, labels, { seed: 3, trees: 30 });
    expect(row.active).toBe(true);
    expect(row.metrics.auc).toBeGreaterThan(0.85);

    const a = (await c.predictSession({ sessionId: 's-normal', features: normal })).prediction;
    const b = (await c.predictSession({ sessionId: 's-odd', features: odd })).prediction;
    expect(a).toMatchObject({ sessionId: 's-normal', isAnomaly: false, modelVersion: row.version });
    expect(b).toMatchObject({ sessionId: 's-odd', isAnomaly: true, modelVersion: row.version });
    expect(b.anomalyProbability).toBeGreaterThan(a.anomalyProbability);
    expect(a.confidence).toBeCloseTo(Math.max(a.anomalyProbability, 1 - a.anomalyProbability), 12);
    expect(a.threshold).toBeGreaterThan(0);

    // A batch answers in order, as the single calls did; a record with nothing known still answers.
    const batch = await c.predictSessions({ sessions: [{ sessionId: 'x', features: odd }, { sessionId: 'y', features: normal }, { sessionId: 'z' }] });
    expect(batch.predictions.map((p: any) => p.sessionId)).toEqual(['x', 'y', 'z']);
    expect(batch.predictions[0].anomalyProbability).toBeCloseTo(b.anomalyProbability, 12);
    expect(batch.predictions[1].anomalyProbability).toBeCloseTo(a.anomalyProbability, 12);
    // An unseen category is encoded, not refused.
    const unseen = (await c.predictSession({ features: { ...normal, browser: 'Lynx/2', geolocationCity: 'Atlantis' } })).prediction;
    expect(unseen.anomalyProbability).toBeGreaterThanOrEqual(0);

    // A newer version no worse on the same held-out split takes over without a restart.
    const next = await trainSessionModelInto(db, records, labels, { seed: 3, trees: 40 });
    expect(next.metrics.auc).toBeGreaterThanOrEqual(next.metrics.active_auc_on_split!);
    expect(next.active).toBe(true);
    expect((await c.predictSession({ features: normal })).prediction.modelVersion).toBe(next.version);
  });

  it('keeps a candidate that scores worse than the active model on its held-out split inactive', async () => {
    const { records, labels } = synthSessionRecords(1200, 0.4, 3);
    const active = (await c.predictSession({ features: normal })).prediction.modelVersion;
    // One tree: the same split, a worse AUC on it.
    const worse = await trainSessionModelInto(db, records, labels, { seed: 3, trees: 1 });
    expect(worse.metrics.auc).toBeLessThan(worse.metrics.active_auc_on_split!);
    expect(worse.active).toBe(false);
    expect((await c.predictSession({ features: normal })).prediction.modelVersion).toBe(active);
    const listed = await db.$client.execute({ sql: 'select version, active from models where kind = ? order by rowid', args: ['session-forest'] });
    expect(listed.rows.map((r) => [r.version, Number(r.active)])).toEqual([['1.0.0', 0], ['1.1.0', 1], ['1.2.0', 0]]);
  });

  it('refuses bad input with INVALID_ARGUMENT naming the field', async () => {
    const details = async (p: Promise<unknown>) => {
      const err = await rejection(p);
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      return err.details;
    };
    expect(await details(c.predictSession({ features: { ...normal, clicks: -1 } }))).toMatch(/^features\.clicks:/);
    expect(await details(c.predictSession({ features: { ...normal, bounceRate: 1.5 } }))).toMatch(/^features\.bounceRate:/);
    expect(await details(c.predictSession({ features: { ...normal, localHour: 24 } }))).toMatch(/^features\.localHour:/);
    expect(await details(c.predictSession({ features: { ...normal, browser: 'x'.repeat(200) } }))).toMatch(/^features\.browser:/);
    expect(await details(c.predictSession({ sessionId: 's'.repeat(129), features: normal }))).toMatch(/^sessionId:/);
    expect(await details(c.predictSessions({ sessions: [] }))).toMatch(/^sessions:/);
    expect(await details(c.predictSessions({ sessions: [{ features: normal }, { features: { ...normal, scrolls: -3 } }] }))).toMatch(/^sessions\.1\.features\.scrolls:/);
    expect(await details(c.predictSessions({ sessions: Array.from({ length: 1001 }, () => ({})) }))).toMatch(/^sessions:/);
  });

  it('answers over Connect JSON too, and refuses a NaN with the field', async () => {
    const { transport } = connectTransport(`http://127.0.0.1:${h.core.httpPort}`);
    const predictSession = unary(transport, RiskService, 'predictSession');
    const ok = await predictSession({ sessionId: 'j', features: odd });
    expect(ok.prediction).toMatchObject({ sessionId: 'j', isAnomaly: true });
    const many = await unary(transport, RiskService, 'predictSessions')({ sessions: [{ features: normal }, { features: odd }] });
    expect(many.predictions).toHaveLength(2);
    const bad = await rejection(predictSession({ features: { ...normal, clicks: 'NaN' } }));
    expect([bad.code, bad.fieldViolations.map((v) => v.field)]).toEqual([status.INVALID_ARGUMENT, ['features.clicks']]);
  });
});

describe('automatic retraining from analysts labels', () => {
  const ADMIN = 'retrain-admin-key-5d1e0b7a';
  let db: Db;
  let h: Harness;
  let c: ReturnType<typeof coreClients>;
  const camel = (k: string) => k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

  beforeAll(async () => {
    h = await startIdentityCore({ CADENCE_ADMIN_API_KEYS: `ops:${ADMIN}`, CADENCE_SESSION_RETRAIN_LABELS: '150', CADENCE_SESSION_RETRAIN_TREES: '20' });
    c = coreClients(`127.0.0.1:${h.core.grpcPort}`, ADMIN);
    db = await createDb(h.dbUrl);
  }, 60_000);

  afterAll(async () => {
    c?.close();
    db?.$client.close();
    await h?.stop();
  });

  it('keeps the context sent with PredictSessions, and trains a model once 150 sessions are labelled, activated when no worse', async () => {
    const n = 200;
    const { records, labels } = synthSessionRecords(n, 0.5, 7);
    const ids = records.map((_, i) => `auto-${i}`);
    for (const sessionId of ids) {
      await h.ingestBatch({ batch: { sessionId, batchId: `${sessionId}-b`, seq: 0, consent: true, context: { deviceId: 'dev-1' }, events: [{ type: 'EVENT_TYPE_FOCUS', t: 1 }] } });
    }
    const features = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [camel(k), v])));
    const batch = { sessions: ids.map((sessionId, i) => ({ sessionId, features: features[i] })) };
    const kept = async () => Number((await db.$client.execute('select count(*) as n from session_records')).rows[0]!.n);
    // No model yet: the call is refused and keeps nothing. A first (weak: one tree) model is trained
    // as an operator would; from then on the context of answered calls is kept.
    expect((await rejection(c.predictSessions(batch))).code).toBe(status.FAILED_PRECONDITION);
    expect(await kept()).toBe(0);
    const boot = synthSessionRecords(60, 0.5, 8);
    const first = await trainSessionModelInto(db, boot.records, boot.labels, { seed: 8, trees: 1 });
    expect((await c.predictSessions(batch)).predictions).toHaveLength(n);
    expect(await kept()).toBe(n);
    const list = async () => (await c.listModels({ kind: 'MODEL_KIND_SESSION_FOREST' })).models as { id: string; version: string; active: boolean; metrics: Record<string, number> }[];
    // 'unsure' labels are left out of training; 149 usable labels do not start one.
    for (let i = 0; i < 154; i++) {
      const label = i < 5 ? 'SESSION_LABEL_UNSURE' : labels[i] ? (i % 2 ? 'SESSION_LABEL_BOT' : 'SESSION_LABEL_ACCOUNT_TAKEOVER') : 'SESSION_LABEL_GENUINE';
      await c.labelSession({ sessionId: ids[i], label, analyst: 'ana', note: '' });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await list()).map((m) => m.id)).toEqual([first.id]);
    for (let i = 154; i < n; i++) await c.labelSession({ sessionId: ids[i], label: labels[i] ? 'SESSION_LABEL_BOT' : 'SESSION_LABEL_GENUINE', analyst: 'ana', note: '' });
    const end = Date.now() + 60_000;
    let models = await list();
    while (models.length === 1 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      models = await list();
    }
    expect(models).toHaveLength(2);
    const [m] = models; // newest first
    // Judged against the one-tree model on the new model's held-out sessions, and better there.
    expect(m!.metrics.auc).toBeGreaterThanOrEqual(m!.metrics.active_auc_on_split!);
    expect(m!.active).toBe(true);
    expect(m!.metrics.trees).toBe(20);
    expect(m!.metrics.labelled_sessions).toBeGreaterThanOrEqual(150);
    expect(m!.metrics.labelled_sessions).toBeLessThanOrEqual(n - 5);
    // It answers, and the context of a session that was never predicted is not needed for it.
    const answer = (await c.predictSession({ sessionId: 'fresh', features: features[0] })).prediction;
    expect(answer.modelVersion).toBe(m!.version);
  }, 120_000);
});
