// The live path's per-user protocol (bench/eval-live-per-user.ts) replayed offline with the core's own
// code: each person enrols their first `enrol` windows under the core's enrolment rule, the core's
// training and quality gate run on what was enrolled, and the owner's next `test` windows and three
// other people's are scored as the core scores them (the user's fused risk, the population's
// pre-score). No server: what the per-user session evidence is fitted and checked on.
import { enrolmentVerdict } from '../../core/enrolment/enrol-rule.ts';
import { fitsFor, fusedFromState } from '../../core/enrolment/fusion.ts';
import { meanOf, SESSION_PROFILE_WINDOWS } from '../../core/enrolment/session-profile.ts';
import { trainUserModel } from '../../core/enrolment/train.ts';
import { windowOf, WINDOW_FEATURES } from '../../core/enrolment/windows.ts';
import { enrolAndTest } from './enrol-split.ts';
import { gateFailures } from '../../core/models/quality-gate.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { PreScorer } from '../../scoring/prescore.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import type { CorpusSession } from './corpus.ts';

export interface ScoredWindow {
  /** The user's model's risk of the window (undefined: not judged). */
  userRisk?: number;
  /** The model's risk of the mean of the session's judged windows so far (core/enrolment/session-profile.ts). */
  sessionRisk?: number;
  pop: number;
  popJudged: boolean;
  reasons: string[];
}

export interface ScoredSession {
  corpus: string;
  account: string;
  typist: string;
  owner: boolean;
  windows: ScoredWindow[];
}

export interface AccountOutcome {
  corpus: string;
  subject: string;
  usable: number;
  enrolled: number;
  model: 'active' | 'refused' | 'none';
}

const IMPOSTOR_WINDOWS = 200;

/** The windows the core's enrolment rule keeps, before the user has a model. */
function enrolledWindows(pop: PreScorer, batches: readonly CorpusSession['batches'][number][]): Float64Array[] {
  return batches.flatMap((b) => {
    const w = windowOf(b.events);
    return enrolmentVerdict({ window: w, assessment: pop.score(b.events), ownModel: false }, DEFAULT_THRESHOLDS) === 'enrolled' ? [w.vector] : [];
  });
}

/**
 * Same accounts, order and impostor choice as bench/eval-live-per-user.ts. The other users' windows a
 * model is trained with (the quality gate's impostors, the session evidence's cohort) are the other
 * accounts' enrolment windows, as in the core; with `cohort`, those people's instead, so that held
 * out by person no impostor tested is in any model's cohort.
 */
export function simulatePerUser(kernels: Kernels, pop: PreScorer, people: CorpusSession[], o: { enrol: number; test: number; impostors: number; allPeers?: boolean; cohort?: CorpusSession[]; withoutCohortRisk?: boolean }) {
  const dims = WINDOW_FEATURES.length;
  const t = DEFAULT_THRESHOLDS;
  const split = new Map(people.filter((s) => s.label === 'person').flatMap((s) => {
    const w = enrolAndTest(s.batches, o.enrol, o.test);
    return w ? [[s, w] as const] : [];
  }));
  const accounts = [...split.keys()];
  const enrolled = new Map<CorpusSession, Float64Array[]>();
  const outcomes: AccountOutcome[] = [];
  const cohortPeople = o.cohort?.filter((s) => s.label === 'person') ?? [];
  for (const c of cohortPeople) {
    const w = enrolAndTest(c.batches, o.enrol, 0);
    if (w) enrolled.set(c, enrolledWindows(pop, w.enrol));
  }
  for (const a of accounts) enrolled.set(a, enrolledWindows(pop, split.get(a)!.enrol));

  const models = new Map<CorpusSession, ReturnType<typeof fusedFromState>>();
  for (const a of accounts) {
    const kept = enrolled.get(a)!;
    const usable = split.get(a)!.enrol.filter((b) => windowOf(b.events).judged).length;
    if (kept.length < o.enrol || kept.length === 0) {
      outcomes.push({ corpus: a.corpus, subject: a.subject ?? a.id, usable, enrolled: kept.length, model: 'none' });
      continue;
    }
    const rows = new Float64Array(kept.length * dims);
    kept.forEach((v, i) => rows.set(v, i * dims));
    const others = (o.cohort ? cohortPeople.filter((p) => enrolled.has(p)) : accounts.filter((p) => p !== a)).flatMap((p) => enrolled.get(p)!).slice(-IMPOSTOR_WINDOWS);
    const impostors = new Float64Array(others.length * dims);
    others.forEach((v, i) => impostors.set(v, i * dims));
    const out = trainUserModel(kernels, { rows, dims, impostors, monitor: t.monitor });
    const refused = gateFailures(out.metrics).length > 0;
    outcomes.push({ corpus: a.corpus, subject: a.subject ?? a.id, usable, enrolled: kept.length, model: refused ? 'refused' : 'active' });
    // withoutCohortRisk: the session's mean judged by the owner's calibration alone (before issue 18's cohort).
    const { cohort: _cohort, ...ownerOnly } = out.state;
    if (!refused) models.set(a, fusedFromState({ data: rows, dims }, fitsFor(kernels, kept.length, out.forest), o.withoutCohortRisk ? ownerOnly : out.state));
  }
  const sessions: ScoredSession[] = [];
  for (const a of accounts) {
    const peers = accounts.filter((p) => p.corpus === a.corpus && p !== a);
    const typists = o.allPeers ? [a, ...peers] : [a, ...Array.from({ length: Math.min(o.impostors, peers.length) }, (_, k) => peers[(accounts.indexOf(a) + k) % peers.length]!)];
    const model = models.get(a);
    for (const ty of typists) {
      const seen: Float64Array[] = [];
      const windows = split.get(ty)!.test.map((b): ScoredWindow => {
        const w = windowOf(b.events);
        const p = pop.score(b.events);
        if (!model || !w.judged) return { pop: p.score, popJudged: p.judged, reasons: p.reasons };
        seen.push(w.vector);
        const userRisk = model.risk({ data: w.vector, dims })[0]!;
        const sessionRisk = model.sessionRisk({ data: meanOf(seen.slice(-SESSION_PROFILE_WINDOWS)), dims })[0]!;
        return { userRisk, sessionRisk, pop: p.score, popJudged: p.judged, reasons: p.reasons };
      });
      sessions.push({ corpus: a.corpus, account: a.subject ?? a.id, typist: ty.subject ?? ty.id, owner: ty === a, windows });
    }
  }
  for (const m of models.values()) m.dispose();
  return { outcomes, sessions };
}
