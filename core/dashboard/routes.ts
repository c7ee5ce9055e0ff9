// The analyst dashboard on the core's HTTP face (/dashboard): sign-in with an admin API key, then
// server-rendered pages over the same AdminService / ModelService handlers the RPCs serve.
import type { Context, Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Profile } from '../../scoring/profile.ts';
import type { Thresholds } from '../../scoring/policy.ts';
import type { AdminQueries } from '../admin/queries.ts';
import { sessionCsv, type SessionExport } from '../admin/session-export.ts';
import type { Logger } from '../log.ts';
import type { ApiKey } from '../offchain/limits.ts';
import type { ServiceHandlers } from '../transport/rpc.ts';
import { connectPeer } from '../transport/connect.ts';
import type { LoginThrottle } from '../identity/throttle.ts';
import { ABSOLUTE_MS, COOKIE, createDashboardSessions } from './auth.ts';
import { featureContributions, toBatchEvents } from './contributions.ts';
import { BASE, detailBody, driftBody, errorBody, layout, loginPage, modelsBody, scoresBody, sessionsBody, type UserSeries } from './pages.ts';
import { CSS } from './style.ts';
import type { ModelInfo, SessionDetail, SessionSummary, Stats } from './view.ts';
import { LABEL_CHOICES, labelCard, type SessionLabelsView } from './labels-view.ts';
import { sessionModelBody } from './session-model-page.ts';

export interface DashboardDeps {
  /** The AdminService and ModelService handlers, unwrapped: the dashboard session stands in for x-api-key. */
  admin: ServiceHandlers;
  models: ServiceHandlers;
  queries: AdminQueries;
  adminKeys: readonly ApiKey[] | undefined;
  thresholds: Thresholds;
  profile: Profile;
  log: Logger;
  now: () => number;
  /** Failed sign-ins per client address (the login throttle, with the dashboard's own limits). */
  signIns?: LoginThrottle;
  /** Records a refused sign-in as a security event (core/policy/security-log.ts). */
  refused?: (r: { kind: 'admin_denied' | 'login_throttled'; reasons: string[]; peer?: string }) => void;
}

const WINDOW_MS: Record<string, number> = { all: 0, '15m': 15 * 60_000, '1h': 3600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
const MIN_LEVEL: Record<string, string> = { all: 'DECISION_UNSPECIFIED', low: 'DECISION_MONITOR', medium: 'DECISION_CHALLENGE', high: 'DECISION_BLOCK' };
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,512}$/;

// Query parameters: unknown ones are refused too, so a typo is not silently ignored.
const windowParam = z.enum(['all', '15m', '1h', '24h', '7d']).default('all');
const sessionsQuery = z.strictObject({
  level: z.enum(['all', 'low', 'medium', 'high']).default('all'),
  window: windowParam,
  size: z.enum(['10', '25', '50', '100', '200']).default('25').transform(Number),
  page: z.string().regex(TOKEN, 'page must be a page token from a "next page" link').optional(),
});
const scoresQuery = z.strictObject({ window: windowParam });
const driftQuery = z.strictObject({ window: windowParam, user: z.union([z.literal(''), z.string().regex(ID, 'user must be a user id')]).default('') });
const modelsQuery = z.strictObject({ page: z.string().regex(TOKEN, 'page must be a page token from an "older" link').optional() });
const detailQuery = z.strictObject({ batch: z.string().regex(ID, 'batch must be a batch id').optional() });

function parse<T extends z.ZodType>(schema: T, c: Context): z.infer<T> {
  const r = schema.safeParse(c.req.query());
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  const message = issue.code === 'unrecognized_keys' ? `unknown query parameter ${field}` : `${field}: ${issue.message}`;
  throw new CadenceError(Code.INVALID_ARGUMENT, message, field);
}

const url = (path: string, params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)]));
  const s = q.toString();
  return `${BASE}/${path}${s ? `?${s}` : ''}`;
};

export function addDashboardRoutes(http: Hono, deps: DashboardDeps): void {
  const sessions = createDashboardSessions(deps.adminKeys, deps.now);
  const ctx = () => ({ metadata: {}, signal: AbortSignal.timeout(10_000) });
  const call = <T>(h: ServiceHandlers, method: string, req: Record<string, unknown>) => h[method]!(req, ctx()) as Promise<T>;
  const stats = () => call<Stats>(deps.admin, 'GetStats', { sinceMs: 0 });
  const sinceOf = (w: string) => (WINDOW_MS[w] ? deps.now() - WINDOW_MS[w]! : 0);
  const secure = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

  // Every dashboard answer: no caching, no framing, no inline scripts or styles, no referrer leaks.
  http.use(`${BASE}/*`, async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
    c.header('content-security-policy', "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
  });

  http.get(`${BASE}/static/style.css`, (c) => c.body(CSS, 200, { 'content-type': 'text/css; charset=utf-8' }));
  http.get(`${BASE}/login`, (c) => c.html(loginPage({ enabled: sessions.enabled })));
  http.post(`${BASE}/login`, async (c) => {
    const peer = connectPeer(c) ?? 'unknown';
    // Reserved before the key is compared, so concurrent guesses cannot overtake the count.
    const attempt = await deps.signIns?.reserve([{ scope: ['dashboard', peer], what: 'from this address', resetOnSuccess: true }]);
    if (attempt && !attempt.ok) {
      deps.refused?.({ kind: 'login_throttled', reasons: ['dashboard', 'throttled'], peer });
      c.header('retry-after', String(attempt.retryS));
      return c.html(loginPage({ enabled: sessions.enabled, error: `Too many failed sign-ins from this address: try again in ${attempt.retryS} s.` }), 429);
    }
    try {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const key = typeof form.key === 'string' ? form.key : '';
      const signed = sessions.signIn(key);
      if (!signed) {
        await attempt?.failed();
        deps.log.warn('dashboard sign-in refused', { peer }); // never the presented key
        deps.refused?.({ kind: 'admin_denied', reasons: ['dashboard', key ? 'wrong_key' : 'no_key'], peer });
        return c.html(loginPage({ enabled: sessions.enabled, error: sessions.enabled ? 'That is not an admin API key of this core.' : 'Admin sign-in is disabled on this core.' }), 401);
      }
      deps.log.info('dashboard sign-in', { key: signed.keyName });
      await attempt?.succeeded();
      setCookie(c, COOKIE, signed.id, { path: BASE, httpOnly: true, sameSite: 'Strict', secure: secure(c), maxAge: ABSOLUTE_MS / 1000 });
      return c.redirect(`${BASE}/sessions`, 303);
    } finally {
      await attempt?.release(); // nothing once settled
    }
  });
  http.post(`${BASE}/logout`, (c) => {
    sessions.signOut(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: BASE, httpOnly: true, sameSite: 'Strict', secure: secure(c) });
    return c.redirect(`${BASE}/login`, 303);
  });

  /** A signed-in page: the session cookie is checked, errors become a page naming the problem. */
  const page = (path: string, active: string, title: (c: Context) => string, body: (c: Context) => Promise<ReturnType<typeof errorBody>>) =>
    http.get(path, async (c) => {
      const keyName = sessions.check(getCookie(c, COOKIE));
      if (!keyName) return c.redirect(`${BASE}/login`, 303);
      try {
        const [content, s] = await Promise.all([body(c), stats()]);
        return c.html(layout({ title: title(c), active, keyName, stats: s, body: content }));
      } catch (err) {
        const e = CadenceError.from(err);
        if (e.code === Code.INTERNAL) deps.log.error('dashboard page failed', { path: c.req.path, err: e.cause ?? e });
        const message = e.code === Code.INTERNAL ? 'internal error' : e.message;
        return c.html(layout({ title: 'Problem', active, keyName, body: errorBody(message, e.field) }), e.httpStatus as 400);
      }
    });

  http.get(BASE, (c) => c.redirect(`${BASE}/sessions`, 303));
  http.get(`${BASE}/`, (c) => c.redirect(`${BASE}/sessions`, 303));

  page(`${BASE}/sessions`, 'sessions', () => 'Sessions', async (c) => {
    const q = parse(sessionsQuery, c);
    const sinceMs = sinceOf(q.window);
    const [list, flagged] = await Promise.all([
      call<{ sessions: SessionSummary[]; nextPageToken: string }>(deps.admin, 'ListSessions', { minLevel: MIN_LEVEL[q.level], sinceMs, untilMs: 0, pageSize: q.size, pageToken: q.page ?? '', userId: '' }),
      call<{ sessions: SessionSummary[] }>(deps.admin, 'ListSessions', { minLevel: 'DECISION_CHALLENGE', sinceMs, untilMs: 0, pageSize: 10, pageToken: '', userId: '' }),
    ]);
    const keep = { level: q.level === 'all' ? undefined : q.level, window: q.window === 'all' ? undefined : q.window, size: q.size === 25 ? undefined : q.size };
    return sessionsBody({
      filters: { level: q.level, window: q.window, size: q.size },
      rows: list.sessions,
      flagged: flagged.sessions,
      nextUrl: list.nextPageToken ? url('sessions', { ...keep, page: list.nextPageToken }) : undefined,
      firstUrl: q.page ? url('sessions', keep) : undefined,
    });
  });

  page(`${BASE}/sessions/:id`, 'sessions', (c) => `Session ${(c.req.param('id') ?? '').slice(0, 40)}`, async (c) => {
    const q = parse(detailQuery, c);
    const sessionId = c.req.param('id') ?? '';
    const [d, labels] = await Promise.all([
      call<SessionDetail>(deps.admin, 'GetSessionDetail', { sessionId, maxScores: 400 }),
      call<SessionLabelsView>(deps.admin, 'GetSessionLabels', { sessionId }),
    ]);
    const batchId = q.batch ?? d.scores.find((s) => s.source === 'core' && s.assessment.judged)?.batchId ?? d.scores[0]?.batchId;
    let contributions;
    if (batchId) {
      const rows = await deps.queries.batchEvents(sessionId, batchId);
      if (rows.length === 0 && q.batch) throw new CadenceError(Code.NOT_FOUND, `session ${sessionId} has no batch ${q.batch}`, 'batch');
      if (rows.length) contributions = featureContributions(batchId, toBatchEvents(rows), deps.profile);
    }
    return detailBody(d, deps.thresholds, contributions, labelCard(sessionId, labels));
  });

  /** The session's export as a download: the JSON document of ExportSession, or one CSV row per event. */
  for (const format of ['json', 'csv'] as const) http.get(`${BASE}/sessions/:id/export.${format}`, async (c) => {
    const keyName = sessions.check(getCookie(c, COOKIE));
    if (!keyName) return c.redirect(`${BASE}/login`, 303);
    const sessionId = c.req.param('id') ?? '';
    try {
      const r = await call<{ document: string }>(deps.admin, 'ExportSession', { sessionId });
      const body = format === 'csv' ? sessionCsv(JSON.parse(r.document) as SessionExport) : r.document;
      deps.log.info('dashboard exported a session', { sessionId, format, key: keyName });
      // The id matched [A-Za-z0-9._:-] in ExportSession, so it is safe in the file name (":" is not on every disk).
      const file = `session-${sessionId.replace(/:/g, '_')}.${format}`;
      return c.body(body, 200, {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${file}"`,
      });
    } catch (err) {
      const e = CadenceError.from(err);
      if (e.code === Code.INTERNAL) deps.log.error('dashboard export failed', { path: c.req.path, err: e.cause ?? e });
      return c.html(layout({ title: 'Problem', active: 'sessions', keyName, body: errorBody(e.code === Code.INTERNAL ? 'internal error' : e.message, e.field) }), e.httpStatus as 400);
    }
  });

  /**
   * A support action (a POST form on a session's page). CSRF: the session cookie is SameSite=Strict,
   * so another site's form arrives without it; and a request whose Origin (or Sec-Fetch-Site) says
   * it came from elsewhere is refused before anything is read.
   */
  const action = (path: string, run: (c: Context, keyName: string, reason: string, form: Record<string, unknown>) => Promise<string>) =>
    http.post(path, async (c) => {
      const keyName = sessions.check(getCookie(c, COOKIE));
      if (!keyName) return c.redirect(`${BASE}/login`, 303);
      // The dashboard's pages send no referrer, so a browser's form post says `Origin: null`: then
      // Sec-Fetch-Site must vouch for it.
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== new URL(c.req.url).origin;
      const unvouched = origin === 'null' && site === undefined;
      if (foreignOrigin || unvouched || (site && site !== 'same-origin' && site !== 'none')) {
        deps.refused?.({ kind: 'admin_denied', reasons: ['dashboard', 'cross_site'], peer: connectPeer(c) });
        return c.html(layout({ title: 'Problem', keyName, body: errorBody('This action must come from the dashboard itself.') }), 403);
      }
      try {
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
        return c.redirect(await run(c, keyName, reason, form), 303);
      } catch (err) {
        const e = CadenceError.from(err);
        if (e.code === Code.INTERNAL) deps.log.error('dashboard action failed', { path: c.req.path, err: e.cause ?? e });
        return c.html(layout({ title: 'Problem', keyName, body: errorBody(e.code === Code.INTERNAL ? 'internal error' : e.message, e.field) }), e.httpStatus as 400);
      }
    });
  const act = (method: string, req: Record<string, unknown>, keyName: string) =>
    deps.admin[method]!(req, { ...ctx(), actor: keyName }) as Promise<unknown>;

  action(`${BASE}/sessions/:id/clear-standing`, async (c, keyName, reason) => {
    const sessionId = c.req.param('id') ?? '';
    await act('ClearSessionStanding', { sessionId, reason }, keyName);
    deps.log.info('dashboard cleared a standing', { sessionId, key: keyName });
    return `${BASE}/sessions/${encodeURIComponent(sessionId)}`;
  });

  action(`${BASE}/users/:id/unlock`, async (c, keyName, reason) => {
    const userId = c.req.param('id') ?? '';
    await act('UnlockAccount', { userId, reason }, keyName);
    deps.log.info('dashboard unlocked an account', { userId, key: keyName });
    const back = c.req.query('session');
    return back && ID.test(back) ? `${BASE}/sessions/${encodeURIComponent(back)}` : `${BASE}/sessions`;
  });

  // The analyst is the signed-in key's name: who labelled is who signed in, not what a form says.
  action(`${BASE}/sessions/:id/label`, async (c, keyName, _reason, form) => {
    const sessionId = c.req.param('id') ?? '';
    const choice = LABEL_CHOICES.find(([value]) => value === form.label);
    if (!choice) throw new CadenceError(Code.INVALID_ARGUMENT, `label must be one of ${LABEL_CHOICES.map(([v]) => v).join(', ')}`, 'label');
    const note = typeof form.note === 'string' ? form.note.trim() : '';
    await act('LabelSession', { sessionId, label: choice[1], analyst: keyName, note }, keyName);
    deps.log.info('dashboard labelled a session', { sessionId, label: choice[0], key: keyName });
    return `${BASE}/sessions/${encodeURIComponent(sessionId)}#label`;
  });

  page(`${BASE}/scores`, 'scores', () => 'Score distribution', async (c) => {
    const q = parse(scoresQuery, c);
    const counts = await deps.queries.scoreHistogram({ sinceMs: sinceOf(q.window), untilMs: 0, bins: 20 });
    return scoresBody({ counts, window: q.window, t: deps.thresholds });
  });

  page(`${BASE}/drift`, 'drift', () => 'Behaviour drift: scores per user over time', async (c) => {
    const q = parse(driftQuery, c);
    const rows = await deps.queries.userScoreSeries({ sinceMs: sinceOf(q.window), userId: q.user || undefined, maxPoints: 5000 });
    const byUser = new Map<string, UserSeries>();
    for (const r of rows) {
      const u = byUser.get(r.userId!) ?? { userId: r.userId!, points: [] };
      u.points.push({ x: r.createdAtMs, y: r.score, decision: r.decision, sessionId: r.sessionId });
      byUser.set(r.userId!, u);
    }
    // Most recently active users first; a dozen charts keep the page readable.
    const users = [...byUser.values()].sort((a, b) => b.points.at(-1)!.x - a.points.at(-1)!.x).slice(0, 12);
    return driftBody({ users, window: q.window, user: q.user, t: deps.thresholds });
  });

  page(`${BASE}/models`, 'models', () => 'Model registry', async (c) => {
    const q = parse(modelsQuery, c);
    const r = await call<{ models: ModelInfo[]; nextPageToken: string }>(deps.models, 'ListModels', { scope: '', kind: 'MODEL_KIND_UNSPECIFIED', activeOnly: false, pageSize: 50, pageToken: q.page ?? '' });
    return modelsBody({ models: r.models, nextUrl: r.nextPageToken ? url('models', { page: r.nextPageToken }) : undefined, firstUrl: q.page ? url('models', {}) : undefined });
  });

  page(`${BASE}/session-model`, 'session-model', () => 'Session model: held-out metrics', async (c) => {
    const q = parse(modelsQuery, c);
    const list = (activeOnly: boolean, pageToken: string) =>
      call<{ models: ModelInfo[]; nextPageToken: string }>(deps.models, 'ListModels', { scope: '', kind: 'MODEL_KIND_SESSION_FOREST', activeOnly, pageSize: activeOnly ? 1 : 50, pageToken });
    // The active version on its own too: it need not be on the page shown.
    const [r, active] = await Promise.all([list(false, q.page ?? ''), list(true, '')]);
    return sessionModelBody({ models: r.models, active: active.models[0], nextUrl: r.nextPageToken ? url('session-model', { page: r.nextPageToken }) : undefined, firstUrl: q.page ? url('session-model', {}) : undefined });
  });
}
