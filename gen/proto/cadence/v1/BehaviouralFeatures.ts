// Original file: proto/cadence/v1/offchain.proto


/**
 * What a caller measured over one typing session. The two ratios of seed 003 (speed/accuracy,
 * hold/transition) are derived by the service from these, never taken from the caller.
 */
export interface BehaviouralFeaturesInit {
  /**
   * (0, 300]
   */
  'typingSpeedWpm'?: (number | string);
  /**
   * (0, 2000]
   */
  'avgKeyHoldTimeMs'?: (number | string);
  /**
   * [-1000, 5000]; negative means key rollover
   */
  'avgTransitionTimeMs'?: (number | string);
  /**
   * [0, 100]
   */
  'errorRatePercent'?: (number | string);
  /**
   * [0, 24); accepted and hashed, not scored
   */
  'activityHourPreference'?: (number | string);
  /**
   * at most 64 finite values; accepted and hashed, not scored
   */
  'sessionFeatures'?: (number | string)[];
  '_typingSpeedWpm'?: "typingSpeedWpm";
  '_avgKeyHoldTimeMs'?: "avgKeyHoldTimeMs";
  '_avgTransitionTimeMs'?: "avgTransitionTimeMs";
  '_errorRatePercent'?: "errorRatePercent";
  '_activityHourPreference'?: "activityHourPreference";
}

/**
 * What a caller measured over one typing session. The two ratios of seed 003 (speed/accuracy,
 * hold/transition) are derived by the service from these, never taken from the caller.
 */
export interface BehaviouralFeatures {
  /**
   * (0, 300]
   */
  'typingSpeedWpm'?: (number);
  /**
   * (0, 2000]
   */
  'avgKeyHoldTimeMs'?: (number);
  /**
   * [-1000, 5000]; negative means key rollover
   */
  'avgTransitionTimeMs'?: (number);
  /**
   * [0, 100]
   */
  'errorRatePercent'?: (number);
  /**
   * [0, 24); accepted and hashed, not scored
   */
  'activityHourPreference'?: (number);
  /**
   * at most 64 finite values; accepted and hashed, not scored
   */
  'sessionFeatures': (number)[];
  '_typingSpeedWpm'?: "typingSpeedWpm";
  '_avgKeyHoldTimeMs'?: "avgKeyHoldTimeMs";
  '_avgTransitionTimeMs'?: "avgTransitionTimeMs";
  '_errorRatePercent'?: "errorRatePercent";
  '_activityHourPreference'?: "activityHourPreference";
}
