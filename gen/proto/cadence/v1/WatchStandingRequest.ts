// Original file: proto/cadence/v1/risk.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchStandingRequestInit {
  /**
   * The sessions watched: 1 to 100.
   */
  'sessionIds'?: (string)[];
  /**
   * Only standings that changed after this (Unix ms; 0: every session's standing now).
   */
  'sinceMs'?: (number | string | Long);
  /**
   * How long to wait for a change when there is none yet (a long poll over Connect): 0 answers at
   * once; at most 25000.
   */
  'waitMs'?: (number);
}

export interface WatchStandingRequest {
  /**
   * The sessions watched: 1 to 100.
   */
  'sessionIds': (string)[];
  /**
   * Only standings that changed after this (Unix ms; 0: every session's standing now).
   */
  'sinceMs': (number);
  /**
   * How long to wait for a change when there is none yet (a long poll over Connect): 0 answers at
   * once; at most 25000.
   */
  'waitMs': (number);
}
