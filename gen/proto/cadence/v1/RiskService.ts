// Original file: proto/cadence/v1/risk.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from '../../cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from '../../cadence/v1/GetSessionRiskResponse';

export interface RiskServiceClient extends grpc.Client {
  /**
   * Counts and the latest decision for one session. NOT_FOUND if the session has sent nothing.
   */
  GetSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  GetSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  GetSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  GetSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  /**
   * Counts and the latest decision for one session. NOT_FOUND if the session has sent nothing.
   */
  getSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  getSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  getSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  getSessionRisk(argument: _cadence_v1_GetSessionRiskRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionRiskResponse>): grpc.ClientUnaryCall;
  
}

export interface RiskServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Counts and the latest decision for one session. NOT_FOUND if the session has sent nothing.
   */
  GetSessionRisk: grpc.handleUnaryCall<_cadence_v1_GetSessionRiskRequest, _cadence_v1_GetSessionRiskResponseInit>;
  
}

export interface RiskServiceDefinition extends grpc.ServiceDefinition {
  GetSessionRisk: MethodDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskRequest, _cadence_v1_GetSessionRiskResponse>
}
