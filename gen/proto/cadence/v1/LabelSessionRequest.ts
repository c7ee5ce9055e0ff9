// Original file: proto/cadence/v1/admin.proto

import type { SessionLabelInit as _cadence_v1_SessionLabelInit, SessionLabel as _cadence_v1_SessionLabel } from '../../cadence/v1/SessionLabel';

export interface LabelSessionRequestInit {
  'sessionId'?: (string);
  'label'?: (_cadence_v1_SessionLabelInit);
  /**
   * 1-128 characters.
   */
  'analyst'?: (string);
  /**
   * At most 1,000 characters.
   */
  'note'?: (string);
}

export interface LabelSessionRequest {
  'sessionId': (string);
  'label': (_cadence_v1_SessionLabel);
  /**
   * 1-128 characters.
   */
  'analyst': (string);
  /**
   * At most 1,000 characters.
   */
  'note': (string);
}
