// Original file: proto/cadence/v1/risk.proto

import type { SessionPredictionInit as _cadence_v1_SessionPredictionInit, SessionPrediction as _cadence_v1_SessionPrediction } from '../../cadence/v1/SessionPrediction';

export interface PredictSessionsResponseInit {
  /**
   * In the order of the request.
   */
  'predictions'?: (_cadence_v1_SessionPredictionInit)[];
}

export interface PredictSessionsResponse {
  /**
   * In the order of the request.
   */
  'predictions': (_cadence_v1_SessionPrediction)[];
}
