// The core's split fusion (held-out half in a worker, scorer rebuilt from plain state) must score
// exactly as scoring/detectors/fusion.ts's fitFusion does, with and without the forest member.
import { describe, expect, it } from 'vitest';
import { COHORT_MIN_WINDOWS, cohortRisk, fitsFor, fusedFromState, fusionState, recipeFits, trainUserForest } from '../../core/enrolment/fusion.ts';
import { trainInWorker } from '../../core/enrolment/jobs.ts';
import { trainUserModel } from '../../core/enrolment/train.ts';
import { windowOf, WINDOW_FEATURES } from '../../core/enrolment/windows.ts';
import { fitFusion } from '../../scoring/detectors/fusion.ts';
import { userDetectorFits } from '../../scoring/detectors/recipe.ts';
import { loadKernels } from '../../wasm/node.ts';
import { botTyping, typing } from '../helpers/batches.ts';

const dims = WINDOW_FEATURES.length;
const rowsOf = (windows: ReturnType<typeof typing>[]) => Float64Array.from(windows.flatMap((w) => Array.from(windowOf(w).vector)));

describe('split fusion', () => {
  it.each([12, 55])('matches fitFusion risks and reasons with %i enrolment windows', async (n) => {
    const k = await loadKernels();
    const train = { data: rowsOf(Array.from({ length: n }, (_, i) => typing({ hold: 105, gap: 210, keys: 30, seed: i }))), dims };
    const probe = { data: rowsOf([typing({ hold: 105, gap: 210, keys: 30, seed: 999 }), typing({ hold: 70, gap: 140, keys: 30, seed: 3 }), botTyping()]), dims };
    const reference = fitFusion(train, userDetectorFits({ scaledManhattan: k.scaledManhattan, loadForest: (m) => k.loadForest(m) }, n));
    const forest = trainUserForest(train);
    const state = JSON.parse(JSON.stringify(fusionState(train, recipeFits(k, n)))); // survives storage as JSON
    const rebuilt = fusedFromState(train, fitsFor(k, n, forest), state);
    expect(Array.from(rebuilt.risk(probe))).toEqual(Array.from(reference.risk(probe)));
    const row = probe.data.subarray(dims, 2 * dims);
    expect(rebuilt.reasons(row).map((r) => [r.feature, r.direction])).toEqual(reference.reasons(row).map((r) => [r.feature, r.direction]));
    expect(reference.risk(probe)[2]).toBeGreaterThan(0.9); // the bot
    reference.dispose?.();
    rebuilt.dispose();
  });

  it('trains in a worker thread with the same result as inline', async () => {
    const k = await loadKernels();
    const rows = rowsOf(Array.from({ length: 50 }, (_, i) => typing({ hold: 105, gap: 210, keys: 30, seed: i })));
    const impostors = rowsOf(Array.from({ length: 10 }, (_, i) => typing({ hold: 70, gap: 140, keys: 30, seed: 100 + i })));
    const input = { rows, dims, impostors, monitor: 0.4 };
    const [worker, inline] = [await trainInWorker(input), trainUserModel(k, input)];
    expect(worker.state).toEqual(inline.state);
    expect(worker.metrics).toEqual(inline.metrics);
    expect(Array.from(worker.forest.thresholds)).toEqual(Array.from(inline.forest.thresholds));
    expect(inline.metrics).toMatchObject({ trained_windows: 50, held_back_genuine: 10, held_back_impostor: 10 });
    expect(inline.metrics.auc).toBeGreaterThan(0.9);
  }, 60_000);

  it("judges the gate's EER and AUC on every enrolment window held out: separates other typists, not the owner's own later windows", async () => {
    const k = await loadKernels();
    const owner = (seed: number) => typing({ hold: 105, gap: 210, keys: 30, seed });
    const rows = rowsOf(Array.from({ length: 20 }, (_, i) => owner(i)));
    const others = trainUserModel(k, { rows, dims, impostors: rowsOf(Array.from({ length: 30 }, (_, i) => typing({ hold: 75, gap: 150, keys: 30, seed: 300 + i }))), monitor: 0.4 });
    // every window judged, not the 4 held back (whose EER moved in steps of a quarter)
    expect(others.metrics).toMatchObject({ trained_windows: 20, held_back_genuine: 4, held_back_impostor: 30, separation_genuine: 20 });
    expect(others.metrics.auc).toBeGreaterThan(0.9);
    expect(others.metrics.eer).toBeLessThan(0.15);
    // "impostors" who are the owner's own rhythm: no separation, so the gate must see none
    const same = trainUserModel(k, { rows, dims, impostors: rowsOf(Array.from({ length: 30 }, (_, i) => owner(500 + i))), monitor: 0.4 });
    expect(same.metrics.auc).toBeLessThan(0.75);
    expect(same.metrics.eer).toBeGreaterThan(0.25);
  });

  it('places a session mean between the owner (0.1) and other users (0.6) when trained with a cohort', async () => {
    const k = await loadKernels();
    const owner = (seed: number) => typing({ hold: 105, gap: 210, keys: 30, seed });
    const other = (seed: number) => typing({ hold: 80, gap: 160, keys: 30, seed });
    const rows = rowsOf(Array.from({ length: 20 }, (_, i) => owner(i)));
    const cohort = rowsOf(Array.from({ length: 30 }, (_, i) => other(200 + i)));
    const out = trainUserModel(k, { rows, dims, impostors: cohort, monitor: 0.4 });
    expect(out.state.cohort).toBeDefined();
    const scorer = fusedFromState({ data: rows, dims }, fitsFor(k, 20, out.forest), JSON.parse(JSON.stringify(out.state)));
    const mean = (ws: Float64Array) => {
      const m = new Float64Array(dims);
      const n = ws.length / dims;
      for (let i = 0; i < ws.length; i++) m[i % dims] = m[i % dims]! + ws[i]! / n;
      return m;
    };
    const ownSession = scorer.sessionRisk({ data: mean(rowsOf(Array.from({ length: 10 }, (_, i) => owner(500 + i)))), dims })[0]!;
    const otherSession = scorer.sessionRisk({ data: mean(rowsOf(Array.from({ length: 10 }, (_, i) => other(600 + i)))), dims })[0]!;
    expect(ownSession).toBeLessThan(0.2);
    expect(otherSession).toBeGreaterThan(0.4);
    // The window's own risk (decisions, enrolment) does not read the cohort.
    const { cohort: _c, ...ownerOnly } = out.state;
    const plain = fusedFromState({ data: rows, dims }, fitsFor(k, 20, out.forest), ownerOnly);
    const probe = { data: rowsOf([owner(700), other(701)]), dims };
    expect(Array.from(scorer.risk(probe))).toEqual(Array.from(plain.risk(probe)));
    expect(Array.from(plain.sessionRisk(probe))).toEqual(Array.from(plain.risk(probe)));
    scorer.dispose();
    plain.dispose();
  });

  it('keeps no cohort from too few other users\' windows, and maps owner median and cohort median to 0.1 and 0.6', async () => {
    const k = await loadKernels();
    const rows = rowsOf(Array.from({ length: 20 }, (_, i) => typing({ hold: 105, gap: 210, keys: 30, seed: i })));
    const few = rowsOf(Array.from({ length: COHORT_MIN_WINDOWS - 1 }, (_, i) => typing({ hold: 80, gap: 160, keys: 30, seed: 300 + i })));
    expect(trainUserModel(k, { rows, dims, impostors: few, monitor: 0.4 }).state.cohort).toBeUndefined();
    expect(cohortRisk(1, 1, 2, 3)).toBeCloseTo(0.1);
    expect(cohortRisk(3, 1, 2, 3)).toBeCloseTo(0.6);
    expect(cohortRisk(2, 1, 2, 1.2)).toBeCloseTo(0.6); // a cohort closer than the owner's own edge is floored at it
    expect(cohortRisk(Number.NaN, 1, 2, 3)).toBe(1);
  });
});
