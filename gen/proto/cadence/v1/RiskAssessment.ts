// Original file: proto/cadence/v1/risk.proto

import type { DecisionInit as _cadence_v1_DecisionInit, Decision as _cadence_v1_Decision } from '../../cadence/v1/Decision';

/**
 * A score in [0, 1] with the decision the policy takes for it and why.
 */
export interface RiskAssessmentInit {
  'score'?: (number | string);
  'decision'?: (_cadence_v1_DecisionInit);
  'modelVersion'?: (string);
  'reasons'?: (string)[];
  /**
   * False when the window was too short to judge; the score is then 0 and the decision allow.
   */
  'judged'?: (boolean);
}

/**
 * A score in [0, 1] with the decision the policy takes for it and why.
 */
export interface RiskAssessment {
  'score': (number);
  'decision': (_cadence_v1_Decision);
  'modelVersion': (string);
  'reasons': (string)[];
  /**
   * False when the window was too short to judge; the score is then 0 and the decision allow.
   */
  'judged': (boolean);
}
