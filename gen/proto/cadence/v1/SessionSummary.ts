// Original file: proto/cadence/v1/admin.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';
import type { Long } from '@grpc/proto-loader';

export interface SessionSummaryInit {
  'sessionId'?: (string);
  'userId'?: (string);
  'deviceId'?: (string);
  /**
   * active, challenged, blocked, ended; empty for an anonymous session.
   */
  'status'?: (string);
  'firstSeenMs'?: (number | string | Long);
  'lastSeenMs'?: (number | string | Long);
  'batchCount'?: (number | string | Long);
  'eventCount'?: (number | string | Long);
  'latest'?: (_cadence_v1_RiskAssessmentInit | null);
  'page'?: (string);
  'standing'?: (_cadence_v1_SessionStandingInit | null);
  /**
   * Where the session's first located request came from (the edge's platform; empty when unknown).
   */
  'country'?: (string);
  'city'?: (string);
}

export interface SessionSummary {
  'sessionId': (string);
  'userId': (string);
  'deviceId': (string);
  /**
   * active, challenged, blocked, ended; empty for an anonymous session.
   */
  'status': (string);
  'firstSeenMs': (number);
  'lastSeenMs': (number);
  'batchCount': (number);
  'eventCount': (number);
  'latest': (_cadence_v1_RiskAssessment | null);
  'page': (string);
  'standing': (_cadence_v1_SessionStanding | null);
  /**
   * Where the session's first located request came from (the edge's platform; empty when unknown).
   */
  'country': (string);
  'city': (string);
}
