// Original file: proto/cadence/v1/models.proto

import type { ModelKindInit as _cadence_v1_ModelKindInit, ModelKind as _cadence_v1_ModelKind } from '../../cadence/v1/ModelKind';

export interface RollbackRequestInit {
  'scope'?: (string);
  /**
   * Unspecified: the user model for a user scope, the population forest for "global".
   */
  'kind'?: (_cadence_v1_ModelKindInit);
}

export interface RollbackRequest {
  'scope': (string);
  /**
   * Unspecified: the user model for a user scope, the population forest for "global".
   */
  'kind': (_cadence_v1_ModelKind);
}
