// Original file: proto/cadence/v1/risk.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DecisionEventInit as _cadence_v1_DecisionEventInit, DecisionEvent as _cadence_v1_DecisionEvent } from '../../cadence/v1/DecisionEvent';
import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from '../../cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from '../../cadence/v1/GetSessionRiskResponse';
import type { PredictSessionRequestInit as _cadence_v1_PredictSessionRequestInit, PredictSessionRequest as _cadence_v1_PredictSessionRequest } from '../../cadence/v1/PredictSessionRequest';
import type { PredictSessionResponseInit as _cadence_v1_PredictSessionResponseInit, PredictSessionResponse as _cadence_v1_PredictSessionResponse } from '../../cadence/v1/PredictSessionResponse';
import type { PredictSessionsRequestInit as _cadence_v1_PredictSessionsRequestInit, PredictSessionsRequest as _cadence_v1_PredictSessionsRequest } from '../../cadence/v1/PredictSessionsRequest';
import type { PredictSessionsResponseInit as _cadence_v1_PredictSessionsResponseInit, PredictSessionsResponse as _cadence_v1_PredictSessionsResponse } from '../../cadence/v1/PredictSessionsResponse';
import type { ScoreSessionRequestInit as _cadence_v1_ScoreSessionRequestInit, ScoreSessionRequest as _cadence_v1_ScoreSessionRequest } from '../../cadence/v1/ScoreSessionRequest';
import type { ScoreSessionResponseInit as _cadence_v1_ScoreSessionResponseInit, ScoreSessionResponse as _cadence_v1_ScoreSessionResponse } from '../../cadence/v1/ScoreSessionResponse';
import type { StreamDecisionsRequestInit as _cadence_v1_StreamDecisionsRequestInit, StreamDecisionsRequest as _cadence_v1_StreamDecisionsRequest } from '../../cadence/v1/StreamDecisionsRequest';
import type { WatchStandingRequestInit as _cadence_v1_WatchStandingRequestInit, WatchStandingRequest as _cadence_v1_WatchStandingRequest } from '../../cadence/v1/WatchStandingRequest';
import type { WatchStandingResponseInit as _cadence_v1_WatchStandingResponseInit, WatchStandingResponse as _cadence_v1_WatchStandingResponse } from '../../cadence/v1/WatchStandingResponse';

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
  
  /**
   * The active supervised session model's answer (FAILED_PRECONDITION until one is trained);
   * not part of the live decision yet.
   */
  PredictSession(argument: _cadence_v1_PredictSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  PredictSession(argument: _cadence_v1_PredictSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  PredictSession(argument: _cadence_v1_PredictSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  PredictSession(argument: _cadence_v1_PredictSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  /**
   * The active supervised session model's answer (FAILED_PRECONDITION until one is trained);
   * not part of the live decision yet.
   */
  predictSession(argument: _cadence_v1_PredictSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  predictSession(argument: _cadence_v1_PredictSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  predictSession(argument: _cadence_v1_PredictSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  predictSession(argument: _cadence_v1_PredictSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_PredictSessionResponse>): grpc.ClientUnaryCall;
  
  PredictSessions(argument: _cadence_v1_PredictSessionsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  PredictSessions(argument: _cadence_v1_PredictSessionsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  PredictSessions(argument: _cadence_v1_PredictSessionsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  PredictSessions(argument: _cadence_v1_PredictSessionsRequestInit, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  predictSessions(argument: _cadence_v1_PredictSessionsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  predictSessions(argument: _cadence_v1_PredictSessionsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  predictSessions(argument: _cadence_v1_PredictSessionsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  predictSessions(argument: _cadence_v1_PredictSessionsRequestInit, callback: grpc.requestCallback<_cadence_v1_PredictSessionsResponse>): grpc.ClientUnaryCall;
  
  /**
   * Scores the session's stored windows now, with the user's active model. NOT_FOUND if unknown.
   */
  ScoreSession(argument: _cadence_v1_ScoreSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  ScoreSession(argument: _cadence_v1_ScoreSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  ScoreSession(argument: _cadence_v1_ScoreSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  ScoreSession(argument: _cadence_v1_ScoreSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  /**
   * Scores the session's stored windows now, with the user's active model. NOT_FOUND if unknown.
   */
  scoreSession(argument: _cadence_v1_ScoreSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  scoreSession(argument: _cadence_v1_ScoreSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  scoreSession(argument: _cadence_v1_ScoreSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  scoreSession(argument: _cadence_v1_ScoreSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_ScoreSessionResponse>): grpc.ClientUnaryCall;
  
  /**
   * Every new core decision as it is made (native gRPC only: server streaming).
   */
  StreamDecisions(argument: _cadence_v1_StreamDecisionsRequestInit, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_cadence_v1_DecisionEvent>;
  StreamDecisions(argument: _cadence_v1_StreamDecisionsRequestInit, options?: grpc.CallOptions): grpc.ClientReadableStream<_cadence_v1_DecisionEvent>;
  /**
   * Every new core decision as it is made (native gRPC only: server streaming).
   */
  streamDecisions(argument: _cadence_v1_StreamDecisionsRequestInit, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_cadence_v1_DecisionEvent>;
  streamDecisions(argument: _cadence_v1_StreamDecisionsRequestInit, options?: grpc.CallOptions): grpc.ClientReadableStream<_cadence_v1_DecisionEvent>;
  
  /**
   * The standing of some sessions once it changes (a long poll, on both faces): how the edges learn
   * a challenge, block or lock the core decided, and a challenge answered by VerifyMpin.
   */
  WatchStanding(argument: _cadence_v1_WatchStandingRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  WatchStanding(argument: _cadence_v1_WatchStandingRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  WatchStanding(argument: _cadence_v1_WatchStandingRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  WatchStanding(argument: _cadence_v1_WatchStandingRequestInit, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  /**
   * The standing of some sessions once it changes (a long poll, on both faces): how the edges learn
   * a challenge, block or lock the core decided, and a challenge answered by VerifyMpin.
   */
  watchStanding(argument: _cadence_v1_WatchStandingRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  watchStanding(argument: _cadence_v1_WatchStandingRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  watchStanding(argument: _cadence_v1_WatchStandingRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  watchStanding(argument: _cadence_v1_WatchStandingRequestInit, callback: grpc.requestCallback<_cadence_v1_WatchStandingResponse>): grpc.ClientUnaryCall;
  
}

export interface RiskServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Counts and the latest decision for one session. NOT_FOUND if the session has sent nothing.
   */
  GetSessionRisk: grpc.handleUnaryCall<_cadence_v1_GetSessionRiskRequest, _cadence_v1_GetSessionRiskResponseInit>;
  
  /**
   * The active supervised session model's answer (FAILED_PRECONDITION until one is trained);
   * not part of the live decision yet.
   */
  PredictSession: grpc.handleUnaryCall<_cadence_v1_PredictSessionRequest, _cadence_v1_PredictSessionResponseInit>;
  
  PredictSessions: grpc.handleUnaryCall<_cadence_v1_PredictSessionsRequest, _cadence_v1_PredictSessionsResponseInit>;
  
  /**
   * Scores the session's stored windows now, with the user's active model. NOT_FOUND if unknown.
   */
  ScoreSession: grpc.handleUnaryCall<_cadence_v1_ScoreSessionRequest, _cadence_v1_ScoreSessionResponseInit>;
  
  /**
   * Every new core decision as it is made (native gRPC only: server streaming).
   */
  StreamDecisions: grpc.handleServerStreamingCall<_cadence_v1_StreamDecisionsRequest, _cadence_v1_DecisionEventInit>;
  
  /**
   * The standing of some sessions once it changes (a long poll, on both faces): how the edges learn
   * a challenge, block or lock the core decided, and a challenge answered by VerifyMpin.
   */
  WatchStanding: grpc.handleUnaryCall<_cadence_v1_WatchStandingRequest, _cadence_v1_WatchStandingResponseInit>;
  
}

export interface RiskServiceDefinition extends grpc.ServiceDefinition {
  GetSessionRisk: MethodDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskRequest, _cadence_v1_GetSessionRiskResponse>
  PredictSession: MethodDefinition<_cadence_v1_PredictSessionRequestInit, _cadence_v1_PredictSessionResponseInit, _cadence_v1_PredictSessionRequest, _cadence_v1_PredictSessionResponse>
  PredictSessions: MethodDefinition<_cadence_v1_PredictSessionsRequestInit, _cadence_v1_PredictSessionsResponseInit, _cadence_v1_PredictSessionsRequest, _cadence_v1_PredictSessionsResponse>
  ScoreSession: MethodDefinition<_cadence_v1_ScoreSessionRequestInit, _cadence_v1_ScoreSessionResponseInit, _cadence_v1_ScoreSessionRequest, _cadence_v1_ScoreSessionResponse>
  StreamDecisions: MethodDefinition<_cadence_v1_StreamDecisionsRequestInit, _cadence_v1_DecisionEventInit, _cadence_v1_StreamDecisionsRequest, _cadence_v1_DecisionEvent>
  WatchStanding: MethodDefinition<_cadence_v1_WatchStandingRequestInit, _cadence_v1_WatchStandingResponseInit, _cadence_v1_WatchStandingRequest, _cadence_v1_WatchStandingResponse>
}
