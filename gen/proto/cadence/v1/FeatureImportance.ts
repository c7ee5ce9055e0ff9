// Original file: proto/cadence/v1/offchain.proto


export interface FeatureImportanceInit {
  'typingSpeed'?: (number | string);
  'keyHoldTime'?: (number | string);
  'transitionTime'?: (number | string);
  'errorRate'?: (number | string);
  'speedAccuracyRatio'?: (number | string);
  'rhythmRatio'?: (number | string);
  /**
   * seed 003's activity_hour_preference (0 when the model does not use it)
   */
  'activityHour'?: (number | string);
}

export interface FeatureImportance {
  'typingSpeed': (number);
  'keyHoldTime': (number);
  'transitionTime': (number);
  'errorRate': (number);
  'speedAccuracyRatio': (number);
  'rhythmRatio': (number);
  /**
   * seed 003's activity_hour_preference (0 when the model does not use it)
   */
  'activityHour': (number);
}
