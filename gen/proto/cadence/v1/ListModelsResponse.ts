// Original file: proto/cadence/v1/models.proto

import type { ModelInfoInit as _cadence_v1_ModelInfoInit, ModelInfo as _cadence_v1_ModelInfo } from '../../cadence/v1/ModelInfo';

export interface ListModelsResponseInit {
  'models'?: (_cadence_v1_ModelInfoInit)[];
  'nextPageToken'?: (string);
}

export interface ListModelsResponse {
  'models': (_cadence_v1_ModelInfo)[];
  'nextPageToken': (string);
}
