// Original file: proto/cadence/v1/identity.proto


export interface RevokeRequestInit {
  /**
   * Revokes this refresh token and every token rotated from the same login (its family).
   */
  'refreshToken'?: (string);
}

export interface RevokeRequest {
  /**
   * Revokes this refresh token and every token rotated from the same login (its family).
   */
  'refreshToken': (string);
}
