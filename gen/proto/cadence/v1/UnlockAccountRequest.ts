// Original file: proto/cadence/v1/admin.proto


export interface UnlockAccountRequestInit {
  'userId'?: (string);
  /**
   * Why (kept in the security event, at most 200 characters).
   */
  'reason'?: (string);
}

export interface UnlockAccountRequest {
  'userId': (string);
  /**
   * Why (kept in the security event, at most 200 characters).
   */
  'reason': (string);
}
