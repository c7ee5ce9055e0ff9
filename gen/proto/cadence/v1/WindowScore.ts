// Original file: proto/cadence/v1/risk.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { Long } from '@grpc/proto-loader';

export interface WindowScoreInit {
  'batchId'?: (string);
  'assessment'?: (_cadence_v1_RiskAssessmentInit | null);
  'receivedAtMs'?: (number | string | Long);
}

export interface WindowScore {
  'batchId': (string);
  'assessment': (_cadence_v1_RiskAssessment | null);
  'receivedAtMs': (number);
}
