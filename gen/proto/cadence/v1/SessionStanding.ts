// Original file: proto/cadence/v1/risk.proto

import type { StandingLevelInit as _cadence_v1_StandingLevelInit, StandingLevel as _cadence_v1_StandingLevel } from '../../cadence/v1/StandingLevel';
import type { Long } from '@grpc/proto-loader';

export interface SessionStandingInit {
  'level'?: (_cadence_v1_StandingLevelInit);
  /**
   * What the session's user must do next: none, verify_mpin, login (a new session), contact_support.
   */
  'requiredAction'?: (string);
  /**
   * Why the session reached this level (the answer's reasons when it did; mpin_verified,
   * analyst_cleared, login_throttled).
   */
  'reasons'?: (string)[];
  /**
   * When the level last changed (0: never).
   */
  'changedAtMs'?: (number | string | Long);
  /**
   * none, low, medium, high: the severity of the level (locked is high).
   */
  'severity'?: (string);
}

export interface SessionStanding {
  'level': (_cadence_v1_StandingLevel);
  /**
   * What the session's user must do next: none, verify_mpin, login (a new session), contact_support.
   */
  'requiredAction': (string);
  /**
   * Why the session reached this level (the answer's reasons when it did; mpin_verified,
   * analyst_cleared, login_throttled).
   */
  'reasons': (string)[];
  /**
   * When the level last changed (0: never).
   */
  'changedAtMs': (number);
  /**
   * none, low, medium, high: the severity of the level (locked is high).
   */
  'severity': (string);
}
