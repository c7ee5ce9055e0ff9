// Original file: proto/cadence/v1/identity.proto

import type { Long } from '@grpc/proto-loader';

export interface TokenPairInit {
  /**
   * JWT signed with EdDSA (Ed25519); claims iss, aud, sub (user id), sid (session id), did (device id).
   */
  'accessToken'?: (string);
  'accessExpiresAtMs'?: (number | string | Long);
  /**
   * Opaque; single use: every Refresh returns a new one and retires the old.
   */
  'refreshToken'?: (string);
  'refreshExpiresAtMs'?: (number | string | Long);
  /**
   * "Bearer"
   */
  'tokenType'?: (string);
}

export interface TokenPair {
  /**
   * JWT signed with EdDSA (Ed25519); claims iss, aud, sub (user id), sid (session id), did (device id).
   */
  'accessToken': (string);
  'accessExpiresAtMs': (number);
  /**
   * Opaque; single use: every Refresh returns a new one and retires the old.
   */
  'refreshToken': (string);
  'refreshExpiresAtMs': (number);
  /**
   * "Bearer"
   */
  'tokenType': (string);
}
