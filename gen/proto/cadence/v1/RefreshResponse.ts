// Original file: proto/cadence/v1/identity.proto

import type { TokenPairInit as _cadence_v1_TokenPairInit, TokenPair as _cadence_v1_TokenPair } from '../../cadence/v1/TokenPair';

export interface RefreshResponseInit {
  'sessionId'?: (string);
  'tokens'?: (_cadence_v1_TokenPairInit | null);
}

export interface RefreshResponse {
  'sessionId': (string);
  'tokens': (_cadence_v1_TokenPair | null);
}
