// Original file: proto/cadence/v1/models.proto

import type { ModelKindInit as _cadence_v1_ModelKindInit, ModelKind as _cadence_v1_ModelKind } from '../../cadence/v1/ModelKind';

export interface ListModelsRequestInit {
  'scope'?: (string);
  'kind'?: (_cadence_v1_ModelKindInit);
  'activeOnly'?: (boolean);
  /**
   * 0 means 50, at most 500.
   */
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListModelsRequest {
  'scope': (string);
  'kind': (_cadence_v1_ModelKind);
  'activeOnly': (boolean);
  /**
   * 0 means 50, at most 500.
   */
  'pageSize': (number);
  'pageToken': (string);
}
