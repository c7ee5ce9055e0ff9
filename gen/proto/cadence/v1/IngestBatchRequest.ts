// Original file: proto/cadence/v1/ingest.proto

import type { EventBatchInit as _cadence_v1_EventBatchInit, EventBatch as _cadence_v1_EventBatch } from '../../cadence/v1/EventBatch';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { Long } from '@grpc/proto-loader';

export interface IngestBatchRequestInit {
  'batch'?: (_cadence_v1_EventBatchInit | null);
  /**
   * The edge's pre-score for this batch, stored beside the core's own assessment.
   */
  'edgeAssessment'?: (_cadence_v1_RiskAssessmentInit | null);
  /**
   * When the edge accepted the batch (Unix ms).
   */
  'receivedAtMs'?: (number | string | Long);
}

export interface IngestBatchRequest {
  'batch': (_cadence_v1_EventBatch | null);
  /**
   * The edge's pre-score for this batch, stored beside the core's own assessment.
   */
  'edgeAssessment': (_cadence_v1_RiskAssessment | null);
  /**
   * When the edge accepted the batch (Unix ms).
   */
  'receivedAtMs': (number);
}
