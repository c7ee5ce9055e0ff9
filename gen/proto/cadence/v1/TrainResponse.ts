// Original file: proto/cadence/v1/models.proto

import type { ModelInfoInit as _cadence_v1_ModelInfoInit, ModelInfo as _cadence_v1_ModelInfo } from '../../cadence/v1/ModelInfo';

export interface TrainResponseInit {
  'model'?: (_cadence_v1_ModelInfoInit | null);
}

export interface TrainResponse {
  'model': (_cadence_v1_ModelInfo | null);
}
