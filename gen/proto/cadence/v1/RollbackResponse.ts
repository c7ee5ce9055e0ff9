// Original file: proto/cadence/v1/models.proto

import type { ModelInfoInit as _cadence_v1_ModelInfoInit, ModelInfo as _cadence_v1_ModelInfo } from '../../cadence/v1/ModelInfo';

export interface RollbackResponseInit {
  /**
   * Now active.
   */
  'model'?: (_cadence_v1_ModelInfoInit | null);
  /**
   * Was active before.
   */
  'previous'?: (_cadence_v1_ModelInfoInit | null);
}

export interface RollbackResponse {
  /**
   * Now active.
   */
  'model': (_cadence_v1_ModelInfo | null);
  /**
   * Was active before.
   */
  'previous': (_cadence_v1_ModelInfo | null);
}
