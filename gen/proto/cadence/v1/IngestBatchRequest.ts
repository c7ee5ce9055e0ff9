// Original file: proto/cadence/v1/ingest.proto

import type { EventBatchInit as _cadence_v1_EventBatchInit, EventBatch as _cadence_v1_EventBatch } from '../../cadence/v1/EventBatch';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { RequestGeoInit as _cadence_v1_RequestGeoInit, RequestGeo as _cadence_v1_RequestGeo } from '../../cadence/v1/RequestGeo';
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
  /**
   * Where the request came from, as the platform in front of the edge said (absent when unknown or
   * not trusted). The core keeps the first seen with the session.
   */
  'geo'?: (_cadence_v1_RequestGeoInit | null);
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
  /**
   * Where the request came from, as the platform in front of the edge said (absent when unknown or
   * not trusted). The core keeps the first seen with the session.
   */
  'geo': (_cadence_v1_RequestGeo | null);
}
