// Original file: proto/cadence/v1/offchain.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { OffchainHealthRequestInit as _cadence_v1_OffchainHealthRequestInit, OffchainHealthRequest as _cadence_v1_OffchainHealthRequest } from '../../cadence/v1/OffchainHealthRequest';
import type { OffchainHealthResponseInit as _cadence_v1_OffchainHealthResponseInit, OffchainHealthResponse as _cadence_v1_OffchainHealthResponse } from '../../cadence/v1/OffchainHealthResponse';
import type { PredictRequestInit as _cadence_v1_PredictRequestInit, PredictRequest as _cadence_v1_PredictRequest } from '../../cadence/v1/PredictRequest';
import type { PredictResponseInit as _cadence_v1_PredictResponseInit, PredictResponse as _cadence_v1_PredictResponse } from '../../cadence/v1/PredictResponse';

export interface OffchainServiceClient extends grpc.Client {
  Health(argument: _cadence_v1_OffchainHealthRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  Health(argument: _cadence_v1_OffchainHealthRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  Health(argument: _cadence_v1_OffchainHealthRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  Health(argument: _cadence_v1_OffchainHealthRequestInit, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  health(argument: _cadence_v1_OffchainHealthRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  health(argument: _cadence_v1_OffchainHealthRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  health(argument: _cadence_v1_OffchainHealthRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  health(argument: _cadence_v1_OffchainHealthRequestInit, callback: grpc.requestCallback<_cadence_v1_OffchainHealthResponse>): grpc.ClientUnaryCall;
  
  Predict(argument: _cadence_v1_PredictRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  Predict(argument: _cadence_v1_PredictRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  Predict(argument: _cadence_v1_PredictRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  Predict(argument: _cadence_v1_PredictRequestInit, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  predict(argument: _cadence_v1_PredictRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  predict(argument: _cadence_v1_PredictRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  predict(argument: _cadence_v1_PredictRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  predict(argument: _cadence_v1_PredictRequestInit, callback: grpc.requestCallback<_cadence_v1_PredictResponse>): grpc.ClientUnaryCall;
  
}

export interface OffchainServiceHandlers extends grpc.UntypedServiceImplementation {
  Health: grpc.handleUnaryCall<_cadence_v1_OffchainHealthRequest, _cadence_v1_OffchainHealthResponseInit>;
  
  Predict: grpc.handleUnaryCall<_cadence_v1_PredictRequest, _cadence_v1_PredictResponseInit>;
  
}

export interface OffchainServiceDefinition extends grpc.ServiceDefinition {
  Health: MethodDefinition<_cadence_v1_OffchainHealthRequestInit, _cadence_v1_OffchainHealthResponseInit, _cadence_v1_OffchainHealthRequest, _cadence_v1_OffchainHealthResponse>
  Predict: MethodDefinition<_cadence_v1_PredictRequestInit, _cadence_v1_PredictResponseInit, _cadence_v1_PredictRequest, _cadence_v1_PredictResponse>
}
