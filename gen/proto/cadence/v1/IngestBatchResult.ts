// Original file: proto/cadence/v1/ingest.proto

import type { IngestBatchResponseInit as _cadence_v1_IngestBatchResponseInit, IngestBatchResponse as _cadence_v1_IngestBatchResponse } from '../../cadence/v1/IngestBatchResponse';
import type { IngestBatchErrorInit as _cadence_v1_IngestBatchErrorInit, IngestBatchError as _cadence_v1_IngestBatchError } from '../../cadence/v1/IngestBatchError';

export interface IngestBatchResultInit {
  'response'?: (_cadence_v1_IngestBatchResponseInit | null);
  'error'?: (_cadence_v1_IngestBatchErrorInit | null);
  'outcome'?: "response"|"error";
}

export interface IngestBatchResult {
  'response'?: (_cadence_v1_IngestBatchResponse | null);
  'error'?: (_cadence_v1_IngestBatchError | null);
  'outcome'?: "response"|"error";
}
