// Original file: proto/cadence/v1/admin.proto


export interface ClearSessionStandingRequestInit {
  'sessionId'?: (string);
  /**
   * Why (kept in the security event, at most 200 characters).
   */
  'reason'?: (string);
}

export interface ClearSessionStandingRequest {
  'sessionId': (string);
  /**
   * Why (kept in the security event, at most 200 characters).
   */
  'reason': (string);
}
