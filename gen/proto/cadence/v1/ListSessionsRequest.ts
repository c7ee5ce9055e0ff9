// Original file: proto/cadence/v1/admin.proto

import type { DecisionInit as _cadence_v1_DecisionInit, Decision as _cadence_v1_Decision } from '../../cadence/v1/Decision';
import type { Long } from '@grpc/proto-loader';

export interface ListSessionsRequestInit {
  /**
   * Only sessions whose standing (SessionStanding) is at or above this level (unspecified: all);
   * locked counts above block. The standing is never below the latest core decision.
   */
  'minLevel'?: (_cadence_v1_DecisionInit);
  /**
   * Sessions last seen within [since_ms, until_ms) (0: unbounded).
   */
  'sinceMs'?: (number | string | Long);
  'untilMs'?: (number | string | Long);
  /**
   * 0 means 50, at most 500.
   */
  'pageSize'?: (number);
  'pageToken'?: (string);
  'userId'?: (string);
}

export interface ListSessionsRequest {
  /**
   * Only sessions whose standing (SessionStanding) is at or above this level (unspecified: all);
   * locked counts above block. The standing is never below the latest core decision.
   */
  'minLevel': (_cadence_v1_Decision);
  /**
   * Sessions last seen within [since_ms, until_ms) (0: unbounded).
   */
  'sinceMs': (number);
  'untilMs': (number);
  /**
   * 0 means 50, at most 500.
   */
  'pageSize': (number);
  'pageToken': (string);
  'userId': (string);
}
