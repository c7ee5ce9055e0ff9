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

/** Same accounts, order and impostor choice as bench/eval-live-per-user.ts. */
export function simulatePerUser(kernels: Kernels, pop: PreScorer, people: CorpusSession[], o: { enrol: number; test: number; impostors: number; allPeers?: boolean }) {
  const dims = WINDOW_FEATURES.length;
  const t = DEFAULT_THRESHOLDS;
  const split = new Map(people.filter((s) => s.label === 'person').flatMap((s) => {
    const w = enrolAndTest(s.batches, o.enrol, o.test);
    return w ? [[s, w] as const] : [];
  }));
  const accounts = [...split.keys()];
  const enrolled = new Map<CorpusSession, Float64Array[]>();
  const outcomes: AccountOutcome[] = [];
  for (const a of accounts) {
    const kept: Float64Array[] = [];
    for (const b of split.get(a)!.enrol) {
      const w = windowOf(b.events);
      const p = pop.score(b.events);
      if (enrolmentVerdict({ window: w, assessment: p, ownModel: false }, t) === 'enrolled') kept.push(w.vector);
    }
    enrolled.set(a, kept);
  }
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
    const others = accounts.filter((p) => p !== a).flatMap((p) => enrolled.get(p)!).slice(-IMPOSTOR_WINDOWS);
    const impostors = new Float64Array(others.length * dims);
    others.forEach((v, i) => impostors.set(v, i * dims));
    const out = trainUserModel(kernels, { rows, dims, impostors, monitor: t.monitor });
    const refused = gateFailures(out.metrics).length > 0;
    outcomes.push({ corpus: a.corpus, subject: a.subject ?? a.id, usable, enrolled: kept.length, model: refused ? 'refused' : 'active' });
    if (!refused) models.set(a, fusedFromState({ data: rows, dims }, fitsFor(kernels, kept.length, out.forest), out.state));
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
        const sessionRisk = model.risk({ data: meanOf(seen.slice(-SESSION_PROFILE_WINDOWS)), dims })[0]!;
        return { userRisk, sessionRisk, pop: p.score, popJudged: p.judged, reasons: p.reasons };
      });
      sessions.push({ corpus: a.corpus, account: a.subject ?? a.id, typist: ty.subject ?? ty.id, owner: ty === a, windows });
    }
  }
  for (const m of models.values()) m.dispose();
  return { outcomes, sessions };
}
