// Original file: proto/cadence/v1/ingest.proto

import type { IngestBatchRequestInit as _cadence_v1_IngestBatchRequestInit, IngestBatchRequest as _cadence_v1_IngestBatchRequest } from '../../cadence/v1/IngestBatchRequest';

/**
 * Several batches in one call: an edge sends together what it accepted while its previous call was
 * in flight, one request instead of one per batch. Each is stored and scored in order, exactly as
 * IngestBatch would; one refused does not refuse the others.
 */
export interface IngestBatchesRequestInit {
  /**
   * 1 to 64 batches; batches of one session in the order they were accepted.
   */
  'requests'?: (_cadence_v1_IngestBatchRequestInit)[];
}

/**
 * Several batches in one call: an edge sends together what it accepted while its previous call was
 * in flight, one request instead of one per batch. Each is stored and scored in order, exactly as
 * IngestBatch would; one refused does not refuse the others.
 */
export interface IngestBatchesRequest {
  /**
   * 1 to 64 batches; batches of one session in the order they were accepted.
   */
  'requests': (_cadence_v1_IngestBatchRequest)[];
}
