// Original file: proto/cadence/v1/models.proto

import type { ModelKindInit as _cadence_v1_ModelKindInit, ModelKind as _cadence_v1_ModelKind } from '../../cadence/v1/ModelKind';

export interface GetModelRequestInit {
  /**
   * A model id; or, with id empty, the active model of scope and kind.
   */
  'id'?: (string);
  'scope'?: (string);
  'kind'?: (_cadence_v1_ModelKindInit);
}

export interface GetModelRequest {
  /**
   * A model id; or, with id empty, the active model of scope and kind.
   */
  'id': (string);
  'scope': (string);
  'kind': (_cadence_v1_ModelKind);
}
