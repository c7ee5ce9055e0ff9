// Original file: proto/cadence/v1/risk.proto

import type { PredictSessionRequestInit as _cadence_v1_PredictSessionRequestInit, PredictSessionRequest as _cadence_v1_PredictSessionRequest } from '../../cadence/v1/PredictSessionRequest';

export interface PredictSessionsRequestInit {
  /**
   * 1 to 1,000 sessions.
   */
  'sessions'?: (_cadence_v1_PredictSessionRequestInit)[];
}

export interface PredictSessionsRequest {
  /**
   * 1 to 1,000 sessions.
   */
  'sessions': (_cadence_v1_PredictSessionRequest)[];
}
