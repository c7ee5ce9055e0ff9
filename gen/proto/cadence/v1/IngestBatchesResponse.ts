// Original file: proto/cadence/v1/ingest.proto

import type { IngestBatchResultInit as _cadence_v1_IngestBatchResultInit, IngestBatchResult as _cadence_v1_IngestBatchResult } from '../../cadence/v1/IngestBatchResult';

export interface IngestBatchesResponseInit {
  /**
   * One per request, in the same order.
   */
  'results'?: (_cadence_v1_IngestBatchResultInit)[];
}

export interface IngestBatchesResponse {
  /**
   * One per request, in the same order.
   */
  'results': (_cadence_v1_IngestBatchResult)[];
}
