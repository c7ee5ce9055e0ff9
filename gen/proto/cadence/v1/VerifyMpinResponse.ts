// Original file: proto/cadence/v1/identity.proto

import type { SessionStatusInit as _cadence_v1_SessionStatusInit, SessionStatus as _cadence_v1_SessionStatus } from '../../cadence/v1/SessionStatus';

export interface VerifyMpinResponseInit {
  'status'?: (_cadence_v1_SessionStatusInit);
}

export interface VerifyMpinResponse {
  'status': (_cadence_v1_SessionStatus);
}
