// The live path's per-user protocol for pointer windows, replayed offline with the core's own code
// (as bench/lib/user-sessions.ts does for keystroke): per person, the first recorded session is
// enrolled window by window under the core's enrolment rule until the model's threshold, the core's
// training (the fused one-class recipe) and quality gate run on what was enrolled, and then the
// person's second session and other people's second sessions are scored under the account as the
// core scores a window (the user's risk of the window, the risk of the session's mean window so far).
import { enrolmentVerdict } from '../../core/enrolment/enrol-rule.ts';
import { fitsFor, fusedFromState } from '../../core/enrolment/fusion.ts';
import { pointerWindowOf, POINTER_WINDOW_FEATURES } from '../../core/enrolment/pointer-windows.ts';
import { meanOf, SESSION_PROFILE_WINDOWS } from '../../core/enrolment/session-profile.ts';
import { trainUserModel } from '../../core/enrolment/train.ts';
import { gateFailures, type GateFailure } from '../../core/models/quality-gate.ts';
import type { TrainingMetrics } from '../../core/models/metrics.ts';
import { discriminativeMetrics, discriminativeScorer, trainDiscriminative, type Group, type GroupScorer } from './pointer-discriminative.ts';
import { actionVector, MOUSE_ACTION_FEATURES, mouseActions } from '../../scoring/features/mouse-actions.ts';
import { DEFAULT_THRESHOLDS } from '../../scoring/policy.ts';
import type { PreScorer } from '../../scoring/prescore.ts';
import type { Kernels } from '../../wasm/kernels.ts';
import type { ScoredSession, ScoredWindow } from './user-sessions.ts';
import type { BatchEvent } from '../../scoring/batch.ts';

/** A person with their recorded sessions, each already cut into the collector's windows. */
export interface PointerPerson {
  subject: string;
  sessions: BatchEvent[][][];
}

export interface PointerAccount {
  subject: string;
  /** Windows of the first session read before the model's threshold was met (the time to a model). */
  windowsRead: number;
  enrolled: number;
  model: 'active' | 'refused' | 'none';
  failures: GateFailure[];
  metrics?: TrainingMetrics;
}

const IMPOSTOR_WINDOWS = 200;

/**
 * How a pointer model is trained: 'one-class' (the core's fused recipe on the owner's windows alone)
 * or 'discriminative' (bench/lib/pointer-discriminative.ts: a random forest of the owner against
 * the cohort), on window means ('window') or on single actions averaged over the window ('action').
 */
export type PointerRecipe = { recipe: 'one-class' } | { recipe: 'discriminative'; unit: 'window' | 'action' };

interface Enrolled {
  vectors: Float64Array[];
  /** Per enrolled window, its mouse actions' vectors. */
  actions: Float64Array[][];
  read: number;
}

/** What a window is to a discriminative model: its mean action or each of its actions. */
const unitsOf = (unit: 'window' | 'action', vector: Float64Array, actions: Float64Array[]): Group => (unit === 'window' ? [vector] : actions);
const actionsOf = (events: readonly BatchEvent[]) => mouseActions(events).map(actionVector);

/** A trained model as the harness scores it: one window's risk, and the risk of the session so far. */
interface PointerScorer {
  window(vector: Float64Array, actions: Float64Array[]): number;
  /** The session's judged windows so far (the newest SESSION_PROFILE_WINDOWS are used). */
  session(vectors: Float64Array[], actions: Float64Array[][]): number;
  dispose(): void;
}

function oneClassScorer(model: ReturnType<typeof fusedFromState>, dims: number): PointerScorer {
  return {
    window: (vector) => model.risk({ data: vector, dims })[0]!,
    session: (vectors) => model.sessionRisk({ data: meanOf(vectors.slice(-SESSION_PROFILE_WINDOWS)), dims })[0]!,
    dispose: () => model.dispose(),
  };
}

function groupScorer(model: GroupScorer, unit: 'window' | 'action'): PointerScorer {
  const groups = (vectors: Float64Array[], actions: Float64Array[][]) => vectors.map((v, i) => unitsOf(unit, v, actions[i]!)).slice(-SESSION_PROFILE_WINDOWS);
  return {
    window: (vector, actions) => model.risk([unitsOf(unit, vector, actions)])[0]!,
    // Window unit: the session's mean window, as the core scores it; action unit: every action of the session's windows, averaged (the literature's session score).
    session: (vectors, actions) => (unit === 'window' ? model.sessionRisk([[meanOf(vectors.slice(-SESSION_PROFILE_WINDOWS))]]) : model.sessionRisk(groups(vectors, actions))),
    dispose: () => model.dispose(),
  };
}

/** Windows of a session split into consecutive test sessions of `judged` judged windows each (the last partial one dropped). */
export function testSessions(windows: readonly BatchEvent[][], judged: number, minActions: number): BatchEvent[][][] {
  const out: BatchEvent[][][] = [];
  let current: BatchEvent[][] = [];
  let n = 0;
  for (const w of windows) {
    current.push(w);
    if (pointerWindowOf(w, minActions).judged && ++n === judged) {
      out.push(current);
      current = [];
      n = 0;
    }
  }
  return out;
}

/** The first session's enrolled windows, read in order until `enrol` were enrolled. */
function enrolFrom(pop: PreScorer, windows: readonly BatchEvent[][], enrol: number, minActions: number, withActions: boolean): Enrolled {
  const vectors: Float64Array[] = [];
  const actions: Float64Array[][] = [];
  let read = 0;
  for (const events of windows) {
    if (vectors.length >= enrol) break;
    read++;
    const w = pointerWindowOf(events, minActions);
    if (enrolmentVerdict({ window: w, assessment: pop.score(events), ownModel: false }, DEFAULT_THRESHOLDS) === 'enrolled') {
      vectors.push(w.vector);
      actions.push(withActions ? actionsOf(events) : []);
    }
  }
  return { vectors, actions, read };
}

export function simulatePointerUsers(kernels: Kernels, pop: PreScorer, people: readonly PointerPerson[], o: { enrol: number; test: number; minActions: number; allChunks?: boolean; cohort?: readonly PointerPerson[]; gate?: 'on' | 'off'; recipe?: PointerRecipe }) {
  const recipe = o.recipe ?? { recipe: 'one-class' };
  const dims = POINTER_WINDOW_FEATURES.length;
  const t = DEFAULT_THRESHOLDS;
  const enrolled = new Map<PointerPerson, Enrolled>();
  for (const p of [...people, ...(o.cohort ?? [])]) enrolled.set(p, enrolFrom(pop, p.sessions[0] ?? [], o.enrol, o.minActions, recipe.recipe === 'discriminative' && recipe.unit === 'action'));
  const accounts: PointerAccount[] = [];
  const models = new Map<PointerPerson, PointerScorer>();
  for (const a of people) {
    const { vectors, read } = enrolled.get(a)!;
    if (vectors.length < o.enrol) {
      accounts.push({ subject: a.subject, windowsRead: read, enrolled: vectors.length, model: 'none', failures: [] });
      continue;
    }
    const rows = new Float64Array(vectors.length * dims);
    vectors.forEach((v, i) => rows.set(v, i * dims));
    // As the core: the newest other users' enrolment windows (held out: the other half's people).
    const cohortOf = (p: PointerPerson) => enrolled.get(p)!;
    const cohortPeople = o.cohort ?? people.filter((p) => p !== a);
    const others = cohortPeople.flatMap((p) => cohortOf(p).vectors).slice(-IMPOSTOR_WINDOWS);
    if (recipe.recipe === 'discriminative') {
      // The same cohort windows as the one-class recipe's impostors, here its negatives.
      const unit = recipe.unit;
      const own = vectors.map((v, i) => unitsOf(unit, v, enrolled.get(a)!.actions[i]!));
      const neg = cohortPeople.flatMap((p) => cohortOf(p).vectors.map((v, i) => unitsOf(unit, v, cohortOf(p).actions[i]!))).slice(-IMPOSTOR_WINDOWS);
      const unitDims = unit === 'window' ? dims : MOUSE_ACTION_FEATURES.length;
      const full = trainDiscriminative(own, neg, unitDims);
      const metrics = discriminativeMetrics(kernels, own, neg, unitDims, t.monitor, full);
      const failures = gateFailures(metrics);
      accounts.push({ subject: a.subject, windowsRead: read, enrolled: vectors.length, model: failures.length ? 'refused' : 'active', failures, metrics });
      if (!failures.length || o.gate === 'off') models.set(a, groupScorer(discriminativeScorer(kernels, full, unitDims), unit));
      continue;
    }
    const impostors = new Float64Array(others.length * dims);
    others.forEach((v, i) => impostors.set(v, i * dims));
    const out = trainUserModel(kernels, { rows, dims, impostors, monitor: t.monitor });
    const failures = gateFailures(out.metrics);
    accounts.push({ subject: a.subject, windowsRead: read, enrolled: vectors.length, model: failures.length ? 'refused' : 'active', failures, metrics: out.metrics });
    // gate 'off' (CADENCE_ENROL_QUALITY_GATE=off): every model is used, to measure the modality itself.
    if (!failures.length || o.gate === 'off') models.set(a, oneClassScorer(fusedFromState({ data: rows, dims }, fitsFor(kernels, vectors.length, out.forest), out.state), dims));
  }
  const sessions: ScoredSession[] = [];
  for (const a of people) {
    const model = models.get(a);
    if (!model) continue;
    for (const ty of people) {
      const chunks = testSessions(ty.sessions[1] ?? [], o.test, o.minActions);
      for (const chunk of o.allChunks ? chunks : chunks.slice(0, 1)) {
        const seen: Float64Array[] = [];
        const seenActions: Float64Array[][] = [];
        const windows = chunk.map((events): ScoredWindow => {
          const w = pointerWindowOf(events, o.minActions);
          const p = pop.score(events);
          if (!w.judged) return { pop: p.score, popJudged: p.judged, reasons: p.reasons };
          const acts = recipe.recipe === 'discriminative' && recipe.unit === 'action' ? actionsOf(events) : [];
          seen.push(w.vector);
          seenActions.push(acts);
          const userRisk = model.window(w.vector, acts);
          const sessionRisk = model.session(seen, seenActions);
          return { userRisk, sessionRisk, pop: p.score, popJudged: p.judged, reasons: p.reasons };
        });
        sessions.push({ corpus: 'balabit-mouse', account: a.subject, typist: ty.subject, owner: ty === a, windows });
      }
    }
  }
  for (const m of models.values()) m.dispose();
  return { accounts, sessions };
}
