// Who may send batches for a session. After login: the core's access token (EdDSA JWT, verified
// with the core's JWKS, cached and refreshed by kid), whose `sid` must be the batch's session and
// whose `did` must match its device (which a logged-in batch must therefore name). Before login: an anonymous session id that this edge issued
// and signed (HMAC-SHA256), so nobody can post under a session id they made up.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export interface AuthConfig {
  /** 'required': every batch needs a valid token or a signed anonymous id; 'off': ids are taken as given. */
  mode: 'required' | 'off';
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Secret for anonymous session ids; shared by every edge instance. */
  secret: string;
  anonymousTtlS: number;
}

export type AuthResult =
  | { ok: true; kind: 'user' | 'anonymous' | 'unchecked'; userId?: string }
  | { ok: false; status: 400 | 401 | 403; code: string; message: string; field?: string };

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function createAuth(config: AuthConfig, now: () => number = Date.now, fetchJwks?: JWTVerifyGetKey) {
  const jwks = fetchJwks ?? createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 3000 });
  const keyPromise = crypto.subtle.importKey('raw', new TextEncoder().encode(config.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const mac = async (payload: string) => b64url(new Uint8Array(await crypto.subtle.sign('HMAC', await keyPromise, new TextEncoder().encode(payload))).slice(0, 16));

  async function verifyAnonymous(sessionId: string): Promise<boolean> {
    const m = /^anon_([A-Za-z0-9_-]{22})_([0-9a-z]{1,10})_([A-Za-z0-9_-]{22})$/.exec(sessionId);
    if (!m) return false;
    const [, nonce, exp, tag] = m;
    if (parseInt(exp!, 36) * 1000 < now()) return false;
    const expected = await mac(`${nonce}.${exp}`);
    // Compare without an early exit, so timing says nothing about how much of the tag was right.
    let diff = expected.length ^ tag!.length;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (tag!.charCodeAt(i) || 0);
    return diff === 0;
  }

  return {
    mode: config.mode,

    /** A fresh anonymous session id for a page before login. */
    async issueAnonymous(): Promise<{ sessionId: string; expiresAtMs: number }> {
      const nonce = b64url(crypto.getRandomValues(new Uint8Array(16)));
      const expS = Math.floor(now() / 1000) + config.anonymousTtlS;
      const exp = expS.toString(36);
      return { sessionId: `anon_${nonce}_${exp}_${await mac(`${nonce}.${exp}`)}`, expiresAtMs: expS * 1000 };
    },

    /** Whether a batch for `sessionId` (from `deviceId`) may be taken, given its bearer token if any. */
    async check(bearer: string | undefined, sessionId: string, deviceId: string | undefined): Promise<AuthResult> {
      if (bearer !== undefined) {
        let claims: { sub?: string; sid?: unknown; did?: unknown };
        try {
          ({ payload: claims } = await jwtVerify(bearer, jwks, {
            issuer: config.issuer,
            audience: config.audience,
            algorithms: ['EdDSA'],
            typ: 'at+jwt',
            currentDate: new Date(now()),
            requiredClaims: ['sub', 'sid', 'exp'],
          }));
        } catch (err) {
          const expired = err instanceof errors.JWTExpired;
          return {
            ok: false,
            status: 401,
            code: expired ? 'token_expired' : 'invalid_token',
            message: expired ? 'the access token has expired: refresh it and retry' : 'the access token is not valid: log in again',
            field: 'authorization',
          };
        }
        if (claims.sid !== sessionId) {
          return { ok: false, status: 403, code: 'session_mismatch', message: 'the access token is for another session', field: 'sessionId' };
        }
        // The core admits a logged-in session's batches only from its own device: a batch that names
        // none would be acknowledged here and refused there, never stored. Refused now, as an
        // incomplete batch (400, the field named): the token is fine, so 401 would send clients
        // into a refresh-and-retry loop, and 403 would say the device is wrong, not missing.
        if (deviceId === undefined) {
          return {
            ok: false,
            status: 400,
            code: 'invalid_batch',
            message: 'a batch sent with an access token must carry context.deviceId, the device the session was opened on',
            field: 'context.deviceId',
          };
        }
        if (typeof claims.did === 'string' && claims.did !== deviceId) {
          return { ok: false, status: 403, code: 'device_mismatch', message: 'the session is bound to another device', field: 'context.deviceId' };
        }
        return { ok: true, kind: 'user', userId: claims.sub };
      }
      if (config.mode === 'off') return { ok: true, kind: 'unchecked' };
      if (await verifyAnonymous(sessionId)) return { ok: true, kind: 'anonymous' };
      return {
        ok: false,
        status: 401,
        code: 'unauthenticated',
        message: 'send the access token (Authorization: Bearer ...) or a session id from POST /v1/session',
        field: 'sessionId',
      };
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
