// Seed 003's model pair behind /predict: trained on tiny synthetic data (scoring/offchain/pair.ts),
// the pair file refused when corrupted, `cadence train offchain` storing a version that /predict
// then names, rollback to the bundled default, `cadence eval offchain`, feature_importance from
// the model, and /predict counted and timed in /metrics (bad input included).
import { status } from '../helpers/typed-core.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as trainOffchain } from '../../cli/train-offchain.ts';
import { run as evalOffchain } from '../../bench/eval-offchain.ts';
import { decodePair, encodePair, trainOffchainPair } from '../../scoring/offchain/pair.ts';
import { IMPORTANCE_FEATURES, pairInput, typingVector } from '../../scoring/offchain/inputs.ts';
import { synthOffchainSamples } from '../../scoring/synth/offchain-sessions.ts';
import { loadKernels } from '../../wasm/node.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { coreClients, eventually } from '../helpers/core-clients.ts';
import { rejection } from '../helpers/identity.ts';
import { botSession, freshDid, humanSession, postPredict, removeDir, startTestCore, type TestCore } from './offchain-fixtures.ts';

const ADMIN = 'offchain-admin-key-0123456789';
const TINY = ['--samples', '400', '--hidden', '16,8', '--epochs', '15', '--seed', '3'];

let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

/** Runs a CLI `run` with stdout captured; returns its exit code and the last stdout line as JSON. */
async function cli(run: (argv: string[]) => Promise<number>, argv: string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  let out = '';
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await run(argv);
    const last = out.trim().split('\n').at(-1);
    return { code, json: last ? JSON.parse(last) : null };
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
    process.env = saved;
  }
}

describe('the model pair (tiny synthetic data)', () => {
  it('trains an MLP and an autoencoder and reports held-out metrics of each', () => {
    const { pair, metrics, heldOut } = trainOffchainPair(synthOffchainSamples(400, { seed: 5 }), kernels, { seed: 5, hidden: [16, 8], maxEpochs: 15 });
    expect(heldOut).toBe(80);
    for (const m of [metrics.mlp, metrics.autoencoder, metrics.pair]) {
      expect(m.n).toBe(80);
      const c = m.confusion;
      expect(c.tp + c.fp + c.tn + c.fn).toBe(80);
      expect(m.accuracy).toBeCloseTo((c.tp + c.tn) / 80, 10);
      // Synthetic scripts and impostors are far from genuine typing: even a tiny model ranks them well.
      expect(m.auc!).toBeGreaterThan(0.8);
    }
    expect(pair.mlp.sizes).toEqual([15, 16, 8, 1]);
    expect(pair.autoencoder.sizes[0]).toBe(15);
    expect(pair.autoencoder.sizes.at(-1)).toBe(15);
  });

  it('round-trips through its file, and a corrupted file is refused', async () => {
    const { pair } = trainOffchainPair(synthOffchainSamples(200, { seed: 6 }), kernels, { seed: 6, hidden: [8], maxEpochs: 5 });
    const bytes = await encodePair(pair);
    const back = await decodePair(bytes);
    expect(back.meta).toEqual(pair.meta);
    expect(back.mlp.weights.map((w) => Array.from(w))).toEqual(pair.mlp.weights.map((w) => Array.from(w)));
    const bad = bytes.slice();
    bad[bad.length - 40]! ^= 0xff; // inside the autoencoder's model file
    await expect(decodePair(bad)).rejects.toThrow(/checksum|refused/);
    await expect(decodePair(bytes.slice(0, 100))).rejects.toThrow(/truncated/);
    await expect(decodePair(new TextEncoder().encode('CDNM....'))).rejects.toThrow(/magic/);
  });
});

describe('cadence train offchain, /predict and the registry', () => {
  let t: TestCore & { dir: string };
  beforeAll(async () => {
    t = await startTestCore({ CADENCE_ADMIN_API_KEYS: ADMIN });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    if (t) removeDir(t.dir);
  });

  it('serves the bundled default first, then a trained version; rollback returns to the default', async () => {
    const first = await postPredict(t.url, { did: freshDid(), features: humanSession(1) });
    expect(first.status).toBe(200);
    expect(first.body.model_version).toMatch(/^offchain-pair\/1\.0\.0\/[0-9a-f-]{36}$/);
    const trained = await cli(trainOffchain, TINY, { CADENCE_DB_URL: t.dbUrl });
    expect(trained.code).toBe(0);
    expect(trained.json).toMatchObject({ version: '1.1.0', active: true });
    for (const k of ['mlp_accuracy', 'mlp_precision', 'mlp_recall', 'mlp_f1', 'mlp_auc', 'autoencoder_f1', 'autoencoder_auc', 'pair_f1']) expect(typeof trained.json.metrics[k], k).toBe('number');
    // The core re-reads the active version about once a second, without holding requests up.
    let i = 2;
    const second = await eventually(async () => {
      const r = await postPredict(t.url, { did: freshDid(), features: humanSession(i++) });
      return r.body.model_version === `offchain-pair/1.1.0/${trained.json.id}` && r;
    }, 10_000);
    expect(second.body.model_sha256).toBe(`0x${trained.json.sha256}`);

    const c = coreClients(`127.0.0.1:${t.core.grpcPort}`, ADMIN);
    const back = await c.rollback({ scope: 'global', kind: 'MODEL_KIND_OFFCHAIN_PAIR' });
    expect([back.model.version, back.previous.version]).toEqual(['1.0.0', '1.1.0']);
    const third = await postPredict(t.url, { did: freshDid(), features: humanSession(4) });
    expect(third.body.model_version).toBe(`offchain-pair/1.0.0/${back.model.id}`);
    expect(third.body.model_sha256).toBe(`0x${back.model.sha256}`);
    expect((await rejection(c.rollback({ scope: 'global', kind: 'MODEL_KIND_OFFCHAIN_PAIR' }))).code).toBe(status.FAILED_PRECONDITION);
  }, 120_000);

  it('feature_importance comes from the model: shares sum to 1 and differ by session', async () => {
    const bot = (await postPredict(t.url, { did: freshDid(), features: botSession })).body;
    const human = (await postPredict(t.url, { did: freshDid(), features: { ...humanSession(5), activity_hour_preference: 14 } })).body;
    for (const b of [bot, human]) {
      expect(Object.keys(b.feature_importance).sort()).toEqual([...IMPORTANCE_FEATURES].sort());
      const total = Object.values(b.feature_importance as Record<string, number>).reduce((s, v) => s + v, 0);
      expect(Math.abs(total - 1)).toBeLessThan(0.01);
      for (const v of Object.values(b.feature_importance as Record<string, number>)) expect(v).toBeGreaterThanOrEqual(0);
    }
    // Not fixed weights: two different sessions are explained differently, and the script's is not flat.
    expect(bot.feature_importance).not.toEqual(human.feature_importance);
    expect(Math.max(...(Object.values(bot.feature_importance) as number[]))).toBeGreaterThan(1 / IMPORTANCE_FEATURES.length + 0.05);
  });

  it('counts and times /predict in /metrics, bad input included', async () => {
    const bad = await postPredict(t.url, { did: freshDid(), features: { ...humanSession(6), typing_speed_wpm: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_argument', field: 'features.typing_speed_wpm' });
    const malformed = await fetch(`${t.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'worker-key-0123456789abcdef' }, body: '{"did":' });
    expect(malformed.status).toBe(400);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const count = (s: string) => Number(new RegExp(`^cadence_offchain_predict_duration_seconds_count\\{status="${s}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    expect(count('200')).toBeGreaterThanOrEqual(5);
    expect(count('400')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^cadence_offchain_predict_duration_seconds_bucket\{le="0\.01",status="200"\} \d+$/m);
  });
});

describe('cadence eval offchain', () => {
  it('prints accuracy, precision, recall, F1, AUC and the confusion matrix of the MLP and the autoencoder', async () => {
    const r = await cli(evalOffchain, ['--bundled', '--samples', '300', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.model.source).toBe('bundled');
    expect(r.json.held_out).toMatchObject({ samples: 300, seed: 1000 });
    for (const name of ['mlp', 'autoencoder', 'pair']) {
      const m = r.json[name];
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'auc']) {
        expect(m[k], `${name}.${k}`).toBeGreaterThan(0.5);
        expect(m[k], `${name}.${k}`).toBeLessThanOrEqual(1);
      }
      expect(m.confusion.tp + m.confusion.fp + m.confusion.tn + m.confusion.fn).toBe(300);
    }
    // The training seed is refused: its people were seen in training.
    expect((await cli(evalOffchain, ['--bundled', '--samples', '300', '--seed', '0'])).code).toBe(2);
  }, 60_000);

  it('one input row for training and serving: the deviation columns stay zero without a baseline', () => {
    const { row } = pairInput(typingVector(52, 105, 150, 3.5), undefined, undefined);
    expect(Array.from(row.slice(8, 15))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
