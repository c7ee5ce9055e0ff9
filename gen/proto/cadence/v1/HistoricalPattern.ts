// Original file: proto/cadence/v1/offchain.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An earlier session of the same DID, e.g. from on-chain history.
 */
export interface HistoricalPatternInit {
  'typingSpeedWpm'?: (number | string);
  'avgKeyHoldTimeMs'?: (number | string);
  'avgTransitionTimeMs'?: (number | string);
  'errorRatePercent'?: (number | string);
  /**
   * Unix seconds
   */
  'timestamp'?: (number | string | Long);
  '_typingSpeedWpm'?: "typingSpeedWpm";
  '_avgKeyHoldTimeMs'?: "avgKeyHoldTimeMs";
  '_avgTransitionTimeMs'?: "avgTransitionTimeMs";
  '_errorRatePercent'?: "errorRatePercent";
  '_timestamp'?: "timestamp";
}

/**
 * An earlier session of the same DID, e.g. from on-chain history.
 */
export interface HistoricalPattern {
  'typingSpeedWpm'?: (number);
  'avgKeyHoldTimeMs'?: (number);
  'avgTransitionTimeMs'?: (number);
  'errorRatePercent'?: (number);
  /**
   * Unix seconds
   */
  'timestamp'?: (number);
  '_typingSpeedWpm'?: "typingSpeedWpm";
  '_avgKeyHoldTimeMs'?: "avgKeyHoldTimeMs";
  '_avgTransitionTimeMs'?: "avgTransitionTimeMs";
  '_errorRatePercent'?: "errorRatePercent";
  '_timestamp'?: "timestamp";
}
