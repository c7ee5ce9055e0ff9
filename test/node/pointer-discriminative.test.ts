// The discriminative pointer recipe measured offline (`cadence eval pointer-user --recipe
// discriminative`): a forest of the owner's windows against other users', on synthetic hands.
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminativeMetrics, discriminativeScorer, trainDiscriminative, type Group } from '../../bench/lib/pointer-discriminative.ts';
import { auc } from '../../core/models/metrics.ts';
import { gateFailures } from '../../core/models/quality-gate.ts';
import { trainRandomForest, trainRandomForestOob } from '../../scoring/models/rforest.ts';
import { Rng } from '../../scoring/models/rng.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import { loadKernels } from '../../wasm/node.ts';

const DIMS = 29;
let kernels: Kernels;
beforeAll(async () => {
  kernels = await loadKernels();
});

/** Windows of 1-3 actions of a hand centred on `centre` (unit noise per feature). */
function hand(rng: Rng, centre: number[], windows: number): Group[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
  return Array.from({ length: windows }, () => Array.from({ length: 1 + rng.int(3) }, () => Float64Array.from(centre, (c) => c + gauss())));
}

const centre = (shift: number, features: number[]) => Array.from({ length: DIMS }, (_, j) => (features.includes(j) ? shift : 0));

describe('discriminative pointer model', () => {
  const rng = new Rng(7);
  const owner = hand(rng, centre(1.5, [0, 3, 7, 12]), 60);
  const cohort = [-1, 1, 2].flatMap((s, k) => hand(rng, centre(s, [k, 5 + k, 20]), 70));

  it('tells apart a user whose actions differ from the cohort, on windows it never saw', () => {
    const m = trainDiscriminative(owner.slice(0, 50), cohort, DIMS);
    const scorer = discriminativeScorer(kernels, m, DIMS);
    const newOwner = scorer.risk(owner.slice(50));
    const newOthers = scorer.risk(hand(new Rng(9), centre(-1, [0, 5, 20]), 10));
    expect(auc(newOwner, newOthers)).toBeGreaterThan(0.9);
    // The owner's own windows sit near the calibration's middle (risk 0.1), other people's well above.
    expect(median(newOwner)).toBeLessThan(0.4);
    expect(median(newOthers)).toBeGreaterThan(0.6);
    expect(scorer.sessionRisk(owner.slice(50))).toBeLessThan(scorer.sessionRisk(hand(new Rng(9), centre(-1, [0, 5, 20]), 10)));
    scorer.dispose();
  });

  it('gives the quality gate the metrics it reads, and a separable owner passes it', () => {
    const full = trainDiscriminative(owner.slice(0, 50), cohort, DIMS);
    const metrics = discriminativeMetrics(kernels, owner.slice(0, 50), cohort, DIMS, 0.6, full);
    expect(metrics.held_back_genuine).toBe(10);
    expect(metrics.auc).toBeGreaterThan(0.9);
    expect(gateFailures(metrics)).toEqual([]);
  });

  it('cannot tell apart an owner whose hand is the cohort\'s, and the gate refuses it', () => {
    const same = centre(-1, [0, 5, 20]);
    const twin = hand(new Rng(11), same, 50);
    const crowd = hand(new Rng(12), same, 150);
    const full = trainDiscriminative(twin, crowd, DIMS);
    const metrics = discriminativeMetrics(kernels, twin, crowd, DIMS, 0.6, full);
    expect(metrics.auc).toBeLessThan(0.7);
    expect(gateFailures(metrics)).toContain('auc_low');
  });

  it('refuses to train without negatives, naming why', () => {
    expect(() => trainDiscriminative(owner, [], DIMS)).toThrow(/cohort windows, need 20/);
    expect(() => trainDiscriminative(owner, cohort.slice(0, 5), DIMS)).toThrow(/negatives/);
  });

  it('is deterministic', () => {
    const a = trainDiscriminative(owner, cohort, DIMS);
    const b = trainDiscriminative(owner, cohort, DIMS);
    expect(b.state).toEqual(a.state);
    expect(Array.from(b.forest.value)).toEqual(Array.from(a.forest.value));
  });
});

describe('trainRandomForestOob', () => {
  it("returns trainRandomForest's model and every row's out-of-bag score", () => {
    const rng = new Rng(3);
    const rows = Float64Array.from({ length: 200 * 4 }, () => rng.float());
    const labels = Array.from({ length: 200 }, (_, i) => (rows[i * 4]! > 0.5 ? 1 : 0));
    const { model, oob } = trainRandomForestOob(rows, labels, 4, { seed: 1, trees: 50 });
    expect(Array.from(model.value)).toEqual(Array.from(trainRandomForest(rows, labels, 4, { seed: 1, trees: 50 }).value));
    expect(oob.every(Number.isFinite)).toBe(true);
    // Held out, not memorised: the scores separate the classes but are not the labels themselves.
    expect(auc(oob.filter((_, i) => labels[i] === 0), oob.filter((_, i) => labels[i] === 1))).toBeGreaterThan(0.9);
    expect(oob.some((s, i) => Math.abs(s - labels[i]!) > 0.05)).toBe(true);
  });
});

function median(v: ArrayLike<number>): number {
  const s = Array.from(v).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
