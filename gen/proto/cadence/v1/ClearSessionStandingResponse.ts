// Original file: proto/cadence/v1/admin.proto

import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';

export interface ClearSessionStandingResponseInit {
  /**
   * The standing before and after (allow; locked stays until the account is unlocked).
   */
  'before'?: (_cadence_v1_SessionStandingInit | null);
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

export interface ClearSessionStandingResponse {
  /**
   * The standing before and after (allow; locked stays until the account is unlocked).
   */
  'before': (_cadence_v1_SessionStanding | null);
  'standing': (_cadence_v1_SessionStanding | null);
}
