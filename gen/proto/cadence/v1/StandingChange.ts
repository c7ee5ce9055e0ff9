// Original file: proto/cadence/v1/risk.proto

import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';

export interface StandingChangeInit {
  'sessionId'?: (string);
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

export interface StandingChange {
  'sessionId': (string);
  'standing': (_cadence_v1_SessionStanding | null);
}
