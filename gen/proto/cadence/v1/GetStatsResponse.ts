// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface GetStatsResponseInit {
  'activeSessions'?: (number | string | Long);
  'sessions'?: (number | string | Long);
  'batches'?: (number | string | Long);
  'events'?: (number | string | Long);
  'judgedBatches'?: (number | string | Long);
  /**
   * Share of judged core assessments decided monitor or worse.
   */
  'anomalyRate'?: (number | string);
  'mpinChallenges'?: (number | string | Long);
  'mpinSuccesses'?: (number | string | Long);
  'mpinFailures'?: (number | string | Long);
  'blocks'?: (number | string | Long);
  'locks'?: (number | string | Long);
  /**
   * Core decisions by name (allow, monitor, challenge, block).
   */
  'decisions'?: ({[key: string]: number | string | Long});
  /**
   * Users with an active model of their own (keystroke or pointer), each counted once.
   */
  'usersWithModel'?: (number | string | Long);
}

export interface GetStatsResponse {
  'activeSessions': (number);
  'sessions': (number);
  'batches': (number);
  'events': (number);
  'judgedBatches': (number);
  /**
   * Share of judged core assessments decided monitor or worse.
   */
  'anomalyRate': (number);
  'mpinChallenges': (number);
  'mpinSuccesses': (number);
  'mpinFailures': (number);
  'blocks': (number);
  'locks': (number);
  /**
   * Core decisions by name (allow, monitor, challenge, block).
   */
  'decisions': ({[key: string]: number});
  /**
   * Users with an active model of their own (keystroke or pointer), each counted once.
   */
  'usersWithModel': (number);
}
