// Original file: proto/cadence/v1/admin.proto


export interface GetSessionDetailRequestInit {
  'sessionId'?: (string);
  /**
   * Newest scores returned; 0 means 100, at most 1000.
   */
  'maxScores'?: (number);
}

export interface GetSessionDetailRequest {
  'sessionId': (string);
  /**
   * Newest scores returned; 0 means 100, at most 1000.
   */
  'maxScores': (number);
}
