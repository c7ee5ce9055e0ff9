// Original file: proto/cadence/v1/risk.proto


/**
 * Seed 004's answer: is_anomaly at the model's operating threshold (chosen on out-of-bag rows),
 * the calibrated probability, and the confidence max(p, 1 - p).
 */
export interface SessionPredictionInit {
  'sessionId'?: (string);
  'isAnomaly'?: (boolean);
  'anomalyProbability'?: (number | string);
  'confidence'?: (number | string);
  /**
   * The registry version of the model that answered.
   */
  'modelVersion'?: (string);
  'threshold'?: (number | string);
}

/**
 * Seed 004's answer: is_anomaly at the model's operating threshold (chosen on out-of-bag rows),
 * the calibrated probability, and the confidence max(p, 1 - p).
 */
export interface SessionPrediction {
  'sessionId': (string);
  'isAnomaly': (boolean);
  'anomalyProbability': (number);
  'confidence': (number);
  /**
   * The registry version of the model that answered.
   */
  'modelVersion': (string);
  'threshold': (number);
}
