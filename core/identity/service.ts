// IdentityService: register, login, token refresh with rotation, revoke, logout, MPIN step-up,
// session status and the JWKS. Handlers: validate -> domain call -> encode; no secret is ever logged.
import { z } from 'zod';
import type { GetSessionStatusResponseInit } from '../../gen/proto/cadence/v1/GetSessionStatusResponse.ts';
import type { LoginResponseInit } from '../../gen/proto/cadence/v1/LoginResponse.ts';
import type { RefreshResponseInit } from '../../gen/proto/cadence/v1/RefreshResponse.ts';
import type { SessionStatus } from '../../gen/proto/cadence/v1/SessionStatus.ts';
import { CadenceError, Code } from '../../lib/errors.ts';
import { toWireAssessment, toWireStanding } from '../../lib/wire.ts';
import type { CoreConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { effectiveStatus, reportedStanding, requiredAction, severityOf, type EffectiveStatus, type StoredStatus } from '../policy/rules.ts';
import type { SecurityLog } from '../policy/security-log.ts';
import { throwIfAbandoned, type CallContext, type ServiceHandlers } from '../transport/rpc.ts';
import { decoyHash, hashSecret, verifySecret } from './hash.ts';
import type { KeyStore } from './keys.ts';
import type { IdentityStore, SessionRow, UserRow } from './store.ts';
import type { Attempt, Limit, LoginThrottle, Refusal } from './throttle.ts';
import type { AccessTokens } from './tokens.ts';
import * as v from './validate.ts';

export interface IdentityDeps {
  config: CoreConfig['identity'];
  store: IdentityStore;
  keys: KeyStore;
  tokens: AccessTokens;
  throttle: LoginThrottle;
  log: Logger;
  now: () => number;
  /** Where refused attempts (bad or other-device tokens, throttled guesses) are recorded. */
  security?: SecurityLog;
}

/** A fixed word for why a token failed verification (from jose's error code), safe to store. */
function tokenProblem(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; claim?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && typeof cause?.claim === 'string' && /^[a-z]{1,8}$/.test(cause.claim)) return `claim_${cause.claim}`;
  const known: Record<string, string> = {
    ERR_JWT_EXPIRED: 'expired',
    ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad_signature',
    ERR_JOSE_ALG_NOT_ALLOWED: 'alg_not_allowed',
    ERR_JWS_INVALID: 'malformed',
    ERR_JWT_INVALID: 'malformed',
    ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
    ERR_JOSE_NOT_SUPPORTED: 'alg_not_supported',
  };
  return known[code] ?? (/expired/.test((err as Error).message) ? 'expired' : 'invalid');
}

/** Two reservations settled together (every part is settled, even after one reports expiry). */
function joint(a: Attempt, b: Attempt): Attempt {
  const both = async (x: () => Promise<boolean>, y: () => Promise<boolean>) => [await x(), await y()].every(Boolean);
  return {
    ok: true,
    failed: () => both(a.failed, b.failed),
    succeeded: () => both(a.succeeded, b.succeeded),
    release: async () => void (await Promise.all([a.release(), b.release()])),
  };
}

const wireStatus = (s: EffectiveStatus) => `SESSION_STATUS_${s.toUpperCase()}` as SessionStatus;

export function identityService(deps: IdentityDeps): ServiceHandlers {
  const { config, store, tokens, now } = deps;
  const idleMs = config.sessionIdleMinutes * 60_000;
  let decoy: Promise<string> | undefined;

  const statusOf = (session: SessionRow, user: UserRow) =>
    effectiveStatus({ status: (session.status ?? 'active') as StoredStatus, lastSeenMs: session.lastSeenMs }, user, idleMs, now());

  const refused = (r: Parameters<SecurityLog['refused']>[0]) => deps.security?.refused(r);

  /** Verifies the access token, then that the session exists, is an identity session and is used from its own device. */
  async function authenticate(accessToken: string, deviceId: string, method: string, ctx: CallContext) {
    const rpc = `IdentityService/${method}`;
    let claims;
    try {
      claims = await tokens.verify(accessToken);
    } catch (err) {
      // Claims of a token that failed verification are not trusted, so no user or session is named.
      const expired = /expired/.test((err as Error).message);
      await refused({ kind: expired ? 'token_expired' : 'token_invalid', severity: expired ? 'low' : 'medium', rpc, reasons: [tokenProblem(err)], ctx });
      throw err;
    }
    const session = await store.session(claims.sid);
    const user = await store.userById(claims.sub);
    if (!session || !user || session.userId !== user.id) {
      await refused({ kind: 'token_invalid', severity: 'medium', rpc, reasons: ['unknown_session'], ctx });
      throw new CadenceError(Code.UNAUTHENTICATED, 'the access token names a session that does not exist: log in again', 'accessToken');
    }
    if (session.deviceId !== deviceId || claims.did !== deviceId) {
      await refused({ kind: 'device_mismatch', severity: 'high', rpc, userId: user.id, sessionId: session.id, ctx });
      throw new CadenceError(Code.PERMISSION_DENIED, 'this session is bound to another device: log in from this device', 'deviceId');
    }
    return { session, user, status: statusOf(session, user) };
  }

  /** Refuses a session that can no longer be used, saying why and what to do. */
  function requireUsable(status: EffectiveStatus, allowChallenged: boolean): void {
    switch (status) {
      case 'locked':
        throw new CadenceError(Code.FAILED_PRECONDITION, `the account is locked after ${config.mpinMaxFailures} failed MPIN attempts: contact support to unlock it`);
      case 'blocked':
        throw new CadenceError(Code.PERMISSION_DENIED, 'this session was blocked by the risk policy and its tokens revoked: log in again');
      case 'ended':
        throw new CadenceError(Code.UNAUTHENTICATED, 'this session has ended: log in again');
      case 'expired':
        throw new CadenceError(Code.UNAUTHENTICATED, `this session expired after ${config.sessionIdleMinutes} minutes of inactivity: log in again`);
      case 'challenged':
        if (!allowChallenged) throw new CadenceError(Code.FAILED_PRECONDITION, 'this session is challenged: verify the MPIN (VerifyMpin) first');
    }
  }

  async function issue(session: { id: string; userId: string; deviceId: string }, familyId?: string) {
    const [access, refresh] = await Promise.all([
      tokens.sign({ sub: session.userId, sid: session.id, did: session.deviceId }),
      store.issueRefresh({ sessionId: session.id, userId: session.userId, familyId }, config.refreshTokenTtlS),
    ]);
    return {
      accessToken: access.token,
      accessExpiresAtMs: access.expiresAtMs,
      refreshToken: refresh.token,
      refreshExpiresAtMs: refresh.expiresAtMs,
      tokenType: 'Bearer',
    };
  }

  /** A reservation dropped as stale before it was settled: the result is withheld, nothing was counted. */
  const tooSlow = (what: string) =>
    new CadenceError(Code.ABORTED, `this ${what} took too long and was not counted: try again`);

  /** A locked account: no session of it may go on, and no login until support unlocks it. */
  async function accountLocked(userId: string, sessionId: string): Promise<void> {
    await store.revokeUser(userId);
    await store.record({ kind: 'account_locked', userId, sessionId, severity: 'high', reasons: ['mpin_failures'] });
    deps.log.warn('account locked after failed MPINs', { userId, sessionId });
  }

  /**
   * Evaluates an MPIN only under a reservation taken in the database first, so concurrent guesses
   * (on any number of cores) never evaluate more than the limit; throws unless it is right and the
   * account still unlocked when settled.
   */
  async function checkMpin(mpin: string, user: UserRow, sessionId: string): Promise<void> {
    const max = config.mpinMaxFailures;
    const reservation = await store.reserveMpin(user.id, max);
    if (!reservation.ok) {
      if (reservation.reason === 'locked') requireUsable('locked', true);
      throw new CadenceError(Code.ABORTED, `${max} MPIN check${max === 1 ? ' is' : 's are'} already in progress for this account: retry when ${max === 1 ? 'it is' : 'they are'} answered`);
    }
    const right = await verifySecret(mpin, user.mpinHash).catch(async (err: unknown) => {
      await store.mpinRelease(user.id, reservation.epoch); // not evaluated: nothing to count
      throw err;
    });
    if (!right) {
      const settled = await store.mpinFailed(user.id, reservation.epoch, max);
      if (!settled) throw tooSlow('MPIN check');
      const { failures, lockedNow } = settled;
      await store.record({ kind: 'mpin_failed', userId: user.id, sessionId, severity: 'medium' });
      if (failures >= max) {
        if (lockedNow) await accountLocked(user.id, sessionId);
        throw new CadenceError(Code.PERMISSION_DENIED, `wrong MPIN: the account is now locked after ${failures} failed attempt${failures === 1 ? '' : 's'}; contact support to unlock it`, 'mpin');
      }
      const left = max - failures;
      throw new CadenceError(Code.UNAUTHENTICATED, `wrong MPIN: ${left} attempt${left === 1 ? '' : 's'} left before the account is locked`, 'mpin');
    }
    if (!(await store.mpinSucceeded(user.id, reservation.epoch))) {
      const latest = await store.userById(user.id);
      if (latest?.lockedAtMs != null) requireUsable('locked', true);
      throw tooSlow('MPIN check');
    }
  }

  /**
   * Reserves a login attempt before the password is hashed: per (account, device), per device and
   * per account (a higher ceiling over all devices). A device that has signed in to the account
   * before passes the account ceiling, with step-up: so guessing from other devices cannot lock the
   * owner out. Throws RESOURCE_EXHAUSTED (recorded) when a limit refuses.
   */
  async function admitLogin(email: string, deviceId: string, known: boolean, userId: string | null, ctx: CallContext): Promise<{ attempt: Attempt; stepUp: boolean }> {
    const device: Limit = { scope: ['device', deviceId], what: 'for this device' };
    const pair: Limit = { scope: ['pair', email, deviceId], what: 'for this account from this device', resetOnSuccess: true };
    const account: Limit = { scope: ['account', email], max: config.loginAccountMaxFailures, what: 'for this account' };
    const first = await deps.throttle.reserve([pair, device]);
    if (!first.ok) throw await throttled(first, userId, ctx);
    const second = await deps.throttle.reserve([account]).catch(async (err: unknown) => {
      await first.release();
      throw err;
    });
    if (second.ok) return { attempt: joint(first, second), stepUp: false };
    if (known) return { attempt: first, stepUp: true };
    await first.release();
    throw await throttled(second, userId, ctx);
  }

  /** Records a refused guess (under the account's id if there is one; never the email) and says when to retry. */
  async function throttled(refusal: Refusal, userId: string | null, ctx: CallContext): Promise<CadenceError> {
    const kind = refusal.limit.scope[0];
    await refused({ kind: 'login_throttled', severity: 'medium', rpc: 'IdentityService/Login', userId, reasons: [`limit:${kind}`], ctx });
    const { what } = refusal.limit;
    const hint = kind === 'account' ? ', or log in from a device that has signed in to this account before' : '';
    return new CadenceError(
      Code.RESOURCE_EXHAUSTED,
      refusal.reason === 'locked'
        ? `too many failed logins ${what}: retry in ${refusal.retryS} s${hint}`
        : `too many logins ${what} are being checked at once: retry in ${refusal.retryS} s`,
      undefined,
      { retryAfterS: refusal.retryS },
    );
  }

  return {
    async Register(req, ctx) {
      const r = v.parse(z.object({ email: v.email, password: v.newPassword, mpin: v.mpin(config.mpinLength) }), req);
      const [passwordHash, mpinHash] = await Promise.all([hashSecret(r.password, config.scryptN), hashSecret(r.mpin, config.scryptN)]);
      throwIfAbandoned(ctx);
      const userId = await store.createUser({ email: r.email, passwordHash, mpinHash });
      deps.log.info('user registered', { userId });
      return { userId };
    },

    async Login(req, ctx): Promise<LoginResponseInit> {
      const r = v.parse(z.object({ email: v.email, password: v.password, deviceId: v.deviceId }), req);
      const user = await store.userByEmail(r.email);
      // Asked for unknown emails too (of no account), so that timing does not tell them apart.
      const known = await store.knownDevice(user?.id ?? '', r.deviceId);
      const { attempt, stepUp } = await admitLogin(r.email, r.deviceId, known, user?.id ?? null, ctx);
      try {
        // An unknown email costs the same hash as a known one, so timing does not tell them apart.
        decoy ??= decoyHash(config.scryptN);
        const ok = await verifySecret(r.password, user?.passwordHash ?? (await decoy));
        if (!user || !ok) {
          if (!(await attempt.failed())) throw tooSlow('login');
          await store.record({ kind: 'login_failed', userId: user?.id ?? null, severity: 'low' });
          throw new CadenceError(Code.UNAUTHENTICATED, 'wrong email or password');
        }
        if (!(await attempt.succeeded())) throw tooSlow('login');
      } finally {
        await attempt.release(); // nothing once settled; an error before settling frees the slot
      }
      let selfUnlocked = false;
      if (user.lockedAtMs !== null) {
        const lock = `the account is locked after ${config.mpinMaxFailures} failed MPIN attempts`;
        if (!config.selfUnlock) throw new CadenceError(Code.FAILED_PRECONDITION, `${lock}: contact support to unlock it`);
        const { waitMs } = await store.selfUnlock(user.id, user.lockedAtMs, config.loginLockSeconds * 1000);
        if (waitMs > 0) throw new CadenceError(Code.FAILED_PRECONDITION, `${lock}: sign in again in ${Math.ceil(waitMs / 1000)} s, or contact support`);
        selfUnlocked = true;
      }
      // While others are guessing this account, its owner's known device gets in with MPIN step-up
      // only; so does the owner of an account that has just unlocked itself (the MPIN proves them).
      const reasons = [...(stepUp ? ['step_up:account_throttled'] : []), ...(selfUnlocked ? ['step_up:self_unlock'] : [])];
      const sessionId = await store.createSession(user.id, r.deviceId, reasons.length ? 'challenged' : 'active');
      const tokensOut = await issue({ id: sessionId, userId: user.id, deviceId: r.deviceId });
      await store.record({ kind: 'login', userId: user.id, sessionId, severity: 'none', reasons });
      deps.log.info('login', { userId: user.id, sessionId, stepUp: reasons.length > 0 });
      return { sessionId, userId: user.id, tokens: tokensOut, idleTimeoutS: config.sessionIdleMinutes * 60 };
    },

    async Refresh(req, ctx): Promise<RefreshResponseInit> {
      const r = v.parse(z.object({ refreshToken: v.refreshToken, deviceId: v.deviceId }), req);
      const rpc = 'IdentityService/Refresh';
      const row = await store.refreshByToken(r.refreshToken);
      if (!row) {
        await refused({ kind: 'refresh_invalid', severity: 'medium', rpc, reasons: ['unknown_refresh_token'], ctx });
        throw new CadenceError(Code.UNAUTHENTICATED, 'unknown refresh token: log in again', 'refreshToken');
      }
      // Not recorded: after a logout, block or lock the honest client's refresh fails here too (the block or lock is on record).
      if (row.revokedAtMs !== null) throw new CadenceError(Code.UNAUTHENTICATED, 'this refresh token was revoked: log in again', 'refreshToken');
      const reuse = async () => {
        // A rotated token presented again means it leaked: nothing from this login may be trusted.
        await store.revokeFamily(row.familyId);
        await store.setStatus(row.sessionId, 'blocked', ['active', 'challenged'], ['refresh_token_reuse']);
        await store.record({ kind: 'refresh_reuse', userId: row.userId, sessionId: row.sessionId, severity: 'high', reasons: ['refresh_token_reuse', ...(ctx.peer ? [`peer:${ctx.peer}`] : [])] });
        deps.log.warn('refresh token reuse; family revoked', { userId: row.userId, sessionId: row.sessionId });
        return new CadenceError(Code.UNAUTHENTICATED, 'this refresh token was already used: every token of this login is now revoked; log in again', 'refreshToken');
      };
      if (row.rotatedAtMs !== null) throw await reuse();
      if (row.expiresAtMs <= now()) throw new CadenceError(Code.UNAUTHENTICATED, 'this refresh token has expired: log in again', 'refreshToken');
      const [session, user] = await Promise.all([store.session(row.sessionId), store.userById(row.userId)]);
      if (!session || !user) throw new CadenceError(Code.UNAUTHENTICATED, 'the session of this refresh token no longer exists: log in again', 'refreshToken');
      if (session.deviceId !== r.deviceId) {
        await refused({ kind: 'refresh_other_device', severity: 'high', rpc, userId: user.id, sessionId: session.id, ctx });
        throw new CadenceError(Code.PERMISSION_DENIED, 'this session is bound to another device: log in from this device', 'deviceId');
      }
      const status = statusOf(session, user);
      if (status === 'expired') await store.revokeSession(session.id);
      requireUsable(status, false);
      if (!(await store.markRotated(row.id))) throw await reuse();
      await store.touch(session.id);
      const tokensOut = await issue({ id: session.id, userId: user.id, deviceId: session.deviceId! }, row.familyId);
      return { sessionId: session.id, tokens: tokensOut };
    },

    async Revoke(req) {
      const r = v.parse(z.object({ refreshToken: v.refreshToken }), req);
      const row = await store.refreshByToken(r.refreshToken);
      if (!row) throw new CadenceError(Code.NOT_FOUND, 'no such refresh token', 'refreshToken');
      await store.revokeFamily(row.familyId);
      await store.setStatus(row.sessionId, 'ended', ['active', 'challenged']);
      await store.record({ kind: 'revoke', userId: row.userId, sessionId: row.sessionId, severity: 'none' });
      return {};
    },

    async Logout(req, ctx) {
      const r = v.parse(z.object({ accessToken: v.accessToken, deviceId: v.deviceId }), req);
      const { session, user } = await authenticate(r.accessToken, r.deviceId, 'Logout', ctx);
      await store.revokeSession(session.id);
      await store.setStatus(session.id, 'ended', ['active', 'challenged']);
      await store.record({ kind: 'logout', userId: user.id, sessionId: session.id, severity: 'none' });
      return {};
    },

    async VerifyMpin(req, ctx) {
      const r = v.parse(z.object({ accessToken: v.accessToken, deviceId: v.deviceId, mpin: v.mpin(config.mpinLength) }), req);
      const { session, user, status } = await authenticate(r.accessToken, r.deviceId, 'VerifyMpin', ctx);
      requireUsable(status, true);
      await checkMpin(r.mpin, user, session.id);
      // The challenge is answered; the evidence restarts from a documented level (scoring/session-standing.ts).
      await store.stepUpPassed(session.id);
      await store.touch(session.id);
      await store.record({ kind: 'mpin_verified', userId: user.id, sessionId: session.id, severity: 'none' });
      const after = await store.session(session.id);
      return { status: wireStatus(statusOf(after!, { ...user, mpinFailures: 0 })) };
    },

    async GetSessionStatus(req, ctx): Promise<GetSessionStatusResponseInit> {
      const r = v.parse(z.object({ accessToken: v.accessToken, deviceId: v.deviceId }), req);
      const { session, user, status } = await authenticate(r.accessToken, r.deviceId, 'GetSessionStatus', ctx);
      const latest = await store.latestCoreScore(session.id);
      return {
        sessionId: session.id,
        status: wireStatus(status),
        latest: latest ? toWireAssessment(latest) : null,
        severity: `SEVERITY_${severityOf(latest?.decision ?? 'allow').toUpperCase()}` as GetSessionStatusResponseInit['severity'],
        requiredAction: `REQUIRED_ACTION_${requiredAction(status).toUpperCase()}` as GetSessionStatusResponseInit['requiredAction'],
        lastActivityMs: session.lastSeenMs,
        expiresAtMs: session.lastSeenMs + idleMs,
        mpinAttemptsLeft: Math.max(0, config.mpinMaxFailures - user.mpinFailures),
        standing: toWireStanding({
          level: reportedStanding({ standing: session.standing, status: session.status as StoredStatus | null }, user.lockedAtMs),
          reasons: session.standingReasons,
          atMs: session.standingAtMs,
        }),
      };
    },

    async GetJwks() {
      return { jwksJson: JSON.stringify(await deps.keys.jwks()) };
    },
  };
}
