// `cadence eval live --edge URL --corpus FILE.jsonl [--corpus FILE2 ...] [--concurrency 8]
//   [--pace fast|real] [--max-gap-ms 3000] [--max-windows N] [--max-sessions N] [--out DIR] [--json]`
//
// People and bots judged through the live path of a running stack: every session of the corpora
// (bench/lib/corpus.ts; made by `cadence eval corpus`) is replayed over HTTP exactly as the browser
// collector sends it: a fresh session id from `POST /v1/session` (signed when the edge requires it;
// an edge without that route gets a random id), then each window in order as `POST /v1/events`
// (content-type application/json) with batchId, seq, consent and context (page, deviceId, language,
// screen). Every answer (`{accepted, duplicate, decision, score, modelVersion, reasons, judged}`,
// the session's decision) is recorded.
//
// Reported per corpus and per family (people and bots apart): sessions and windows; sessions
// challenged (any answer challenge or block; for bots: flagged), blocked and monitored (monitor or
// worse); windows challenged and blocked; windows to detection (1-based index of the first
// challenge or block, median and p90 over the flagged sessions); the reasons most often behind a
// challenge or block. HTTP errors are counted per status and code, never fatal. Writes
// results.json, sessions.jsonl (one line per session) and plot.svg to --out (default
// artifacts/eval-live).
//
// `--pace fast` (default) sends each session's windows back to back; `real` waits for the gap
// between windows' first events, at most --max-gap-ms. Rate limits must be off on the stack
// (CADENCE_RATE_SESSION_PER_MIN=0 CADENCE_RATE_IP_PER_MIN=0): a 429 is counted and reported.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intOption, option } from './lib/args.ts';
import { readCorpus, type CorpusSession } from './lib/corpus.ts';
import { barChartSvg, type BarRow } from './lib/svg-bars.ts';

const DECISIONS = ['allow', 'monitor', 'challenge', 'block'] as const;
type Decision = (typeof DECISIONS)[number];

export interface LiveOptions {
  edge: string;
  corpora: string[];
  concurrency: number;
  pace: 'fast' | 'real';
  /** Real pace: the longest wait between two windows. */
  maxGapMs: number;
  /** At most this many windows of each session (the first ones). */
  maxWindows?: number;
  /** At most this many sessions of each corpus file (the first ones). */
  maxSessions?: number;
  /** Per request. */
  timeoutMs?: number;
  progress?: (line: string) => void;
}

/** What happened to one session. */
export interface SessionOutcome {
  id: string;
  label: 'person' | 'bot';
  corpus: string;
  family: string | null;
  sessionId: string | null;
  windows: number;
  answered: number;
  decisions: Record<Decision, number>;
  /** 1-based index of the first window answered challenge or block (null: never). */
  firstFlag: number | null;
  firstMonitor: number | null;
  firstBlock: number | null;
  /** Reasons of the answers that were challenge or block, counted per answer. */
  flagReasons: Record<string, number>;
  duplicates: number;
  /** Windows not sent because the edge had blocked the session (403 session_blocked), as a collector stops. */
  stopped: number;
  errors: Record<string, number>;
}

export interface GroupRow {
  label: 'person' | 'bot';
  corpus: string;
  /** null: the whole corpus (all its families). */
  family: string | null;
  sessions: number;
  /** Every window answered 200. */
  sessions_fully_answered: number;
  windows: number;
  windows_answered: number;
  sessions_challenged: number;
  sessions_challenged_pct: number;
  sessions_blocked: number;
  sessions_blocked_pct: number;
  sessions_monitored: number;
  sessions_monitored_pct: number;
  windows_challenged: number;
  windows_challenged_pct: number;
  windows_blocked: number;
  windows_blocked_pct: number;
  windows_monitored_pct: number;
  /** Among flagged sessions: the window of the first challenge or block (1-based). */
  windows_to_detection: { median: number | null; p90: number | null };
  top_reasons: { reason: string; answers: number }[];
  errors: Record<string, number>;
}

export interface LiveReport {
  protocol: string;
  edge: string;
  corpora: string[];
  pace: 'fast' | 'real';
  max_gap_ms: number | null;
  max_windows: number | null;
  max_sessions: number | null;
  concurrency: number;
  started_at: string;
  seconds: number;
  totals: { sessions: number; windows: number; windows_answered: number; errors: Record<string, number> };
  warnings: string[];
  people: GroupRow[];
  bots: GroupRow[];
}

const RATE_HINT = 'the edge answered 429 (rate limited): start the stack with CADENCE_RATE_SESSION_PER_MIN=0 CADENCE_RATE_IP_PER_MIN=0';
const AUTH_HINT = 'the edge refused session ids (401/403): it requires signed sessions and POST /v1/session did not give one';

const pct = (n: number, of: number) => (of > 0 ? +((100 * n) / of).toFixed(2) : 0);
const rank = (sorted: number[], p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! : null);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bump = (m: Record<string, number>, k: string, n = 1) => (m[k] = (m[k] ?? 0) + n);
const rid = () => randomBytes(9).toString('base64url');

interface Answer {
  status: number;
  body?: { decision?: string; reasons?: string[]; duplicate?: boolean; error?: { code?: string } };
  retryAfter?: string | null;
}

/** One HTTP exchange; a network failure or timeout is status 0. */
async function exchange(url: string, init: RequestInit, timeoutMs: number): Promise<Answer> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: Answer['body'];
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { status: 0, body: { error: { code: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network' } } };
  }
}

const errorKey = (where: string, a: Answer) => `${where} ${a.status || 'no answer'}${a.body?.error?.code ? ` ${a.body.error.code}` : ''}`;

/** Replays one session through the edge, window by window, as the collector sends them. */
export async function replaySession(s: CorpusSession, o: LiveOptions, state: { sessionRoute: boolean }): Promise<SessionOutcome> {
  const base = o.edge.replace(/\/+$/, '');
  const timeoutMs = o.timeoutMs ?? 15_000;
  const batches = o.maxWindows ? s.batches.slice(0, o.maxWindows) : s.batches;
  const out: SessionOutcome = {
    id: s.id, label: s.label, corpus: s.corpus, family: s.family ?? null, sessionId: null, windows: batches.length, answered: 0,
    decisions: { allow: 0, monitor: 0, challenge: 0, block: 0 }, firstFlag: null, firstMonitor: null, firstBlock: null, flagReasons: {}, duplicates: 0, stopped: 0, errors: {},
  };
  // A fresh session id, as the collector asks for one before login.
  let sessionId: string | undefined;
  if (state.sessionRoute) {
    for (let attempt = 0; attempt < 3 && !sessionId; attempt++) {
      const a = await exchange(`${base}/v1/session`, { method: 'POST' }, timeoutMs);
      if (a.status === 201 && typeof (a.body as { sessionId?: unknown })?.sessionId === 'string') sessionId = (a.body as { sessionId: string }).sessionId;
      else if (a.status === 404 || a.status === 405) {
        state.sessionRoute = false; // an edge without signed sessions: ids are taken as given
        break;
      } else {
        bump(out.errors, errorKey('POST /v1/session', a));
        if (a.status !== 0 && a.status !== 503) break;
        await sleep(200 * 2 ** attempt);
      }
    }
    if (!sessionId && state.sessionRoute) return out; // every window unanswered, counted as such
  }
  sessionId ??= `eval-live-${rid()}`;
  out.sessionId = sessionId;

  let pageId = `ev${rid()}`;
  let page = batches[0]?.page;
  const started = Date.now();
  let sentAt = started;
  for (const [seq, b] of batches.entries()) {
    if (seq > 0 && o.pace === 'real') {
      const prev = batches[seq - 1]!;
      const gap = b.page === prev.page ? (b.events[0]?.t ?? 0) - (prev.events[0]?.t ?? 0) : o.maxGapMs;
      const wait = Math.min(o.maxGapMs, Math.max(0, gap)) - (Date.now() - sentAt);
      if (wait > 0) await sleep(wait);
    }
    if (b.page !== page) {
      page = b.page; // a new page: a new page id, as a new collector instance has
      pageId = `ev${rid()}`;
    }
    const context = { ...(b.page ? { page: b.page } : { page: '/' }), ...(s.context ?? {}) };
    if (!context.deviceId) context.deviceId = `dev-${s.subject ? s.subject.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 40) : 'eval'}`;
    if (!context.language) context.language = 'en-GB';
    if (!context.screen) context.screen = { width: 1920, height: 1080 };
    const body = JSON.stringify({ sessionId, batchId: `${pageId}.${seq}`, seq, consent: true, context, events: b.events });
    sentAt = Date.now();
    let answer: Answer | undefined;
    // As the collector: a 503 or a lost answer is retried with the same batch id; anything else is final.
    for (let attempt = 0; attempt < 4; attempt++) {
      answer = await exchange(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, timeoutMs);
      if (answer.status !== 0 && answer.status !== 503) break;
      if (attempt < 3) await sleep(250 * 2 ** attempt);
    }
    const a = answer!;
    // A session the edge blocked is refused from then on: that refusal is its block, and the
    // collector stops sending (issue 22), so the rest of the session is not sent either.
    if (a.status === 403 && (a.body as { error?: { code?: unknown } })?.error?.code === 'session_blocked') {
      out.stopped = batches.length - seq;
      if (out.firstBlock === null) out.firstBlock = seq + 1;
      if (out.firstFlag === null) out.firstFlag = seq + 1;
      break;
    }
    const decision = a.body?.decision as Decision | undefined;
    if (a.status !== 200 || !decision || !DECISIONS.includes(decision)) {
      bump(out.errors, errorKey('POST /v1/events', a));
      continue;
    }
    out.answered++;
    if (a.body?.duplicate) out.duplicates++;
    out.decisions[decision]++;
    const i = seq + 1;
    if (decision !== 'allow' && out.firstMonitor === null) out.firstMonitor = i;
    if (decision === 'challenge' || decision === 'block') {
      if (out.firstFlag === null) out.firstFlag = i;
      for (const r of a.body?.reasons ?? []) bump(out.flagReasons, r);
    }
    if (decision === 'block' && out.firstBlock === null) out.firstBlock = i;
  }
  return out;
}

/** Sums sessions into a report row. */
export function summarise(label: 'person' | 'bot', corpus: string, family: string | null, list: readonly SessionOutcome[]): GroupRow {
  const windows = list.reduce((n, s) => n + s.windows, 0);
  const answered = list.reduce((n, s) => n + s.answered, 0);
  const challenged = list.filter((s) => s.firstFlag !== null).length;
  const blocked = list.filter((s) => s.firstBlock !== null).length;
  const monitored = list.filter((s) => s.firstMonitor !== null).length;
  const wChallenged = list.reduce((n, s) => n + s.decisions.challenge + s.decisions.block, 0);
  const wBlocked = list.reduce((n, s) => n + s.decisions.block, 0);
  const wMonitored = list.reduce((n, s) => n + s.decisions.monitor + s.decisions.challenge + s.decisions.block, 0);
  const detection = list.flatMap((s) => (s.firstFlag === null ? [] : [s.firstFlag])).sort((a, b) => a - b);
  const reasons: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const s of list) {
    for (const [r, n] of Object.entries(s.flagReasons)) bump(reasons, r, n);
    for (const [e, n] of Object.entries(s.errors)) bump(errors, e, n);
  }
  return {
    label, corpus, family,
    sessions: list.length,
    sessions_fully_answered: list.filter((s) => s.answered + s.stopped === s.windows).length,
    windows,
    windows_answered: answered,
    sessions_challenged: challenged,
    sessions_challenged_pct: pct(challenged, list.length),
    sessions_blocked: blocked,
    sessions_blocked_pct: pct(blocked, list.length),
    sessions_monitored: monitored,
    sessions_monitored_pct: pct(monitored, list.length),
    windows_challenged: wChallenged,
    windows_challenged_pct: pct(wChallenged, answered),
    windows_blocked: wBlocked,
    windows_blocked_pct: pct(wBlocked, answered),
    windows_monitored_pct: pct(wMonitored, answered),
    windows_to_detection: { median: rank(detection, 0.5), p90: rank(detection, 0.9) },
    top_reasons: Object.entries(reasons).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([reason, n]) => ({ reason, answers: n })),
    errors,
  };
}

/** Rows per corpus (family null) and, where a corpus has families, per family; people and bots apart. */
export function group(outcomes: readonly SessionOutcome[]): { people: GroupRow[]; bots: GroupRow[] } {
  const buckets = new Map<string, { label: 'person' | 'bot'; corpus: string; family: string | null; list: SessionOutcome[] }>();
  const add = (label: 'person' | 'bot', corpus: string, family: string | null, s: SessionOutcome) => {
    const key = `${label}\0${corpus}\0${family ?? ''}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { label, corpus, family, list: [] }));
    b.list.push(s);
  };
  for (const s of outcomes) {
    add(s.label, s.corpus, null, s);
    if (s.family) add(s.label, s.corpus, s.family, s);
  }
  const rows = [...buckets.values()].map((b) => summarise(b.label, b.corpus, b.family, b.list));
  // A corpus without families has one row; with families, its total comes first.
  const order = (a: GroupRow, b: GroupRow) => a.corpus.localeCompare(b.corpus) || (a.family === null ? -1 : b.family === null ? 1 : a.family.localeCompare(b.family));
  return { people: rows.filter((r) => r.label === 'person').sort(order), bots: rows.filter((r) => r.label === 'bot').sort(order) };
}

/** Drives the edge with every session of the corpora, `concurrency` sessions at a time. */
export async function evalLive(o: LiveOptions): Promise<{ report: LiveReport; outcomes: SessionOutcome[] }> {
  const startedAt = new Date();
  const state = { sessionRoute: true };
  async function* all(): AsyncGenerator<CorpusSession> {
    for (const file of o.corpora) {
      let n = 0;
      for await (const s of readCorpus(file)) {
        if (o.maxSessions && n++ >= o.maxSessions) break;
        yield s;
      }
    }
  }
  const source = all();
  const outcomes: SessionOutcome[] = [];
  let windowsDone = 0;
  let warnedRate = false;
  const progress = o.progress;
  const timer = progress
    ? setInterval(() => {
      const errors = outcomes.reduce((n, s) => n + Object.values(s.errors).reduce((a, b) => a + b, 0), 0);
      progress(`eval live: ${outcomes.length} sessions, ${windowsDone} windows, ${errors} errors, ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
    }, 5000)
    : undefined;
  try {
    // Async generators queue concurrent next() calls, so the workers share one stream of sessions.
    await Promise.all(
      Array.from({ length: Math.max(1, o.concurrency) }, async () => {
        for (;;) {
          const next = await source.next();
          if (next.done) return;
          const outcome = await replaySession(next.value, o, state);
          windowsDone += outcome.windows;
          if (!warnedRate && Object.keys(outcome.errors).some((k) => / 429/.test(k))) {
            warnedRate = true;
            progress?.(`eval live: ${RATE_HINT}`);
          }
          outcomes.push(outcome);
        }
      }),
    );
  } finally {
    if (timer) clearInterval(timer);
  }

  const { people, bots } = group(outcomes);
  const errors: Record<string, number> = {};
  for (const s of outcomes) for (const [e, n] of Object.entries(s.errors)) bump(errors, e, n);
  const warnings: string[] = [];
  if (Object.keys(errors).some((k) => / 429/.test(k))) warnings.push(RATE_HINT);
  if (Object.keys(errors).some((k) => / 40[13]/.test(k))) warnings.push(AUTH_HINT);
  const unanswered = outcomes.reduce((n, s) => n + s.windows - s.answered - s.stopped, 0);
  if (unanswered) warnings.push(`${unanswered} windows were not answered (see errors)`);
  const report: LiveReport = {
    protocol:
      'each session replayed over HTTP as the collector sends it (POST /v1/session, then its windows in order as POST /v1/events); ' +
      'the answer is the session\'s decision; a session is challenged (a bot: flagged) when any answer is challenge or block, blocked when any is block, monitored when any is monitor or worse; ' +
      'windows to detection: 1-based window of the first challenge or block',
    edge: o.edge,
    corpora: o.corpora,
    pace: o.pace,
    max_gap_ms: o.pace === 'real' ? o.maxGapMs : null,
    max_windows: o.maxWindows ?? null,
    max_sessions: o.maxSessions ?? null,
    concurrency: o.concurrency,
    started_at: startedAt.toISOString(),
    seconds: +((Date.now() - startedAt.getTime()) / 1000).toFixed(1),
    totals: { sessions: outcomes.length, windows: windowsDone, windows_answered: outcomes.reduce((n, s) => n + s.answered, 0), errors },
    warnings,
    people,
    bots,
  };
  return { report, outcomes };
}

/** The plot: per corpus and family, % of sessions challenged (flagged) and blocked, people then bots. */
export function plot(report: LiveReport): string {
  const label = (r: GroupRow) => (r.family === null ? (report.bots.some((b) => b.corpus === r.corpus && b.family !== null) ? `${r.corpus} (all)` : r.corpus) : `${r.corpus}: ${r.family}`);
  const PEOPLE = ['#7fa7d9', '#1f4e8c'];
  const BOTS = ['#f0a04b', '#b3261e'];
  const rows: BarRow[] = [
    ...report.people.map((r) => ({ section: 'people (lower is better)', label: label(r), values: [r.sessions_challenged_pct, r.sessions_blocked_pct], colors: PEOPLE, note: `${r.sessions} sessions` })),
    ...report.bots.map((r) => ({
      section: 'bots (higher is better)', label: label(r), values: [r.sessions_challenged_pct, r.sessions_blocked_pct], colors: BOTS,
      note: `${r.sessions} s., det. ${r.windows_to_detection.median ?? '-'}`,
    })),
  ];
  const subtitle = `${report.edge}, pace ${report.pace}${report.max_windows ? `, first ${report.max_windows} windows per session` : ''}; ${report.totals.sessions} sessions, ${report.totals.windows_answered}/${report.totals.windows} windows answered; det. = median windows to detection`;
  return barChartSvg('cadence eval live: sessions challenged or blocked (%)', [
    { name: 'sessions challenged or blocked (people: light blue; bots, i.e. flagged: orange)', color: '#f0a04b' },
    { name: 'sessions blocked (people: dark blue; bots: red)', color: '#b3261e' },
  ], rows, subtitle);
}

function table(report: LiveReport): string {
  const lines: string[] = [];
  const name = (r: GroupRow) => (r.family === null ? r.corpus : `  ${r.family}`).padEnd(26);
  lines.push('people                     sessions  windows  challenged  blocked  monitored  windows chall./blocked  top reasons');
  for (const r of report.people) {
    lines.push(`${name(r)} ${String(r.sessions).padStart(8)} ${String(r.windows).padStart(8)}  ${`${r.sessions_challenged_pct}%`.padStart(10)} ${`${r.sessions_blocked_pct}%`.padStart(8)} ${`${r.sessions_monitored_pct}%`.padStart(10)}  ${`${r.windows_challenged_pct}% / ${r.windows_blocked_pct}%`.padStart(22)}  ${r.top_reasons.slice(0, 3).map((x) => x.reason).join(', ')}`);
  }
  lines.push('bots                       sessions  windows     flagged  blocked  monitored  windows to detection (median/p90)  top reasons');
  for (const r of report.bots) {
    lines.push(`${name(r)} ${String(r.sessions).padStart(8)} ${String(r.windows).padStart(8)}  ${`${r.sessions_challenged_pct}%`.padStart(10)} ${`${r.sessions_blocked_pct}%`.padStart(8)} ${`${r.sessions_monitored_pct}%`.padStart(10)}  ${`${r.windows_to_detection.median ?? '-'} / ${r.windows_to_detection.p90 ?? '-'}`.padStart(33)}  ${r.top_reasons.slice(0, 3).map((x) => x.reason).join(', ')}`);
  }
  const errs = Object.entries(report.totals.errors);
  lines.push(`${report.totals.sessions} sessions, ${report.totals.windows_answered} of ${report.totals.windows} windows answered in ${report.seconds} s${errs.length ? `; errors: ${errs.map(([k, n]) => `${k} x${n}`).join(', ')}` : ''}`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

const USAGE =
  'usage: cadence eval live --edge URL --corpus FILE.jsonl [--corpus FILE2 ...] [--concurrency 8] [--pace fast|real] [--max-gap-ms 3000]\n' +
  '                         [--max-windows N] [--max-sessions N] [--out DIR] [--json]\n' +
  '  corpora: cadence eval corpus --from balabit|aalto|cmu|kaggle|synth --in PATH --out FILE.jsonl\n' +
  '  the stack: CADENCE_RATE_SESSION_PER_MIN=0 CADENCE_RATE_IP_PER_MIN=0 npm start -- --runtime node\n' +
  '  per-user verification: cadence eval live --per-user --edge URL --core URL --api-key KEY --corpus FILE ... (bench/eval-live-per-user.ts)\n';

export async function run(argv: string[]): Promise<number> {
  // Per-user verification through the same path: its own driver (bench/eval-live-per-user.ts).
  if (argv.includes('--per-user')) return (await import('./eval-live-per-user.ts')).run(argv.filter((a) => a !== '--per-user'));
  const corpora = argv.flatMap((a, i) => (a === '--corpus' && argv[i + 1] && !argv[i + 1]!.startsWith('--') ? [argv[i + 1]!] : []));
  const pace = option(argv, 'pace') ?? 'fast';
  if (!corpora.length || (pace !== 'fast' && pace !== 'real')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const edge = (option(argv, 'edge') ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const maxWindows = option(argv, 'max-windows') === undefined ? undefined : intOption(argv, 'max-windows', 1);
  const maxSessions = option(argv, 'max-sessions') === undefined ? undefined : intOption(argv, 'max-sessions', 1);
  const out = option(argv, 'out') ?? 'artifacts/eval-live';
  const json = argv.includes('--json');
  const health = await exchange(`${edge}/healthz`, { method: 'GET' }, 5000);
  if (health.status !== 200) {
    process.stderr.write(`eval live: no edge answers at ${edge}/healthz (${health.status || 'no answer'}).\n${USAGE}`);
    return 1;
  }
  const { report, outcomes } = await evalLive({
    edge, corpora, pace, maxWindows, maxSessions,
    concurrency: intOption(argv, 'concurrency', 8),
    maxGapMs: intOption(argv, 'max-gap-ms', 3000),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(path.join(out, 'sessions.jsonl'), outcomes.map((s) => JSON.stringify(s)).join('\n') + '\n');
  writeFileSync(path.join(out, 'plot.svg'), plot(report));
  process.stdout.write(json ? `${JSON.stringify(report, null, 1)}\n` : table(report));
  process.stderr.write(`eval live: wrote ${path.join(out, 'results.json')}, sessions.jsonl and plot.svg\n`);
  return 0;
}
