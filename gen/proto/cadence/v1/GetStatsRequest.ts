// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface GetStatsRequestInit {
  /**
   * Counts from this time on (0: since the beginning); active sessions are always "now".
   */
  'sinceMs'?: (number | string | Long);
}

export interface GetStatsRequest {
  /**
   * Counts from this time on (0: since the beginning); active sessions are always "now".
   */
  'sinceMs': (number);
}
