// Original file: proto/cadence/v1/identity.proto

import type { TokenPairInit as _cadence_v1_TokenPairInit, TokenPair as _cadence_v1_TokenPair } from '../../cadence/v1/TokenPair';

export interface LoginResponseInit {
  /**
   * The behavioural session id: the browser sends its event batches under this id.
   */
  'sessionId'?: (string);
  'userId'?: (string);
  'tokens'?: (_cadence_v1_TokenPairInit | null);
  /**
   * Inactivity timeout of the session.
   */
  'idleTimeoutS'?: (number);
}

export interface LoginResponse {
  /**
   * The behavioural session id: the browser sends its event batches under this id.
   */
  'sessionId': (string);
  'userId': (string);
  'tokens': (_cadence_v1_TokenPair | null);
  /**
   * Inactivity timeout of the session.
   */
  'idleTimeoutS': (number);
}
