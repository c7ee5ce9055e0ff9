// Original file: proto/cadence/v1/risk.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';
import type { Long } from '@grpc/proto-loader';

export interface GetSessionRiskResponseInit {
  'sessionId'?: (string);
  'batchCount'?: (number | string | Long);
  'eventCount'?: (number | string | Long);
  /**
   * The core's latest assessment of the session (absent before its first batch).
   */
  'latest'?: (_cadence_v1_RiskAssessmentInit | null);
  /**
   * The edge's latest pre-score, as it answered the browser.
   */
  'latestEdge'?: (_cadence_v1_RiskAssessmentInit | null);
  'firstSeenMs'?: (number | string | Long);
  'lastSeenMs'?: (number | string | Long);
  /**
   * The session's standing, which `latest` (one batch's answer) may be below.
   */
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

export interface GetSessionRiskResponse {
  'sessionId': (string);
  'batchCount': (number);
  'eventCount': (number);
  /**
   * The core's latest assessment of the session (absent before its first batch).
   */
  'latest': (_cadence_v1_RiskAssessment | null);
  /**
   * The edge's latest pre-score, as it answered the browser.
   */
  'latestEdge': (_cadence_v1_RiskAssessment | null);
  'firstSeenMs': (number);
  'lastSeenMs': (number);
  /**
   * The session's standing, which `latest` (one batch's answer) may be below.
   */
  'standing': (_cadence_v1_SessionStanding | null);
}
