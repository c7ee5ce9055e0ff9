// Original file: proto/cadence/v1/admin.proto

import type { SessionLabelInit as _cadence_v1_SessionLabelInit, SessionLabel as _cadence_v1_SessionLabel } from '../../cadence/v1/SessionLabel';
import type { Long } from '@grpc/proto-loader';

export interface LabelRecordInit {
  'sessionId'?: (string);
  'label'?: (_cadence_v1_SessionLabelInit);
  /**
   * Who labelled (as the analyst gave it; the admin API key authenticated the call).
   */
  'analyst'?: (string);
  'note'?: (string);
  'labelledAtMs'?: (number | string | Long);
}

export interface LabelRecord {
  'sessionId': (string);
  'label': (_cadence_v1_SessionLabel);
  /**
   * Who labelled (as the analyst gave it; the admin API key authenticated the call).
   */
  'analyst': (string);
  'note': (string);
  'labelledAtMs': (number);
}
