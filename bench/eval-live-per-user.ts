// `cadence eval live --per-user --edge URL --core URL --api-key KEY --corpus FILE [--corpus ...]
//   [--enrol 20] [--test 10] [--impostors 3] [--max-subjects N] [--concurrency 4] [--model-wait-s 60]
//   [--modality keystroke|pointer] [--out DIR] [--json]`: per-user verification through the live path (issue 18 item 5).
//
// Each person of the corpora (sessions labelled person, one per subject, windows in order) gets an
// account through the edge's identity face (POST /v1/auth/register, /v1/auth/login), types their
// first windows until `--enrol` of them are long enough to judge (bench/lib/enrol-split.ts: the 3-s
// cuts leave fragments of a few keys) in a logged-in session (the stack must run with CADENCE_ENROL_MIN_WINDOWS
// at most that, and the rate limits off: CADENCE_RATE_SESSION_PER_MIN=0 CADENCE_RATE_IP_PER_MIN=0
// CADENCE_RATE_AUTH_PER_MIN=0), and the core trains their model (or its quality gate keeps it out:
// core/models/quality-gate.ts). Once every account has enrolled, each gets an owner's session (the
// owner's next `--test` windows, a new login) and `--impostors` sessions in which other people of the
// same corpus type their own later windows into this account, with its password and device.
//
// Reported per corpus: accounts, models active and refused, seconds until a model was active;
// owners' and impostors' sessions flagged (any answer of the edge challenge or block, or the core's
// standing at the end); the window-level EER of the core's authoritative window scores
// (RiskService.ScoreSession: the user's model fused with the population's) and the session-level
// EER of their mean. The core's API needs a service key (--api-key: one of CADENCE_SERVICE_API_KEYS).
// --modality pointer (Balabit): windows are counted as the pointer model judges them
// (core/enrolment/pointer-windows.ts), and a subject with two or more recorded sessions enrols on
// the first session's windows and is tested on the second's, up to its `--test`-th judged window.
// Run it against a stack with the replay index off (CADENCE_REPLAY_WINDOWS=0): each typist's later
// windows are typed into several accounts, which the index rightly calls replays; this measures the
// users' models, not replay detection.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eer } from '../core/models/metrics.ts';
import { flag, intOption, option } from './lib/args.ts';
import { readCorpus, type CorpusSession } from './lib/corpus.ts';
import { enrolAndTest, keystrokeJudged, pointerJudged, untilJudged } from './lib/enrol-split.ts';

interface Options {
  edge: string;
  core: string;
  apiKey: string;
  corpora: string[];
  enrol: number;
  test: number;
  impostors: number;
  maxSubjects?: number;
  concurrency: number;
  modelWaitMs: number;
  /** Default keystroke (every corpus session its own account, as before). */
  modality?: 'keystroke' | 'pointer';
}

interface Account {
  corpus: string;
  subject: string;
  /** The owner's enrolment windows (up to `--enrol` the core can judge) and their later test session. */
  enrolWindows: CorpusSession['batches'];
  testWindows: CorpusSession['batches'];
  email: string;
  deviceId: string;
  userId?: string;
  model?: { version: string; active: boolean; gatePassed: number | null; eer: number | null; afterS: number };
}

interface SessionResult {
  corpus: string;
  account: string;
  typist: string;
  owner: boolean;
  windows: number;
  flaggedByEdge: boolean;
  flaggedByCore: boolean;
  windowScores: number[];
  /** The window scores of windows a user's model scored. */
  modelScores: number[];
  sessionScore: number;
  userModelVersion: string;
}

const PASSWORD = 'correct horse battery staple';
const MPIN = '2468';
const rid = () => randomBytes(6).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json(url: string, init: RequestInit): Promise<{ status: number; body: any }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
    if (res && res.status !== 503 && res.status !== 429) return { status: res.status, body: await res.json().catch(() => undefined) };
    if (attempt >= 8) return { status: res?.status ?? 0, body: undefined };
    await sleep(300 * 2 ** attempt);
  }
}

function client(o: Options) {
  const edge = o.edge.replace(/\/+$/, '');
  const core = o.core.replace(/\/+$/, '');
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    json(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const rpc = async (service: string, method: string, body: unknown) => {
    const r = await post(`${core}/cadence.v1.${service}/${method}`, body, { 'x-api-key': o.apiKey });
    if (r.status !== 200) throw new Error(`${service}/${method} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    async register(a: Account) {
      const r = await post(`${edge}/v1/auth/register`, { email: a.email, password: PASSWORD, mpin: MPIN });
      // A retry of a register whose answer was lost (a slow scrypt under load) finds the account.
      if (r.status === 409) return;
      if (r.status !== 201) throw new Error(`register answered ${r.status}: ${JSON.stringify(r.body)} (start the stack with CADENCE_RATE_AUTH_PER_MIN=0)`);
      a.userId = r.body.userId;
    },
    async login(a: Account): Promise<{ sessionId: string; token: string }> {
      const r = await post(`${edge}/v1/auth/login`, { email: a.email, password: PASSWORD, deviceId: a.deviceId });
      if (r.status !== 200) throw new Error(`login answered ${r.status}: ${JSON.stringify(r.body)}`);
      a.userId ??= r.body.userId;
      return { sessionId: r.body.sessionId, token: r.body.accessToken };
    },
    /** Sends windows in order as the collector does; true when any answer was challenge or block. */
    async type(a: Account, login: { sessionId: string; token: string }, windows: CorpusSession['batches']): Promise<boolean> {
      let flagged = false;
      const page = `pu${rid()}`;
      for (const [seq, w] of windows.entries()) {
        const body = { sessionId: login.sessionId, batchId: `${page}.${seq}`, seq, consent: true, context: { page: w.page ?? '/', deviceId: a.deviceId, language: 'en-GB', screen: { width: 1920, height: 1080 } }, events: w.events };
        const r = await post(`${edge}/v1/events`, body, { authorization: `Bearer ${login.token}` });
        if (r.status === 403 && r.body?.error?.code === 'session_blocked') return true;
        if (r.status !== 200) throw new Error(`POST /v1/events answered ${r.status}: ${JSON.stringify(r.body)}`);
        if (r.body.decision === 'challenge' || r.body.decision === 'block') flagged = true;
      }
      return flagged;
    },
    /** The user's newest model version, once training has produced one. */
    async newestModel(userId: string) {
      const r = await rpc('ModelService', 'ListModels', { scope: userId, pageSize: 1 });
      return r.models?.[0] as { version: string; active?: boolean; metrics?: Record<string, number> } | undefined;
    },
    async scored(sessionId: string, windows: number) {
      // The core has every window once its batch count says so (the edge's spool hands them on).
      for (let i = 0; i < 100; i++) {
        const r = await rpc('RiskService', 'GetSessionRisk', { sessionId });
        if (Number(r.batchCount ?? 0) >= windows) break;
        await sleep(200);
      }
      const s = await rpc('RiskService', 'ScoreSession', { sessionId, maxWindows: Math.min(200, windows) });
      const risk = await rpc('RiskService', 'GetSessionRisk', { sessionId });
      const level = String(risk.standing?.level ?? '');
      return {
        // The core's answer to the session's last window: its evidence on the thresholds' scale (scoring/session-evidence.ts).
        sessionScore: Number(risk.latest?.score ?? 0),
        scores: ((s.windows ?? []) as { assessment?: { score?: number; judged?: boolean } }[]).filter((w) => w.assessment?.judged).map((w) => Number(w.assessment?.score ?? 0)),
        // Only the windows a user's model scored (its name in the model version): a pointer model judges
        // windows with two mouse actions or more, the rest carry the population's score alone.
        modelScores: ((s.windows ?? []) as { assessment?: { score?: number; modelVersion?: string } }[]).filter((w) => /^user-/.test(w.assessment?.modelVersion ?? '')).map((w) => Number(w.assessment?.score ?? 0)),
        // The keystroke model's version, else the pointer model's named in the answer's model version.
        userModelVersion: String(s.userModelVersion || (/user-pointer@([\d.]+)/.exec(String(s.assessment?.modelVersion ?? ''))?.[1] ?? '')),
        flagged: /CHALLENGE|BLOCK|LOCKED/.test(level),
      };
    },
  };
}

async function pool<T>(items: readonly T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.max(1, n) }, async () => {
    while (i < items.length) await f(items[i++]!);
  }));
}

export async function evalLivePerUser(o: Options, progress?: (s: string) => void) {
  const c = client(o);
  const accounts: Account[] = [];
  const judged = o.modality === 'pointer' ? pointerJudged : keystrokeJudged;
  for (const file of o.corpora) {
    let n = 0;
    // Pointer: a subject's sessions in the file's order; with two or more, the first enrols and the second tests.
    const bySubject = new Map<string, CorpusSession[]>();
    for await (const s of readCorpus(file)) {
      if (s.label !== 'person') continue;
      const key = o.modality === 'pointer' ? (s.subject ?? s.id) : s.id;
      bySubject.set(key, [...(bySubject.get(key) ?? []), s]);
    }
    for (const [subject, sessions] of bySubject) {
      const first = sessions[0]!;
      const split = sessions.length > 1
        ? { enrol: untilJudged(first.batches, o.enrol, judged), test: untilJudged(sessions[1]!.batches, o.test, judged) }
        : enrolAndTest(first.batches, o.enrol, o.test, judged);
      if (!split?.enrol || !split.test) continue;
      if (o.maxSubjects && n++ >= o.maxSubjects) break;
      accounts.push({ corpus: first.corpus, subject: first.subject ?? subject, enrolWindows: split.enrol, testWindows: split.test, email: `pu-${rid()}@example.com`, deviceId: `dev-${rid()}` });
    }
  }
  const started = Date.now();
  // Enrolment: every account types its first windows; the core trains (or the gate refuses) in the background.
  await pool(accounts, o.concurrency, async (a) => {
    await c.register(a);
    await c.type(a, await c.login(a), a.enrolWindows);
  });
  progress?.(`eval live --per-user: ${accounts.length} accounts enrolled, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  // Models: polled until every account has one or the wait is over (an account whose windows were
  // not enrolled, e.g. judged too short or flagged, never gets one).
  const deadline = Date.now() + o.modelWaitMs;
  for (let waiting = accounts; waiting.length && Date.now() < deadline; await sleep(1000)) {
    await pool(waiting, o.concurrency, async (a) => {
      const m = await c.newestModel(a.userId!);
      if (m) a.model = { version: m.version, active: m.active === true, gatePassed: m.metrics?.gate_passed ?? null, eer: m.metrics?.eer ?? null, afterS: (Date.now() - started) / 1000 };
    });
    waiting = waiting.filter((a) => !a.model);
  }
  progress?.(`eval live --per-user: ${accounts.filter((a) => a.model?.active).length} of ${accounts.length} models active`);
  // Owners' and impostors' sessions.
  const results: SessionResult[] = [];
  await pool(accounts, o.concurrency, async (a) => {
    const peers = accounts.filter((p) => p.corpus === a.corpus && p !== a);
    const typists = [a, ...Array.from({ length: Math.min(o.impostors, peers.length) }, (_, k) => peers[(accounts.indexOf(a) + k) % peers.length]!)];
    for (const t of typists) {
      const login = await c.login(a);
      const windows = t.testWindows;
      const flaggedByEdge = await c.type(a, login, windows);
      const core = await c.scored(login.sessionId, windows.length);
      results.push({ corpus: a.corpus, account: a.subject, typist: t.subject, owner: t === a, windows: windows.length, flaggedByEdge, flaggedByCore: core.flagged, windowScores: core.scores, modelScores: core.modelScores, sessionScore: core.sessionScore, userModelVersion: core.userModelVersion });
    }
  });

  const pct = (n: number, of: number) => (of ? +((100 * n) / of).toFixed(1) : null);
  const mean = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : 0);
  const corpora = [...new Set(accounts.map((a) => a.corpus))].map((corpus) => {
    const acc = accounts.filter((a) => a.corpus === corpus);
    const rs = results.filter((r) => r.corpus === corpus);
    const owners = rs.filter((r) => r.owner);
    const impostors = rs.filter((r) => !r.owner);
    const flagged = (r: SessionResult) => r.flaggedByEdge || r.flaggedByCore;
    const ready = acc.filter((a) => a.model?.active).map((a) => a.model!.afterS).sort((x, y) => x - y);
    return {
      corpus,
      accounts: acc.length,
      models_active: acc.filter((a) => a.model?.active).length,
      models_refused_by_gate: acc.filter((a) => a.model && !a.model.active && a.model.gatePassed === 0).length,
      no_model: acc.filter((a) => !a.model).length,
      median_s_to_model: ready.length ? ready[ready.length >> 1]! : null,
      owner_sessions: owners.length,
      owner_flagged_pct: pct(owners.filter(flagged).length, owners.length),
      impostor_sessions: impostors.length,
      impostor_flagged_pct: pct(impostors.filter(flagged).length, impostors.length),
      window_eer: eer(owners.flatMap((r) => r.windowScores), impostors.flatMap((r) => r.windowScores)),
      session_eer: eer(owners.map((r) => mean(r.windowScores)), impostors.map((r) => mean(r.windowScores))),
      // The same three on the accounts whose own model scored the session (the others have only the population's, which cannot tell people apart).
      with_model: withModel(owners, impostors),
    };
  });
  function withModel(owners: SessionResult[], impostors: SessionResult[]) {
    const o = owners.filter((r) => r.userModelVersion);
    const i = impostors.filter((r) => r.userModelVersion);
    const flagged = (r: SessionResult) => r.flaggedByEdge || r.flaggedByCore;
    return {
      owner_sessions: o.length, owner_flagged_pct: pct(o.filter(flagged).length, o.length),
      impostor_sessions: i.length, impostor_flagged_pct: pct(i.filter(flagged).length, i.length),
      window_eer: eer(o.flatMap((r) => r.windowScores), i.flatMap((r) => r.windowScores)),
      session_eer: eer(o.map((r) => mean(r.windowScores)), i.map((r) => mean(r.windowScores))),
      // The same on the windows the user's model scored (not those it could not judge).
      model_window_eer: eer(o.flatMap((r) => r.modelScores), i.flatMap((r) => r.modelScores)),
      model_session_eer: eer(o.map((r) => mean(r.modelScores)), i.map((r) => mean(r.modelScores))),
    };
  }
  return { protocol: `enrol ${o.enrol} judged windows per account, then per account 1 owner session and ${o.impostors} impostor sessions of ${o.test} ${o.modality === 'pointer' ? 'judged pointer windows (and the windows between them)' : 'windows'} each (the typists' own later windows), through the edge; flagged = any edge answer challenge or block, or the core's standing at the end; EERs of the core's window scores (ScoreSession)`, seconds: Math.round((Date.now() - started) / 1000), corpora, sessions: results };
}

export async function run(argv: string[]): Promise<number> {
  const edge = option(argv, 'edge');
  const core = option(argv, 'core');
  const apiKey = option(argv, 'api-key') ?? process.env.CADENCE_SERVICE_API_KEY;
  const corpora = argv.flatMap((a, i) => (a === '--corpus' && argv[i + 1] ? [argv[i + 1]!] : []));
  if (!edge || !core || !apiKey || corpora.length === 0) {
    process.stderr.write('usage: cadence eval live --per-user --edge URL --core URL --api-key KEY --corpus FILE [--corpus ...] [--enrol 20] [--test 10] [--impostors 3] [--max-subjects N] [--concurrency 4] [--model-wait-s 60] [--modality keystroke|pointer] [--out DIR] [--json]\n');
    return 2;
  }
  const o: Options = {
    edge, core, apiKey, corpora,
    enrol: intOption(argv, 'enrol', 20),
    test: intOption(argv, 'test', 10),
    impostors: intOption(argv, 'impostors', 3),
    maxSubjects: option(argv, 'max-subjects') ? intOption(argv, 'max-subjects', 0) : undefined,
    concurrency: intOption(argv, 'concurrency', 4),
    modelWaitMs: intOption(argv, 'model-wait-s', 60) * 1000,
    modality: (option(argv, 'modality') ?? 'keystroke') as Options['modality'],
  };
  if (o.modality !== 'keystroke' && o.modality !== 'pointer') throw new Error('--modality must be keystroke or pointer');
  const report = await evalLivePerUser(o, (s) => process.stderr.write(`${s}\n`));
  const out = option(argv, 'out') ?? 'artifacts/eval-live-per-user';
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.json'), `${JSON.stringify({ ...report, sessions: undefined }, null, 1)}\n`);
  writeFileSync(path.join(out, 'sessions.jsonl'), report.sessions.map((s) => JSON.stringify(s)).join('\n') + '\n');
  if (flag(argv, 'json')) process.stdout.write(`${JSON.stringify({ ...report, sessions: undefined })}\n`);
  else {
    process.stdout.write(`${report.protocol}\n`);
    for (const r of report.corpora) {
      process.stdout.write(`${r.corpus}: ${r.accounts} accounts, models active ${r.models_active} (refused by the gate ${r.models_refused_by_gate}, none ${r.no_model}; median ${r.median_s_to_model ?? '-'} s); owners' sessions flagged ${r.owner_flagged_pct}% of ${r.owner_sessions}, impostors' ${r.impostor_flagged_pct}% of ${r.impostor_sessions}; window EER ${r.window_eer?.toFixed(3) ?? '-'}, session EER ${r.session_eer?.toFixed(3) ?? '-'}; sessions scored by the user's model: owners flagged ${r.with_model.owner_flagged_pct}% of ${r.with_model.owner_sessions}, impostors ${r.with_model.impostor_flagged_pct}% of ${r.with_model.impostor_sessions}\n`);
    }
    process.stdout.write(`${report.seconds} s; wrote ${out}/results.json and sessions.jsonl\n`);
  }
  return 0;
}
