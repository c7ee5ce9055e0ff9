// Original file: proto/cadence/v1/events.proto

import type { BatchContextInit as _cadence_v1_BatchContextInit, BatchContext as _cadence_v1_BatchContext } from '../../cadence/v1/BatchContext';
import type { EventInit as _cadence_v1_EventInit, Event as _cadence_v1_Event } from '../../cadence/v1/Event';

/**
 * One batch as the edge accepted it; batch_id makes ingestion idempotent.
 */
export interface EventBatchInit {
  'sessionId'?: (string);
  'batchId'?: (string);
  'seq'?: (number);
  'context'?: (_cadence_v1_BatchContextInit | null);
  'events'?: (_cadence_v1_EventInit)[];
  /**
   * The user's consent, as the collector sent it; a batch without it is refused and not stored.
   */
  'consent'?: (boolean);
}

/**
 * One batch as the edge accepted it; batch_id makes ingestion idempotent.
 */
export interface EventBatch {
  'sessionId': (string);
  'batchId': (string);
  'seq': (number);
  'context': (_cadence_v1_BatchContext | null);
  'events': (_cadence_v1_Event)[];
  /**
   * The user's consent, as the collector sent it; a batch without it is refused and not stored.
   */
  'consent': (boolean);
}
