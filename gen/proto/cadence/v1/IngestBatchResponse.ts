// Original file: proto/cadence/v1/ingest.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';

export interface IngestBatchResponseInit {
  /**
   * True when this batch id was already stored; nothing new was written.
   */
  'duplicate'?: (boolean);
  'storedEvents'?: (number);
  'assessment'?: (_cadence_v1_RiskAssessmentInit | null);
  /**
   * The session's standing after this batch.
   */
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

export interface IngestBatchResponse {
  /**
   * True when this batch id was already stored; nothing new was written.
   */
  'duplicate': (boolean);
  'storedEvents': (number);
  'assessment': (_cadence_v1_RiskAssessment | null);
  /**
   * The session's standing after this batch.
   */
  'standing': (_cadence_v1_SessionStanding | null);
}
