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
function enrolFrom(pop: PreScorer, windows: readonly BatchEvent[][], enrol: number, minActions: number): { vectors: Float64Array[]; read: number } {
  const vectors: Float64Array[] = [];
  let read = 0;
  for (const events of windows) {
    if (vectors.length >= enrol) break;
    read++;
    const w = pointerWindowOf(events, minActions);
    if (enrolmentVerdict({ window: w, assessment: pop.score(events), ownModel: false }, DEFAULT_THRESHOLDS) === 'enrolled') vectors.push(w.vector);
  }
  return { vectors, read };
}

export function simulatePointerUsers(kernels: Kernels, pop: PreScorer, people: readonly PointerPerson[], o: { enrol: number; test: number; minActions: number; allChunks?: boolean; cohort?: readonly PointerPerson[]; gate?: 'on' | 'off' }) {
  const dims = POINTER_WINDOW_FEATURES.length;
  const t = DEFAULT_THRESHOLDS;
  const enrolled = new Map<PointerPerson, { vectors: Float64Array[]; read: number }>();
  for (const p of [...people, ...(o.cohort ?? [])]) enrolled.set(p, enrolFrom(pop, p.sessions[0] ?? [], o.enrol, o.minActions));
  const accounts: PointerAccount[] = [];
  const models = new Map<PointerPerson, ReturnType<typeof fusedFromState>>();
  for (const a of people) {
    const { vectors, read } = enrolled.get(a)!;
    if (vectors.length < o.enrol) {
      accounts.push({ subject: a.subject, windowsRead: read, enrolled: vectors.length, model: 'none', failures: [] });
      continue;
    }
    const rows = new Float64Array(vectors.length * dims);
    vectors.forEach((v, i) => rows.set(v, i * dims));
    // As the core: the newest other users' enrolment windows (held out: the other half's people).
    const others = (o.cohort ?? people.filter((p) => p !== a)).flatMap((p) => enrolled.get(p)!.vectors).slice(-IMPOSTOR_WINDOWS);
    const impostors = new Float64Array(others.length * dims);
    others.forEach((v, i) => impostors.set(v, i * dims));
    const out = trainUserModel(kernels, { rows, dims, impostors, monitor: t.monitor });
    const failures = gateFailures(out.metrics);
    accounts.push({ subject: a.subject, windowsRead: read, enrolled: vectors.length, model: failures.length ? 'refused' : 'active', failures, metrics: out.metrics });
    // gate 'off' (CADENCE_ENROL_QUALITY_GATE=off): every model is used, to measure the modality itself.
    if (!failures.length || o.gate === 'off') models.set(a, fusedFromState({ data: rows, dims }, fitsFor(kernels, vectors.length, out.forest), out.state));
  }
  const sessions: ScoredSession[] = [];
  for (const a of people) {
    const model = models.get(a);
    if (!model) continue;
    for (const ty of people) {
      const chunks = testSessions(ty.sessions[1] ?? [], o.test, o.minActions);
      for (const chunk of o.allChunks ? chunks : chunks.slice(0, 1)) {
        const seen: Float64Array[] = [];
        const windows = chunk.map((events): ScoredWindow => {
          const w = pointerWindowOf(events, o.minActions);
          const p = pop.score(events);
          if (!w.judged) return { pop: p.score, popJudged: p.judged, reasons: p.reasons };
          seen.push(w.vector);
          const userRisk = model.risk({ data: w.vector, dims })[0]!;
          const sessionRisk = model.sessionRisk({ data: meanOf(seen.slice(-SESSION_PROFILE_WINDOWS)), dims })[0]!;
          return { userRisk, sessionRisk, pop: p.score, popJudged: p.judged, reasons: p.reasons };
        });
        sessions.push({ corpus: 'balabit-mouse', account: a.subject, typist: ty.subject, owner: ty === a, windows });
      }
    }
  }
  for (const m of models.values()) m.dispose();
  return { accounts, sessions };
}
