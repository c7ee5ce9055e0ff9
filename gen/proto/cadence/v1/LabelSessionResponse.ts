// Original file: proto/cadence/v1/admin.proto

import type { LabelRecordInit as _cadence_v1_LabelRecordInit, LabelRecord as _cadence_v1_LabelRecord } from '../../cadence/v1/LabelRecord';

export interface LabelSessionResponseInit {
  'label'?: (_cadence_v1_LabelRecordInit | null);
  /**
   * The label it replaced (absent for the session's first).
   */
  'previous'?: (_cadence_v1_LabelRecordInit | null);
}

export interface LabelSessionResponse {
  'label': (_cadence_v1_LabelRecord | null);
  /**
   * The label it replaced (absent for the session's first).
   */
  'previous': (_cadence_v1_LabelRecord | null);
}
