// Original file: proto/cadence/v1/admin.proto

import type { LabelRecordInit as _cadence_v1_LabelRecordInit, LabelRecord as _cadence_v1_LabelRecord } from '../../cadence/v1/LabelRecord';

export interface GetSessionLabelsResponseInit {
  /**
   * Absent while the session has no label.
   */
  'current'?: (_cadence_v1_LabelRecordInit | null);
  /**
   * Every label given, newest first (the audit trail; labels are never deleted by relabelling).
   */
  'history'?: (_cadence_v1_LabelRecordInit)[];
}

export interface GetSessionLabelsResponse {
  /**
   * Absent while the session has no label.
   */
  'current': (_cadence_v1_LabelRecord | null);
  /**
   * Every label given, newest first (the audit trail; labels are never deleted by relabelling).
   */
  'history': (_cadence_v1_LabelRecord)[];
}
