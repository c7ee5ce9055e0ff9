// Access tokens (short-lived EdDSA JWTs that edges verify with the JWKS) and opaque refresh tokens
// (random, stored only as a sha256).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, SignJWT } from 'jose';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { KeyStore } from './keys.ts';

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id (also the behavioural session the browser sends batches under). */
  sid: string;
  /** Device id the session is bound to. */
  did: string;
}

export interface TokenOptions {
  issuer: string;
  audience: string;
  accessTtlS: number;
  now: () => number;
}

export function createAccessTokens(keys: KeyStore, options: TokenOptions) {
  return {
    async sign(claims: AccessClaims): Promise<{ token: string; expiresAtMs: number }> {
      const { kid, privateKey } = await keys.signingKey();
      const iat = Math.floor(options.now() / 1000);
      const exp = iat + options.accessTtlS;
      const token = await new SignJWT({ sid: claims.sid, did: claims.did })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(randomUUID())
        .sign(privateKey);
      return { token, expiresAtMs: exp * 1000 };
    },

    /** Checks signature, issuer, audience and expiry; UNAUTHENTICATED with what to do otherwise. */
    async verify(token: string): Promise<AccessClaims> {
      const jwks = createLocalJWKSet(await keys.jwks());
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ['EdDSA'],
          typ: 'at+jwt',
          currentDate: new Date(options.now()),
          requiredClaims: ['sub', 'sid', 'did', 'exp'],
        });
        if (typeof payload.sid !== 'string' || typeof payload.did !== 'string') throw new errors.JWTClaimValidationFailed('sid and did must be strings', payload);
        return { sub: payload.sub!, sid: payload.sid, did: payload.did };
      } catch (err) {
        if (err instanceof errors.JWTExpired) {
          throw new CadenceError(Code.UNAUTHENTICATED, 'the access token has expired: get a new one with Refresh', 'accessToken');
        }
        throw new CadenceError(Code.UNAUTHENTICATED, 'the access token is not valid: log in again', 'accessToken', { cause: err });
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** A new opaque refresh token: 256 random bits. */
export const newRefreshToken = (): string => `rt_${randomBytes(32).toString('base64url')}`;

/** Refresh tokens carry 256 bits of entropy, so a fast hash is enough to keep them unusable at rest. */
export const refreshTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
