// Original file: proto/cadence/v1/risk.proto


export interface ScoreSessionRequestInit {
  'sessionId'?: (string);
  /**
   * Newest stored windows (batches) scored; 0 means 20, at most 200.
   */
  'maxWindows'?: (number);
}

export interface ScoreSessionRequest {
  'sessionId': (string);
  /**
   * Newest stored windows (batches) scored; 0 means 20, at most 200.
   */
  'maxWindows': (number);
}
