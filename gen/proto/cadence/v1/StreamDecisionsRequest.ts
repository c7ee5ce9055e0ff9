// Original file: proto/cadence/v1/risk.proto

import type { DecisionInit as _cadence_v1_DecisionInit, Decision as _cadence_v1_Decision } from '../../cadence/v1/Decision';

export interface StreamDecisionsRequestInit {
  /**
   * Optional filters; empty means every session / user.
   */
  'sessionId'?: (string);
  'userId'?: (string);
  /**
   * Only decisions at or above this level (DECISION_UNSPECIFIED: all).
   */
  'minDecision'?: (_cadence_v1_DecisionInit);
}

export interface StreamDecisionsRequest {
  /**
   * Optional filters; empty means every session / user.
   */
  'sessionId': (string);
  'userId': (string);
  /**
   * Only decisions at or above this level (DECISION_UNSPECIFIED: all).
   */
  'minDecision': (_cadence_v1_Decision);
}
