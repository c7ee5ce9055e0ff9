// The browser-facing identity face (issue 21 item 1): /v1/auth/* on the edge, forwarded to the
// core's IdentityService through the typed client (edge/core-clients.ts). Portable (fetch only):
// the same on Node and workerd.
//
// Tokens: the access token (short-lived, EdDSA) is answered in the body and sent back as
// `Authorization: Bearer`; the refresh token never reaches the page's JavaScript: it lives in an
// HttpOnly, Secure, SameSite=Strict cookie scoped to /v1/auth, rotated on each refresh.
// CSRF: every POST must be application/json (a cross-origin one needs a CORS preflight) and its
// Origin, when sent, must be the edge's own or one of CADENCE_CORS_ORIGINS (never `*` here);
// the cookie is SameSite=Strict besides. No secret is ever in a URL (the session status reads the
// token from a header and the device from `x-device-id`) or in a log line.
import type { Context, Hono } from 'hono';
import { decodeJwt } from 'jose';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CadenceClients } from '../client/index.ts';
import type { BytesPost } from '../client/unary-transport.ts';
import { RequiredAction, SessionStatus, Severity, type TokenPair } from '../client/gen/cadence/v1/identity_pb.ts';
import { CadenceError, Code } from '../lib/errors.ts';
import { createCoreClients } from './core-clients.ts';
import { standingOf } from './forward.ts';
import { refuse } from './errors.ts';
import { RateLimiter } from './limits.ts';

export const REFRESH_COOKIE = '__Secure-cadence-refresh';
const COOKIE_PATH = '/v1/auth';
const MAX_BODY = 8 * 1024;
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface IdentityFaceOptions {
  coreUrls: readonly string[];
  coreApiKey?: string;
  timeoutMs: number;
  /** Origins allowed to call from the browser besides the edge's own (`*` is not honoured here). */
  corsOrigins: readonly string[];
  /** Requests per minute per client address over all /v1/auth routes, and the burst. */
  perMinute: number;
  burst: number;
  clientIp: (c: Context) => string;
  now: () => number;
  log: (msg: string, fields: Record<string, unknown>) => void;
  /** The edge's own mirror of the session: a verified MPIN answers its challenge here too. */
  onStepUp?: (sessionId: string) => void;
  post?: BytesPost;
}

type Json = Record<string, unknown>;
type Field = { name: string; kind: 'email' | 'secret' | 'digits' | 'id' };

/** Cheap shape checks before the core sees anything; the core checks the rules themselves. */
function fields(body: unknown, wanted: Field[]): Json | { problem: string; field: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'the body must be a JSON object', field: '(body)' };
  const b = body as Json;
  for (const k of Object.keys(b)) if (!wanted.some((w) => w.name === k)) return { problem: `unknown field ${k.slice(0, 40)}`, field: k.slice(0, 40) };
  const out: Json = {};
  for (const w of wanted) {
    const v = b[w.name];
    if (typeof v !== 'string' || v.length === 0) return { problem: `${w.name} is required (a string)`, field: w.name };
    const ok = w.kind === 'email' ? v.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(v) : w.kind === 'secret' ? v.length <= 256 : w.kind === 'digits' ? /^\d{1,12}$/.test(v) : ID.test(v);
    if (!ok) return { problem: `${w.name} is not a valid ${w.kind === 'id' ? 'id ([A-Za-z0-9._:-], at most 128)' : w.kind === 'digits' ? 'MPIN (digits)' : w.kind === 'email' ? 'email' : 'value'}`, field: w.name };
    out[w.name] = v;
  }
  return out;
}

// The enums' names as the page reads them; UNSPECIFIED (absent on the wire) reads as before.
const SEVERITY = (s: Severity) => (s === Severity.UNSPECIFIED ? 'none' : (Severity[s] ?? '').toLowerCase());
const STATUS = (s: SessionStatus) => (s === SessionStatus.UNSPECIFIED ? '' : (SessionStatus[s] ?? '').toLowerCase());
const ACTION = (s: RequiredAction) => (s === RequiredAction.UNSPECIFIED ? 'none' : (RequiredAction[s] ?? '').toLowerCase());

export function addIdentityFace(app: Hono, o: IdentityFaceOptions): void {
  const cores = createCoreClients({ coreUrls: o.coreUrls, timeoutMs: o.timeoutMs, post: o.post, apiKey: o.coreApiKey });
  /** One IdentityService call, moving on to the next core only when one is away. */
  const core = <T>(call: (identity: CadenceClients['identity']) => Promise<T>) => cores.call((c) => call(c.identity));
  const limiter = new RateLimiter({ perMinute: o.perMinute, burst: o.burst }, o.now);
  const allowed = new Set(o.corsOrigins.filter((x) => x !== '*'));

  /** The request's Origin if it is one this face serves (its own or configured), else undefined; '' when none was sent. */
  const originOf = (c: Context): string | undefined => {
    const origin = c.req.header('origin');
    if (origin === undefined) return '';
    if (origin === new URL(c.req.url).origin || allowed.has(origin)) return origin;
    return undefined;
  };

  // CORS for the identity face: credentials, exact origins only; a preflight from any other origin is refused.
  app.use(`${COOKIE_PATH}/*`, async (c, next) => {
    const origin = originOf(c);
    if (origin === undefined) return refuse(c, 403, 'origin_not_allowed', 'this origin may not call the identity routes (CADENCE_CORS_ORIGINS)', 'origin');
    if (origin && origin !== new URL(c.req.url).origin) {
      c.header('access-control-allow-origin', origin);
      c.header('access-control-allow-credentials', 'true');
      c.header('vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS') {
      c.header('access-control-allow-methods', 'GET, POST');
      c.header('access-control-allow-headers', 'content-type, authorization, x-device-id');
      c.header('access-control-max-age', '600');
      return c.body(null, 204);
    }
    const wait = limiter.take(o.clientIp(c));
    if (wait > 0) {
      c.header('retry-after', String(wait));
      return refuse(c, 429, 'rate_limited', `too many identity requests from this address; retry in ${wait} s`);
    }
    return next();
  });

  /** A POST route: JSON only, bounded, its fields checked; the core's refusals keep the edge's error shape. */
  const post = (path: string, wanted: Field[], run: (c: Context, body: Json) => Promise<Response>) =>
    app.post(`${COOKIE_PATH}/${path}`, async (c) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send application/json', 'content-type');
      const length = Number(c.req.header('content-length') ?? 0);
      if (length > MAX_BODY) return refuse(c, 413, 'body_too_large', `identity requests are limited to ${MAX_BODY} bytes`);
      const text = await c.req.text();
      if (text.length > MAX_BODY) return refuse(c, 413, 'body_too_large', `identity requests are limited to ${MAX_BODY} bytes`);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        return refuse(c, 400, 'malformed_json', 'the body is not valid JSON', '(body)');
      }
      const checked = fields(body, wanted);
      if ('problem' in checked) return refuse(c, 400, 'invalid_argument', String(checked.problem), String(checked.field));
      return answer(c, () => run(c, checked));
    });

  /** The core's refusal in the edge's shape; an unreachable core is a 503, never a 500. */
  async function answer(c: Context, run: () => Promise<Response>): Promise<Response> {
    try {
      return await run();
    } catch (err) {
      const e = CadenceError.from(err);
      if (e.code === Code.UNAVAILABLE || e.code === Code.DEADLINE_EXCEEDED || e.code === Code.INTERNAL || e.code === Code.UNKNOWN) {
        o.log('identity call failed', { path: c.req.path, code: e.codeName }); // never the body, tokens or email
        c.header('retry-after', '1');
        return refuse(c, 503, 'unavailable', 'the identity service is unavailable; retry');
      }
      // A wrong MPIN, a locked account: named so a page can say which.
      const code = e.field === 'mpin' && e.code === Code.UNAUTHENTICATED ? 'wrong_mpin' : e.field === 'mpin' && e.code === Code.PERMISSION_DENIED ? 'locked' : e.codeName;
      return refuse(c, e.httpStatus as 400, code, e.message, e.field?.replace(/^refreshToken$/, 'cookie'));
    }
  }

  const bearer = (c: Context) => /^Bearer\s+([A-Za-z0-9._-]{1,4096})$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const needBearer = (c: Context) => refuse(c, 401, 'unauthenticated', 'send the access token as Authorization: Bearer <token>', 'authorization');
  const tokens = (c: Context, t: TokenPair | undefined) => {
    if (!t) throw new CadenceError(Code.INTERNAL, 'the core answered without tokens');
    const pair = t;
    const maxAge = Math.max(0, Math.floor((Number(pair.refreshExpiresAtMs) - o.now()) / 1000));
    setCookie(c, REFRESH_COOKIE, pair.refreshToken, { path: COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'Strict', maxAge });
    return { accessToken: pair.accessToken, accessExpiresAtMs: Number(pair.accessExpiresAtMs), tokenType: 'Bearer' };
  };
  const forget = (c: Context) => deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'Strict' });

  post('register', [{ name: 'email', kind: 'email' }, { name: 'password', kind: 'secret' }, { name: 'mpin', kind: 'digits' }], async (c, b) => {
    const r = await core((id) => id.register({ email: String(b.email), password: String(b.password), mpin: String(b.mpin) }));
    return c.json({ userId: r.userId }, 201);
  });

  post('login', [{ name: 'email', kind: 'email' }, { name: 'password', kind: 'secret' }, { name: 'deviceId', kind: 'id' }], async (c, b) => {
    const r = await core((id) => id.login({ email: String(b.email), password: String(b.password), deviceId: String(b.deviceId) }));
    return c.json({ sessionId: r.sessionId, userId: r.userId, idleTimeoutS: r.idleTimeoutS, ...tokens(c, r.tokens) });
  });

  post('refresh', [{ name: 'deviceId', kind: 'id' }], async (c, b) => {
    const refreshToken = getCookie(c, REFRESH_COOKIE);
    if (!refreshToken || refreshToken.length > 512) return refuse(c, 401, 'unauthenticated', 'no refresh cookie: log in', 'cookie');
    try {
      const r = await core((id) => id.refresh({ refreshToken, deviceId: String(b.deviceId) }));
      return c.json({ sessionId: r.sessionId, ...tokens(c, r.tokens) });
    } catch (err) {
      // A refused refresh token is no use to the page: drop it.
      if (CadenceError.from(err).code === Code.UNAUTHENTICATED) forget(c);
      throw err;
    }
  });

  post('logout', [{ name: 'deviceId', kind: 'id' }], async (c, b) => {
    const accessToken = bearer(c);
    if (!accessToken) return needBearer(c);
    await core((id) => id.logout({ accessToken, deviceId: String(b.deviceId) }));
    forget(c);
    return c.json({ ok: true });
  });

  post('mpin', [{ name: 'mpin', kind: 'digits' }, { name: 'deviceId', kind: 'id' }], async (c, b) => {
    const accessToken = bearer(c);
    if (!accessToken) return needBearer(c);
    const r = await core((id) => id.verifyMpin({ accessToken, deviceId: String(b.deviceId), mpin: String(b.mpin) }));
    // The core accepted this very token, so its session id can be read without verifying again.
    const sid = decodeJwt(accessToken).sid;
    if (typeof sid === 'string') o.onStepUp?.(sid);
    return c.json({ status: STATUS(r.status), requiredAction: 'none' });
  });

  app.get(`${COOKIE_PATH}/session`, async (c) => {
    const accessToken = bearer(c);
    if (!accessToken) return needBearer(c);
    const deviceId = c.req.header('x-device-id') ?? '';
    if (!ID.test(deviceId)) return refuse(c, 400, 'invalid_argument', 'send the device id as x-device-id', 'x-device-id');
    return answer(c, async () => {
      const r = await core((id) => id.getSessionStatus({ accessToken, deviceId }));
      const standing = r.standing;
      return c.json({
        sessionId: r.sessionId,
        status: STATUS(r.status),
        severity: SEVERITY(r.severity),
        requiredAction: ACTION(r.requiredAction),
        mpinAttemptsLeft: r.mpinAttemptsLeft,
        lastActivityMs: Number(r.lastActivityMs),
        expiresAtMs: Number(r.expiresAtMs),
        ...(standing ? { standing: standingOf(standing.level) ?? '', standingReasons: [...standing.reasons] } : {}),
      });
    });
  });
}
