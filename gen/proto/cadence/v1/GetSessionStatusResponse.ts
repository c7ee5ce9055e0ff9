// Original file: proto/cadence/v1/identity.proto

import type { SessionStatusInit as _cadence_v1_SessionStatusInit, SessionStatus as _cadence_v1_SessionStatus } from '../../cadence/v1/SessionStatus';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { SeverityInit as _cadence_v1_SeverityInit, Severity as _cadence_v1_Severity } from '../../cadence/v1/Severity';
import type { RequiredActionInit as _cadence_v1_RequiredActionInit, RequiredAction as _cadence_v1_RequiredAction } from '../../cadence/v1/RequiredAction';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';
import type { Long } from '@grpc/proto-loader';

export interface GetSessionStatusResponseInit {
  'sessionId'?: (string);
  'status'?: (_cadence_v1_SessionStatusInit);
  /**
   * The core's latest assessment of the session's behaviour (absent before its first batch).
   */
  'latest'?: (_cadence_v1_RiskAssessmentInit | null);
  'severity'?: (_cadence_v1_SeverityInit);
  'requiredAction'?: (_cadence_v1_RequiredActionInit);
  'lastActivityMs'?: (number | string | Long);
  /**
   * When the session expires if nothing more happens.
   */
  'expiresAtMs'?: (number | string | Long);
  /**
   * Failed MPIN attempts left before the account is locked.
   */
  'mpinAttemptsLeft'?: (number);
  /**
   * The session's standing (risk.proto): the level its behaviour has reached, which sticks.
   */
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

export interface GetSessionStatusResponse {
  'sessionId': (string);
  'status': (_cadence_v1_SessionStatus);
  /**
   * The core's latest assessment of the session's behaviour (absent before its first batch).
   */
  'latest': (_cadence_v1_RiskAssessment | null);
  'severity': (_cadence_v1_Severity);
  'requiredAction': (_cadence_v1_RequiredAction);
  'lastActivityMs': (number);
  /**
   * When the session expires if nothing more happens.
   */
  'expiresAtMs': (number);
  /**
   * Failed MPIN attempts left before the account is locked.
   */
  'mpinAttemptsLeft': (number);
  /**
   * The session's standing (risk.proto): the level its behaviour has reached, which sticks.
   */
  'standing': (_cadence_v1_SessionStanding | null);
}
