// Original file: proto/cadence/v1/admin.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { Long } from '@grpc/proto-loader';

export interface ScoreRecordInit {
  'batchId'?: (string);
  /**
   * "core" (authoritative) or "edge" (the pre-score the browser got).
   */
  'source'?: (string);
  'assessment'?: (_cadence_v1_RiskAssessmentInit | null);
  'createdAtMs'?: (number | string | Long);
}

export interface ScoreRecord {
  'batchId': (string);
  /**
   * "core" (authoritative) or "edge" (the pre-score the browser got).
   */
  'source': (string);
  'assessment': (_cadence_v1_RiskAssessment | null);
  'createdAtMs': (number);
}
