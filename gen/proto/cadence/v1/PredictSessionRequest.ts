// Original file: proto/cadence/v1/risk.proto

import type { SessionFeaturesInit as _cadence_v1_SessionFeaturesInit, SessionFeatures as _cadence_v1_SessionFeatures } from '../../cadence/v1/SessionFeatures';

export interface PredictSessionRequestInit {
  /**
   * Echoed back; optional (1-128 characters when set).
   */
  'sessionId'?: (string);
  'features'?: (_cadence_v1_SessionFeaturesInit | null);
}

export interface PredictSessionRequest {
  /**
   * Echoed back; optional (1-128 characters when set).
   */
  'sessionId': (string);
  'features': (_cadence_v1_SessionFeatures | null);
}
