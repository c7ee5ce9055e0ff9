// `cadence eval user-sessions --corpus FILE.jsonl [--corpus ...] [--fit-on CORPUS] [--enrol 20] [--test 10]
//   [--repeats 5] [--without-cohort] [--json]`: the live path's per-user protocol offline (bench/lib/user-sessions.ts: the
// core's enrolment rule, training, quality gate and fused scoring, no server), every other person of
// the corpus as an impostor in each account. Reports per corpus the models decided, window- and
// session-level EERs, and the sessions the session evidence flags (scoring/session-evidence.ts with
// the graded owner evidence of scoring/owner-evidence.ts) after 3, 5 and `--test` windows, on the
// sessions a user's model scored and (`all_accounts`) on every account's, as the live path counts. On the
// `--fit-on` corpus it also fits that table leave-users-out (two halves of the people, `--repeats`
// random splits: each half simulated with the other half as its models' cohort, the table fitted on
// one half's sessions and judged on the other's) and prints the table fitted on all its people,
// which is how OWNER_EVIDENCE was obtained.
import { eer } from '../core/models/metrics.ts';
import { DEFAULT_THRESHOLDS } from '../scoring/policy.ts';
import { createPreScorer } from '../scoring/prescore.ts';
import type { Profile } from '../scoring/profile.ts';
import population from '../scoring/population-keystroke.json' with { type: 'json' };
import { OWNER_EVIDENCE, type OwnerTable } from '../scoring/owner-evidence.ts';
import { accumulate, EVIDENCE_MODEL, NO_EVIDENCE } from '../scoring/session-evidence.ts';
import { Rng } from '../scoring/models/rng.ts';
import { loadKernels } from '../wasm/node.ts';
import { flag, intOption, option } from './lib/args.ts';
import { readCorpus, type CorpusSession } from './lib/corpus.ts';
import { simulatePerUser, type ScoredSession } from './lib/user-sessions.ts';

type Table = OwnerTable;
const BINS = OWNER_EVIDENCE.bins;
/** The table's bounds: at most one window's worth of `high` (2: no single window near a challenge). */
let CLIP: [number, number] = [-1, 2];

const risks = (s: ScoredSession) => s.windows.flatMap((w) => (w.userRisk === undefined ? [] : [w.userRisk]));
/** What the evidence counts: the model's risk of the session's mean window so far. */
const sessionRisks = (s: ScoredSession) => s.windows.flatMap((w) => (w.sessionRisk === undefined ? [] : [w.sessionRisk]));
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);

/** ln(P(bin | impostor) / P(bin | owner)) with add-one counts, made monotone in the risk, clipped. */
export function fitOwnerTable(sessions: readonly ScoredSession[]): Table {
  const g = new Array<number>(BINS.length + 1).fill(1);
  const i = new Array<number>(BINS.length + 1).fill(1);
  for (const s of sessions) for (const r of sessionRisks(s)) (s.owner ? g : i)[binOf(r)]!++;
  const gs = g.reduce((a, b) => a + b, 0);
  const is = i.reduce((a, b) => a + b, 0);
  let run = -Infinity;
  const llr = g.map((_, k) => {
    run = Math.max(run, Math.log(i[k]! / is / (g[k]! / gs)));
    return Math.round(Math.min(CLIP[1], Math.max(CLIP[0], run)) * 100) / 100;
  });
  return { bins: BINS, llr };
}

function binOf(r: number): number {
  const k = BINS.findIndex((b) => r < b);
  return k === -1 ? BINS.length : k;
}

/** Whether the session's evidence reached challenge within its first `n` windows (the standing stays). */
function flagged(s: ScoredSession, n: number, table: Table): boolean {
  let e = NO_EVIDENCE;
  for (const w of s.windows.slice(0, n)) {
    e = accumulate(e, { judged: w.popJudged || w.userRisk !== undefined, reasons: w.reasons, ...(w.sessionRisk === undefined ? {} : { ownerRisk: w.sessionRisk }) }, { ...EVIDENCE_MODEL, owner: table });
    if (e.llr >= EVIDENCE_MODEL.challengeAt) return true;
  }
  return false;
}

function summary(sessions: readonly ScoredSession[], test: number, table: Table) {
  const withModel = sessions.filter((s) => risks(s).length > 0);
  const owners = withModel.filter((s) => s.owner);
  const impostors = withModel.filter((s) => !s.owner);
  const pct = (v: boolean[]) => (v.length ? Math.round((1000 * v.filter(Boolean).length) / v.length) / 10 : null);
  const lengths = [...new Set([3, 5, 10, test])].filter((n) => n <= test);
  return {
    owner_sessions: owners.length,
    impostor_sessions: impostors.length,
    window_eer: eer(owners.flatMap(risks), impostors.flatMap(risks)),
    session_eer_mean: eer(owners.map((s) => mean(risks(s))), impostors.map((s) => mean(risks(s)))),
    session_eer_of_mean_window: eer(owners.map((s) => sessionRisks(s).at(-1)!), impostors.map((s) => sessionRisks(s).at(-1)!)),
    flagged_by_length: lengths.map((n) => ({ windows: n, owners_pct: pct(owners.map((s) => flagged(s, n, table))), impostors_pct: pct(impostors.map((s) => flagged(s, n, table))) })),
    // Every account's sessions, as `eval live --per-user` counts them: an account whose model the
    // gate refused (or that has none) is judged by the population's evidence alone.
    all_accounts: {
      owner_sessions: sessions.filter((s) => s.owner).length,
      impostor_sessions: sessions.filter((s) => !s.owner).length,
      owners_pct: pct(sessions.filter((s) => s.owner).map((s) => flagged(s, test, table))),
      impostors_pct: pct(sessions.filter((s) => !s.owner).map((s) => flagged(s, test, table))),
    },
  };
}

/** Mean over the folds of each figure. */
function averageFolds(folds: ReturnType<typeof summary>[]) {
  const avg = (f: (s: ReturnType<typeof summary>) => number | null) => Math.round(1000 * mean(folds.map(f).filter((v): v is number => v !== null))) / 1000;
  const first = folds[0]!;
  return {
    folds: folds.length,
    window_eer: avg((s) => s.window_eer),
    session_eer_mean: avg((s) => s.session_eer_mean),
    session_eer_of_mean_window: avg((s) => s.session_eer_of_mean_window),
    flagged_by_length: first.flagged_by_length.map((l, k) => ({ windows: l.windows, owners_pct: avg((s) => s.flagged_by_length[k]!.owners_pct), impostors_pct: avg((s) => s.flagged_by_length[k]!.impostors_pct) })),
    all_accounts: { owners_pct: avg((s) => s.all_accounts.owners_pct), impostors_pct: avg((s) => s.all_accounts.impostors_pct) },
  };
}

export async function run(argv: string[]): Promise<number> {
  const files = argv.flatMap((a, i) => (a === '--corpus' && argv[i + 1] ? [argv[i + 1]!] : []));
  if (files.length === 0) {
    process.stderr.write('usage: cadence eval user-sessions --corpus FILE.jsonl [--corpus ...] [--fit-on CORPUS] [--enrol 20] [--test 10] [--repeats 5] [--without-cohort] [--json]\n');
    return 2;
  }
  const enrol = intOption(argv, 'enrol', 20);
  const test = intOption(argv, 'test', 10);
  const repeats = intOption(argv, 'repeats', 5);
  const fitOn = option(argv, 'fit-on');
  // The session's mean judged without the cohort (the owner's calibration alone): the figures before it.
  const withoutCohortRisk = flag(argv, 'without-cohort');
  // --clip-high H: fit the table with H as its highest value (exploration; the shipped table uses 2).
  CLIP = [-1, Number(option(argv, 'clip-high') ?? 2)];
  // --table a,b,c,d,e: judge with this table instead of the shipped one (a table fitted with --clip-high).
  const table: OwnerTable = option(argv, 'table') ? { bins: BINS, llr: option(argv, 'table')!.split(',').map(Number) } : OWNER_EVIDENCE;
  const kernels = await loadKernels();
  const pop = createPreScorer(population as Profile, kernels.scaledManhattan, DEFAULT_THRESHOLDS);
  const report: Record<string, unknown>[] = [];
  for (const file of files) {
    const people: CorpusSession[] = [];
    for await (const s of readCorpus(file)) people.push(s);
    const { outcomes, sessions } = simulatePerUser(kernels, pop, people, { enrol, test, impostors: 0, allPeers: true, withoutCohortRisk });
    const corpus = people[0]?.corpus ?? file;
    const row: Record<string, unknown> = {
      corpus,
      accounts: outcomes.length,
      models_active: outcomes.filter((o) => o.model === 'active').length,
      models_refused_by_gate: outcomes.filter((o) => o.model === 'refused').length,
      no_model: outcomes.filter((o) => o.model === 'none').length,
      shipped_table: summary(sessions, test, table),
    };
    if (corpus === fitOn) {
      // Each half is simulated on its own, its models' other users (gate impostors, session cohort)
      // taken from the other half, so no impostor judged is in the cohort of the model judging it.
      const persons = people.filter((s) => s.label === 'person');
      const folds: ReturnType<typeof summary>[] = [];
      for (let r = 0; r < repeats; r++) {
        const rng = new Rng(1000 + r);
        const order = persons.map((a) => ({ a, k: rng.float() })).sort((x, y) => x.k - y.k).map((x) => x.a);
        const halves = [0, 1].map((h) => order.filter((_, i) => i % 2 === h));
        const sims = halves.map((h, k) => simulatePerUser(kernels, pop, h, { enrol, test, impostors: 0, allPeers: true, cohort: halves[1 - k]!, withoutCohortRisk }).sessions);
        for (let half = 0; half < 2; half++) folds.push(summary(sims[half]!, test, fitOwnerTable(sims[1 - half]!)));
      }
      row.leave_users_out = averageFolds(folds);
      row.table_fitted_on_all = fitOwnerTable(sessions).llr;
    }
    report.push(row);
  }
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  return 0;
}
