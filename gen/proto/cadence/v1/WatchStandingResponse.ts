// Original file: proto/cadence/v1/risk.proto

import type { StandingChangeInit as _cadence_v1_StandingChangeInit, StandingChange as _cadence_v1_StandingChange } from '../../cadence/v1/StandingChange';

export interface WatchStandingResponseInit {
  /**
   * Empty when nothing changed within wait_ms.
   */
  'changes'?: (_cadence_v1_StandingChangeInit)[];
}

export interface WatchStandingResponse {
  /**
   * Empty when nothing changed within wait_ms.
   */
  'changes': (_cadence_v1_StandingChange)[];
}
