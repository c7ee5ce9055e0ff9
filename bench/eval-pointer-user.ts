// `cadence eval pointer-user [--balabit DIR] [--enrol 50] [--test 20] [--min-actions 2] [--all-chunks]
//   [--gate on|off] [--repeats 5] [--recipe one-class|discriminative] [--unit window|action] [--json]`: a per-user POINTER model measured offline before the live path (issue 18
// item 1), with the core's own enrolment rule, training (the fused one-class recipe), quality gate and
// window/session scoring replayed (bench/lib/pointer-sessions.ts). Balabit's training sessions, two
// per user: each user enrols on their first session's windows (3-s collector cuts; a window is judged
// with --min-actions mouse actions, core/enrolment/pointer-windows.ts) until --enrol were enrolled;
// the owner's test is their second session, the impostors' the other users' second sessions, each cut
// to its first --test judged windows (--all-chunks: every consecutive run of --test judged windows).
// Reports per-window and session EERs and the sessions the session evidence (scoring/session-evidence.ts
// with the keystroke-fitted owner table, scoring/owner-evidence.ts) flags after 10 and --test judged
// windows: as the core would (the other accounts' enrolment windows as each model's cohort) and held
// out by person (random halves, each model's cohort from the other half, --repeats splits), where a
// pointer owner table is also fitted on one half and judged on the other. --gate off uses every
// model whatever the quality gate says (the modality itself; the core's default is on).
// --recipe discriminative trains each model as a random forest of the owner against the same cohort
// windows (bench/lib/pointer-discriminative.ts) on window means (--unit window) or single
// actions averaged over the window (--unit action); the default is the core's one-class recipe.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eer } from '../core/models/metrics.ts';
import { POINTER_MIN_ACTIONS } from '../core/enrolment/pointer-windows.ts';
import { DEFAULT_THRESHOLDS } from '../scoring/policy.ts';
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import population from '../scoring/population-keystroke.json' with { type: 'json' };
import { OWNER_EVIDENCE, type OwnerTable } from '../scoring/owner-evidence.ts';
import { accumulate, EVIDENCE_MODEL, NO_EVIDENCE } from '../scoring/session-evidence.ts';
import { Rng } from '../scoring/models/rng.ts';
import { loadKernels } from '../wasm/node.ts';
import { flag, intOption, option } from './lib/args.ts';
import { windows } from './lib/corpus.ts';
import { listSessions, readBalabitSession } from './lib/mouse-balabit.ts';
import { simulatePointerUsers, type PointerPerson, type PointerRecipe } from './lib/pointer-sessions.ts';
import type { ScoredSession } from './lib/user-sessions.ts';
import { fitOwnerTable } from './eval-user-sessions.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../shared/datasets/mouse/balabit-training', import.meta.url));

const risks = (s: ScoredSession) => s.windows.flatMap((w) => (w.userRisk === undefined ? [] : [w.userRisk]));
const sessionRisks = (s: ScoredSession) => s.windows.flatMap((w) => (w.sessionRisk === undefined ? [] : [w.sessionRisk]));
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

/** Whether the session's evidence reached challenge by its `n`-th judged pointer window. */
function flagged(s: ScoredSession, n: number, table: OwnerTable): boolean {
  let e = NO_EVIDENCE;
  let judged = 0;
  for (const w of s.windows) {
    if (judged >= n) break;
    if (w.userRisk !== undefined) judged++;
    e = accumulate(e, { judged: w.popJudged || w.userRisk !== undefined, reasons: w.reasons, ...(w.sessionRisk === undefined ? {} : { ownerRisk: w.sessionRisk }) }, { ...EVIDENCE_MODEL, owner: table });
    if (e.llr >= EVIDENCE_MODEL.challengeAt) return true;
  }
  return false;
}

function summary(sessions: readonly ScoredSession[], test: number, table: OwnerTable) {
  const owners = sessions.filter((s) => s.owner);
  const impostors = sessions.filter((s) => !s.owner);
  const pct = (v: boolean[]) => (v.length ? Math.round((1000 * v.filter(Boolean).length) / v.length) / 10 : null);
  return {
    owner_sessions: owners.length,
    impostor_sessions: impostors.length,
    window_eer: r3(eer(owners.flatMap(risks), impostors.flatMap(risks))),
    session_eer_mean_risk: r3(eer(owners.map((s) => mean(risks(s))), impostors.map((s) => mean(risks(s))))),
    session_eer_of_mean_window: r3(eer(owners.map((s) => sessionRisks(s).at(-1)!), impostors.map((s) => sessionRisks(s).at(-1)!))),
    flagged: [...new Set([10, test])].filter((n) => n <= test).map((n) => ({ judged_windows: n, owners_pct: pct(owners.map((s) => flagged(s, n, table))), impostors_pct: pct(impostors.map((s) => flagged(s, n, table))) })),
  };
}

export async function run(argv: string[]): Promise<number> {
  const dir = option(argv, 'balabit') ?? (existsSync(DEFAULT_DIR) ? DEFAULT_DIR : undefined);
  if (!dir) {
    process.stderr.write('usage: cadence eval pointer-user --balabit DIR (userN/session_*, two or more per user) [--enrol 50] [--test 20] [--min-actions 2] [--all-chunks] [--gate on|off] [--repeats 5] [--recipe one-class|discriminative] [--unit window|action] [--json]\n');
    return 2;
  }
  const enrol = intOption(argv, 'enrol', 50);
  const test = intOption(argv, 'test', 20);
  const minActions = intOption(argv, 'min-actions', POINTER_MIN_ACTIONS);
  const repeats = intOption(argv, 'repeats', 5);
  const allChunks = flag(argv, 'all-chunks');
  const gate = option(argv, 'gate') ?? 'on';
  if (gate !== 'on' && gate !== 'off') throw new Error('--gate must be on or off');
  const recipeName = option(argv, 'recipe') ?? 'one-class';
  const unit = option(argv, 'unit') ?? 'window';
  if (recipeName !== 'one-class' && recipeName !== 'discriminative') throw new Error('--recipe must be one-class or discriminative');
  if (unit !== 'window' && unit !== 'action') throw new Error('--unit must be window or action');
  const recipe: PointerRecipe = recipeName === 'one-class' ? { recipe: 'one-class' } : { recipe: 'discriminative', unit };
  const bySubject = new Map<string, PointerPerson>();
  for (const f of await listSessions(dir)) {
    const p = bySubject.get(f.user) ?? { subject: f.user, sessions: [] };
    p.sessions.push(windows(await readBalabitSession(f.file)));
    bySubject.set(f.user, p);
  }
  const people = [...bySubject.values()].filter((p) => p.sessions.length >= 2);
  if (people.length < 2) throw new Error(`${dir}: need two or more users with two sessions each, found ${people.length}`);
  const kernels = await loadKernels();
  const pop = createPreScorer(population as Profile, kernels.scaledManhattan, DEFAULT_THRESHOLDS);
  const o = { enrol, test, minActions, allChunks, gate: gate as 'on' | 'off', recipe };

  // As the core would run it: every other account's enrolment windows form a model's cohort.
  const core = simulatePointerUsers(kernels, pop, people, o);
  const report: Record<string, unknown> = {
    data: dir,
    protocol: { enrol, test, min_actions: minActions, all_chunks: allChunks, gate, recipe: recipeName, ...(recipe.recipe === 'discriminative' ? { unit } : {}) },
    models_active: core.accounts.filter((a) => a.model === 'active').length,
    accounts: core.accounts.map((a) => ({ subject: a.subject, windows_read: a.windowsRead, model: a.model, failures: a.failures, eer: a.metrics?.eer, auc: a.metrics?.auc, frr_at_monitor: a.metrics?.frr_at_monitor })),
    as_the_core: summary(core.sessions, test, OWNER_EVIDENCE),
  };

  // Held out by person: random halves; a half's models take their cohort from the other half.
  const folds: { shipped: ReturnType<typeof summary>; fitted: ReturnType<typeof summary>; table: number[]; models: number }[] = [];
  for (let r = 0; r < repeats; r++) {
    const rng = new Rng(2000 + r);
    const order = people.map((p) => ({ p, k: rng.float() })).sort((x, y) => x.k - y.k).map((x) => x.p);
    const halves = [0, 1].map((h) => order.filter((_, i) => i % 2 === h));
    const runs = halves.map((h, k) => simulatePointerUsers(kernels, pop, h, { ...o, cohort: halves[1 - k]! }));
    const sims = runs.map((x) => x.sessions);
    for (let half = 0; half < 2; half++) {
      const table = fitOwnerTable(sims[1 - half]!);
      const models = runs[half]!.accounts.filter((a) => a.model === 'active').length;
      folds.push({ shipped: summary(sims[half]!, test, OWNER_EVIDENCE), fitted: summary(sims[half]!, test, table), table: [...table.llr], models });
    }
  }
  const avg = (f: (s: ReturnType<typeof summary>) => number | null, which: 'shipped' | 'fitted') => r3(mean(folds.map((x) => f(x[which])).filter((v): v is number => v !== null)));
  const averaged = (which: 'shipped' | 'fitted') => ({
    window_eer: avg((s) => s.window_eer, which),
    session_eer_mean_risk: avg((s) => s.session_eer_mean_risk, which),
    session_eer_of_mean_window: avg((s) => s.session_eer_of_mean_window, which),
    flagged: folds[0]![which].flagged.map((l, k) => ({ judged_windows: l.judged_windows, owners_pct: avg((s) => s.flagged[k]!.owners_pct, which), impostors_pct: avg((s) => s.flagged[k]!.impostors_pct, which) })),
  });
  report.held_out_by_person = { folds: folds.length, models_active_per_fold: r3(mean(folds.map((f) => f.models))), owner_sessions_per_fold: folds[0]?.shipped.owner_sessions, impostor_sessions_per_fold: folds[0]?.shipped.impostor_sessions, shipped_table: averaged('shipped'), pointer_table_fitted_on_other_half: averaged('fitted'), tables: folds.map((f) => f.table) };
  process.stdout.write(flag(argv, 'json') ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 1)}\n`);
  return 0;
}
