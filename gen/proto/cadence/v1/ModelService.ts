// Original file: proto/cadence/v1/models.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ActivateRequestInit as _cadence_v1_ActivateRequestInit, ActivateRequest as _cadence_v1_ActivateRequest } from '../../cadence/v1/ActivateRequest';
import type { ActivateResponseInit as _cadence_v1_ActivateResponseInit, ActivateResponse as _cadence_v1_ActivateResponse } from '../../cadence/v1/ActivateResponse';
import type { GetModelRequestInit as _cadence_v1_GetModelRequestInit, GetModelRequest as _cadence_v1_GetModelRequest } from '../../cadence/v1/GetModelRequest';
import type { GetModelResponseInit as _cadence_v1_GetModelResponseInit, GetModelResponse as _cadence_v1_GetModelResponse } from '../../cadence/v1/GetModelResponse';
import type { ListModelsRequestInit as _cadence_v1_ListModelsRequestInit, ListModelsRequest as _cadence_v1_ListModelsRequest } from '../../cadence/v1/ListModelsRequest';
import type { ListModelsResponseInit as _cadence_v1_ListModelsResponseInit, ListModelsResponse as _cadence_v1_ListModelsResponse } from '../../cadence/v1/ListModelsResponse';
import type { RollbackRequestInit as _cadence_v1_RollbackRequestInit, RollbackRequest as _cadence_v1_RollbackRequest } from '../../cadence/v1/RollbackRequest';
import type { RollbackResponseInit as _cadence_v1_RollbackResponseInit, RollbackResponse as _cadence_v1_RollbackResponse } from '../../cadence/v1/RollbackResponse';
import type { TrainRequestInit as _cadence_v1_TrainRequestInit, TrainRequest as _cadence_v1_TrainRequest } from '../../cadence/v1/TrainRequest';
import type { TrainResponseInit as _cadence_v1_TrainResponseInit, TrainResponse as _cadence_v1_TrainResponse } from '../../cadence/v1/TrainResponse';

export interface ModelServiceClient extends grpc.Client {
  /**
   * Activates any version of its scope and pins it (see ModelInfo.pinned).
   */
  Activate(argument: _cadence_v1_ActivateRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  Activate(argument: _cadence_v1_ActivateRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  Activate(argument: _cadence_v1_ActivateRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  Activate(argument: _cadence_v1_ActivateRequestInit, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  /**
   * Activates any version of its scope and pins it (see ModelInfo.pinned).
   */
  activate(argument: _cadence_v1_ActivateRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  activate(argument: _cadence_v1_ActivateRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  activate(argument: _cadence_v1_ActivateRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  activate(argument: _cadence_v1_ActivateRequestInit, callback: grpc.requestCallback<_cadence_v1_ActivateResponse>): grpc.ClientUnaryCall;
  
  GetModel(argument: _cadence_v1_GetModelRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  GetModel(argument: _cadence_v1_GetModelRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  GetModel(argument: _cadence_v1_GetModelRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  GetModel(argument: _cadence_v1_GetModelRequestInit, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  getModel(argument: _cadence_v1_GetModelRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  getModel(argument: _cadence_v1_GetModelRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  getModel(argument: _cadence_v1_GetModelRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  getModel(argument: _cadence_v1_GetModelRequestInit, callback: grpc.requestCallback<_cadence_v1_GetModelResponse>): grpc.ClientUnaryCall;
  
  ListModels(argument: _cadence_v1_ListModelsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  ListModels(argument: _cadence_v1_ListModelsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  ListModels(argument: _cadence_v1_ListModelsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  ListModels(argument: _cadence_v1_ListModelsRequestInit, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  listModels(argument: _cadence_v1_ListModelsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  listModels(argument: _cadence_v1_ListModelsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  listModels(argument: _cadence_v1_ListModelsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  listModels(argument: _cadence_v1_ListModelsRequestInit, callback: grpc.requestCallback<_cadence_v1_ListModelsResponse>): grpc.ClientUnaryCall;
  
  /**
   * Same as Train, for a scope that already has a model (FAILED_PRECONDITION otherwise).
   */
  Retrain(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  Retrain(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  Retrain(argument: _cadence_v1_TrainRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  Retrain(argument: _cadence_v1_TrainRequestInit, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  /**
   * Same as Train, for a scope that already has a model (FAILED_PRECONDITION otherwise).
   */
  retrain(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  retrain(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  retrain(argument: _cadence_v1_TrainRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  retrain(argument: _cadence_v1_TrainRequestInit, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  
  /**
   * Re-activates the version trained before the active one, pinned.
   */
  Rollback(argument: _cadence_v1_RollbackRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  Rollback(argument: _cadence_v1_RollbackRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  Rollback(argument: _cadence_v1_RollbackRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  Rollback(argument: _cadence_v1_RollbackRequestInit, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  /**
   * Re-activates the version trained before the active one, pinned.
   */
  rollback(argument: _cadence_v1_RollbackRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  rollback(argument: _cadence_v1_RollbackRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  rollback(argument: _cadence_v1_RollbackRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  rollback(argument: _cadence_v1_RollbackRequestInit, callback: grpc.requestCallback<_cadence_v1_RollbackResponse>): grpc.ClientUnaryCall;
  
  /**
   * Trains a new version now (waits for it; scoring is never blocked). FAILED_PRECONDITION without enough windows.
   */
  Train(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  Train(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  Train(argument: _cadence_v1_TrainRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  Train(argument: _cadence_v1_TrainRequestInit, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  /**
   * Trains a new version now (waits for it; scoring is never blocked). FAILED_PRECONDITION without enough windows.
   */
  train(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  train(argument: _cadence_v1_TrainRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  train(argument: _cadence_v1_TrainRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  train(argument: _cadence_v1_TrainRequestInit, callback: grpc.requestCallback<_cadence_v1_TrainResponse>): grpc.ClientUnaryCall;
  
}

export interface ModelServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Activates any version of its scope and pins it (see ModelInfo.pinned).
   */
  Activate: grpc.handleUnaryCall<_cadence_v1_ActivateRequest, _cadence_v1_ActivateResponseInit>;
  
  GetModel: grpc.handleUnaryCall<_cadence_v1_GetModelRequest, _cadence_v1_GetModelResponseInit>;
  
  ListModels: grpc.handleUnaryCall<_cadence_v1_ListModelsRequest, _cadence_v1_ListModelsResponseInit>;
  
  /**
   * Same as Train, for a scope that already has a model (FAILED_PRECONDITION otherwise).
   */
  Retrain: grpc.handleUnaryCall<_cadence_v1_TrainRequest, _cadence_v1_TrainResponseInit>;
  
  /**
   * Re-activates the version trained before the active one, pinned.
   */
  Rollback: grpc.handleUnaryCall<_cadence_v1_RollbackRequest, _cadence_v1_RollbackResponseInit>;
  
  /**
   * Trains a new version now (waits for it; scoring is never blocked). FAILED_PRECONDITION without enough windows.
   */
  Train: grpc.handleUnaryCall<_cadence_v1_TrainRequest, _cadence_v1_TrainResponseInit>;
  
}

export interface ModelServiceDefinition extends grpc.ServiceDefinition {
  Activate: MethodDefinition<_cadence_v1_ActivateRequestInit, _cadence_v1_ActivateResponseInit, _cadence_v1_ActivateRequest, _cadence_v1_ActivateResponse>
  GetModel: MethodDefinition<_cadence_v1_GetModelRequestInit, _cadence_v1_GetModelResponseInit, _cadence_v1_GetModelRequest, _cadence_v1_GetModelResponse>
  ListModels: MethodDefinition<_cadence_v1_ListModelsRequestInit, _cadence_v1_ListModelsResponseInit, _cadence_v1_ListModelsRequest, _cadence_v1_ListModelsResponse>
  Retrain: MethodDefinition<_cadence_v1_TrainRequestInit, _cadence_v1_TrainResponseInit, _cadence_v1_TrainRequest, _cadence_v1_TrainResponse>
  Rollback: MethodDefinition<_cadence_v1_RollbackRequestInit, _cadence_v1_RollbackResponseInit, _cadence_v1_RollbackRequest, _cadence_v1_RollbackResponse>
  Train: MethodDefinition<_cadence_v1_TrainRequestInit, _cadence_v1_TrainResponseInit, _cadence_v1_TrainRequest, _cadence_v1_TrainResponse>
}
