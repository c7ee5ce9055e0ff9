import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ActivateRequestInit as _cadence_v1_ActivateRequestInit, ActivateRequest as _cadence_v1_ActivateRequest } from './cadence/v1/ActivateRequest';
import type { ActivateResponseInit as _cadence_v1_ActivateResponseInit, ActivateResponse as _cadence_v1_ActivateResponse } from './cadence/v1/ActivateResponse';
import type { GetModelRequestInit as _cadence_v1_GetModelRequestInit, GetModelRequest as _cadence_v1_GetModelRequest } from './cadence/v1/GetModelRequest';
import type { GetModelResponseInit as _cadence_v1_GetModelResponseInit, GetModelResponse as _cadence_v1_GetModelResponse } from './cadence/v1/GetModelResponse';
import type { ListModelsRequestInit as _cadence_v1_ListModelsRequestInit, ListModelsRequest as _cadence_v1_ListModelsRequest } from './cadence/v1/ListModelsRequest';
import type { ListModelsResponseInit as _cadence_v1_ListModelsResponseInit, ListModelsResponse as _cadence_v1_ListModelsResponse } from './cadence/v1/ListModelsResponse';
import type { ModelInfoInit as _cadence_v1_ModelInfoInit, ModelInfo as _cadence_v1_ModelInfo } from './cadence/v1/ModelInfo';
import type { ModelServiceClient as _cadence_v1_ModelServiceClient, ModelServiceDefinition as _cadence_v1_ModelServiceDefinition } from './cadence/v1/ModelService';
import type { RollbackRequestInit as _cadence_v1_RollbackRequestInit, RollbackRequest as _cadence_v1_RollbackRequest } from './cadence/v1/RollbackRequest';
import type { RollbackResponseInit as _cadence_v1_RollbackResponseInit, RollbackResponse as _cadence_v1_RollbackResponse } from './cadence/v1/RollbackResponse';
import type { TrainRequestInit as _cadence_v1_TrainRequestInit, TrainRequest as _cadence_v1_TrainRequest } from './cadence/v1/TrainRequest';
import type { TrainResponseInit as _cadence_v1_TrainResponseInit, TrainResponse as _cadence_v1_TrainResponse } from './cadence/v1/TrainResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cadence: {
    v1: {
      ActivateRequest: MessageTypeDefinition<_cadence_v1_ActivateRequestInit, _cadence_v1_ActivateRequest>
      ActivateResponse: MessageTypeDefinition<_cadence_v1_ActivateResponseInit, _cadence_v1_ActivateResponse>
      GetModelRequest: MessageTypeDefinition<_cadence_v1_GetModelRequestInit, _cadence_v1_GetModelRequest>
      GetModelResponse: MessageTypeDefinition<_cadence_v1_GetModelResponseInit, _cadence_v1_GetModelResponse>
      ListModelsRequest: MessageTypeDefinition<_cadence_v1_ListModelsRequestInit, _cadence_v1_ListModelsRequest>
      ListModelsResponse: MessageTypeDefinition<_cadence_v1_ListModelsResponseInit, _cadence_v1_ListModelsResponse>
      ModelInfo: MessageTypeDefinition<_cadence_v1_ModelInfoInit, _cadence_v1_ModelInfo>
      ModelKind: EnumTypeDefinition
      ModelService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_ModelServiceClient> & { service: _cadence_v1_ModelServiceDefinition }
      RollbackRequest: MessageTypeDefinition<_cadence_v1_RollbackRequestInit, _cadence_v1_RollbackRequest>
      RollbackResponse: MessageTypeDefinition<_cadence_v1_RollbackResponseInit, _cadence_v1_RollbackResponse>
      TrainRequest: MessageTypeDefinition<_cadence_v1_TrainRequestInit, _cadence_v1_TrainRequest>
      TrainResponse: MessageTypeDefinition<_cadence_v1_TrainResponseInit, _cadence_v1_TrainResponse>
    }
  }
}

