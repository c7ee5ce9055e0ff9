// Original file: proto/cadence/v1/risk.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';
import type { Long } from '@grpc/proto-loader';

/**
 * One core decision on a newly stored batch, as it is made.
 */
export interface DecisionEventInit {
  'sessionId'?: (string);
  'batchId'?: (string);
  'userId'?: (string);
  'assessment'?: (_cadence_v1_RiskAssessmentInit | null);
  /**
   * none, low, medium, high (seed 000's grading of the decision).
   */
  'severity'?: (string);
  'decidedAtMs'?: (number | string | Long);
  /**
   * The session's standing after this batch.
   */
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

/**
 * One core decision on a newly stored batch, as it is made.
 */
export interface DecisionEvent {
  'sessionId': (string);
  'batchId': (string);
  'userId': (string);
  'assessment': (_cadence_v1_RiskAssessment | null);
  /**
   * none, low, medium, high (seed 000's grading of the decision).
   */
  'severity': (string);
  'decidedAtMs': (number);
  /**
   * The session's standing after this batch.
   */
  'standing': (_cadence_v1_SessionStanding | null);
}
