// Original file: proto/cadence/v1/risk.proto

import type { SessionPredictionInit as _cadence_v1_SessionPredictionInit, SessionPrediction as _cadence_v1_SessionPrediction } from '../../cadence/v1/SessionPrediction';

export interface PredictSessionResponseInit {
  'prediction'?: (_cadence_v1_SessionPredictionInit | null);
}

export interface PredictSessionResponse {
  'prediction': (_cadence_v1_SessionPrediction | null);
}
