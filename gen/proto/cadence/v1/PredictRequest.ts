// Original file: proto/cadence/v1/offchain.proto

import type { BehaviouralFeaturesInit as _cadence_v1_BehaviouralFeaturesInit, BehaviouralFeatures as _cadence_v1_BehaviouralFeatures } from '../../cadence/v1/BehaviouralFeatures';
import type { HistoricalPatternInit as _cadence_v1_HistoricalPatternInit, HistoricalPattern as _cadence_v1_HistoricalPattern } from '../../cadence/v1/HistoricalPattern';

export interface PredictRequestInit {
  /**
   * 1-128 printable ASCII characters
   */
  'did'?: (string);
  'features'?: (_cadence_v1_BehaviouralFeaturesInit | null);
  'historicalPatterns'?: (_cadence_v1_HistoricalPatternInit)[];
}

export interface PredictRequest {
  /**
   * 1-128 printable ASCII characters
   */
  'did': (string);
  'features': (_cadence_v1_BehaviouralFeatures | null);
  'historicalPatterns': (_cadence_v1_HistoricalPattern)[];
}
