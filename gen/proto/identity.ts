import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { DecisionEventInit as _cadence_v1_DecisionEventInit, DecisionEvent as _cadence_v1_DecisionEvent } from './cadence/v1/DecisionEvent';
import type { GetJwksRequestInit as _cadence_v1_GetJwksRequestInit, GetJwksRequest as _cadence_v1_GetJwksRequest } from './cadence/v1/GetJwksRequest';
import type { GetJwksResponseInit as _cadence_v1_GetJwksResponseInit, GetJwksResponse as _cadence_v1_GetJwksResponse } from './cadence/v1/GetJwksResponse';
import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from './cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from './cadence/v1/GetSessionRiskResponse';
import type { GetSessionStatusRequestInit as _cadence_v1_GetSessionStatusRequestInit, GetSessionStatusRequest as _cadence_v1_GetSessionStatusRequest } from './cadence/v1/GetSessionStatusRequest';
import type { GetSessionStatusResponseInit as _cadence_v1_GetSessionStatusResponseInit, GetSessionStatusResponse as _cadence_v1_GetSessionStatusResponse } from './cadence/v1/GetSessionStatusResponse';
import type { IdentityServiceClient as _cadence_v1_IdentityServiceClient, IdentityServiceDefinition as _cadence_v1_IdentityServiceDefinition } from './cadence/v1/IdentityService';
import type { LoginRequestInit as _cadence_v1_LoginRequestInit, LoginRequest as _cadence_v1_LoginRequest } from './cadence/v1/LoginRequest';
import type { LoginResponseInit as _cadence_v1_LoginResponseInit, LoginResponse as _cadence_v1_LoginResponse } from './cadence/v1/LoginResponse';
import type { LogoutRequestInit as _cadence_v1_LogoutRequestInit, LogoutRequest as _cadence_v1_LogoutRequest } from './cadence/v1/LogoutRequest';
import type { LogoutResponseInit as _cadence_v1_LogoutResponseInit, LogoutResponse as _cadence_v1_LogoutResponse } from './cadence/v1/LogoutResponse';
import type { PredictSessionRequestInit as _cadence_v1_PredictSessionRequestInit, PredictSessionRequest as _cadence_v1_PredictSessionRequest } from './cadence/v1/PredictSessionRequest';
import type { PredictSessionResponseInit as _cadence_v1_PredictSessionResponseInit, PredictSessionResponse as _cadence_v1_PredictSessionResponse } from './cadence/v1/PredictSessionResponse';
import type { PredictSessionsRequestInit as _cadence_v1_PredictSessionsRequestInit, PredictSessionsRequest as _cadence_v1_PredictSessionsRequest } from './cadence/v1/PredictSessionsRequest';
import type { PredictSessionsResponseInit as _cadence_v1_PredictSessionsResponseInit, PredictSessionsResponse as _cadence_v1_PredictSessionsResponse } from './cadence/v1/PredictSessionsResponse';
import type { RefreshRequestInit as _cadence_v1_RefreshRequestInit, RefreshRequest as _cadence_v1_RefreshRequest } from './cadence/v1/RefreshRequest';
import type { RefreshResponseInit as _cadence_v1_RefreshResponseInit, RefreshResponse as _cadence_v1_RefreshResponse } from './cadence/v1/RefreshResponse';
import type { RegisterRequestInit as _cadence_v1_RegisterRequestInit, RegisterRequest as _cadence_v1_RegisterRequest } from './cadence/v1/RegisterRequest';
import type { RegisterResponseInit as _cadence_v1_RegisterResponseInit, RegisterResponse as _cadence_v1_RegisterResponse } from './cadence/v1/RegisterResponse';
import type { RevokeRequestInit as _cadence_v1_RevokeRequestInit, RevokeRequest as _cadence_v1_RevokeRequest } from './cadence/v1/RevokeRequest';
import type { RevokeResponseInit as _cadence_v1_RevokeResponseInit, RevokeResponse as _cadence_v1_RevokeResponse } from './cadence/v1/RevokeResponse';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from './cadence/v1/RiskAssessment';
import type { RiskServiceClient as _cadence_v1_RiskServiceClient, RiskServiceDefinition as _cadence_v1_RiskServiceDefinition } from './cadence/v1/RiskService';
import type { ScoreSessionRequestInit as _cadence_v1_ScoreSessionRequestInit, ScoreSessionRequest as _cadence_v1_ScoreSessionRequest } from './cadence/v1/ScoreSessionRequest';
import type { ScoreSessionResponseInit as _cadence_v1_ScoreSessionResponseInit, ScoreSessionResponse as _cadence_v1_ScoreSessionResponse } from './cadence/v1/ScoreSessionResponse';
import type { SessionFeaturesInit as _cadence_v1_SessionFeaturesInit, SessionFeatures as _cadence_v1_SessionFeatures } from './cadence/v1/SessionFeatures';
import type { SessionPredictionInit as _cadence_v1_SessionPredictionInit, SessionPrediction as _cadence_v1_SessionPrediction } from './cadence/v1/SessionPrediction';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from './cadence/v1/SessionStanding';
import type { StandingChangeInit as _cadence_v1_StandingChangeInit, StandingChange as _cadence_v1_StandingChange } from './cadence/v1/StandingChange';
import type { StreamDecisionsRequestInit as _cadence_v1_StreamDecisionsRequestInit, StreamDecisionsRequest as _cadence_v1_StreamDecisionsRequest } from './cadence/v1/StreamDecisionsRequest';
import type { TokenPairInit as _cadence_v1_TokenPairInit, TokenPair as _cadence_v1_TokenPair } from './cadence/v1/TokenPair';
import type { VerifyMpinRequestInit as _cadence_v1_VerifyMpinRequestInit, VerifyMpinRequest as _cadence_v1_VerifyMpinRequest } from './cadence/v1/VerifyMpinRequest';
import type { VerifyMpinResponseInit as _cadence_v1_VerifyMpinResponseInit, VerifyMpinResponse as _cadence_v1_VerifyMpinResponse } from './cadence/v1/VerifyMpinResponse';
import type { WatchStandingRequestInit as _cadence_v1_WatchStandingRequestInit, WatchStandingRequest as _cadence_v1_WatchStandingRequest } from './cadence/v1/WatchStandingRequest';
import type { WatchStandingResponseInit as _cadence_v1_WatchStandingResponseInit, WatchStandingResponse as _cadence_v1_WatchStandingResponse } from './cadence/v1/WatchStandingResponse';
import type { WindowScoreInit as _cadence_v1_WindowScoreInit, WindowScore as _cadence_v1_WindowScore } from './cadence/v1/WindowScore';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cadence: {
    v1: {
      Decision: EnumTypeDefinition
      DecisionEvent: MessageTypeDefinition<_cadence_v1_DecisionEventInit, _cadence_v1_DecisionEvent>
      GetJwksRequest: MessageTypeDefinition<_cadence_v1_GetJwksRequestInit, _cadence_v1_GetJwksRequest>
      GetJwksResponse: MessageTypeDefinition<_cadence_v1_GetJwksResponseInit, _cadence_v1_GetJwksResponse>
      GetSessionRiskRequest: MessageTypeDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskRequest>
      GetSessionRiskResponse: MessageTypeDefinition<_cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskResponse>
      GetSessionStatusRequest: MessageTypeDefinition<_cadence_v1_GetSessionStatusRequestInit, _cadence_v1_GetSessionStatusRequest>
      GetSessionStatusResponse: MessageTypeDefinition<_cadence_v1_GetSessionStatusResponseInit, _cadence_v1_GetSessionStatusResponse>
      IdentityService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_IdentityServiceClient> & { service: _cadence_v1_IdentityServiceDefinition }
      LoginRequest: MessageTypeDefinition<_cadence_v1_LoginRequestInit, _cadence_v1_LoginRequest>
      LoginResponse: MessageTypeDefinition<_cadence_v1_LoginResponseInit, _cadence_v1_LoginResponse>
      LogoutRequest: MessageTypeDefinition<_cadence_v1_LogoutRequestInit, _cadence_v1_LogoutRequest>
      LogoutResponse: MessageTypeDefinition<_cadence_v1_LogoutResponseInit, _cadence_v1_LogoutResponse>
      PredictSessionRequest: MessageTypeDefinition<_cadence_v1_PredictSessionRequestInit, _cadence_v1_PredictSessionRequest>
      PredictSessionResponse: MessageTypeDefinition<_cadence_v1_PredictSessionResponseInit, _cadence_v1_PredictSessionResponse>
      PredictSessionsRequest: MessageTypeDefinition<_cadence_v1_PredictSessionsRequestInit, _cadence_v1_PredictSessionsRequest>
      PredictSessionsResponse: MessageTypeDefinition<_cadence_v1_PredictSessionsResponseInit, _cadence_v1_PredictSessionsResponse>
      RefreshRequest: MessageTypeDefinition<_cadence_v1_RefreshRequestInit, _cadence_v1_RefreshRequest>
      RefreshResponse: MessageTypeDefinition<_cadence_v1_RefreshResponseInit, _cadence_v1_RefreshResponse>
      RegisterRequest: MessageTypeDefinition<_cadence_v1_RegisterRequestInit, _cadence_v1_RegisterRequest>
      RegisterResponse: MessageTypeDefinition<_cadence_v1_RegisterResponseInit, _cadence_v1_RegisterResponse>
      RequiredAction: EnumTypeDefinition
      RevokeRequest: MessageTypeDefinition<_cadence_v1_RevokeRequestInit, _cadence_v1_RevokeRequest>
      RevokeResponse: MessageTypeDefinition<_cadence_v1_RevokeResponseInit, _cadence_v1_RevokeResponse>
      RiskAssessment: MessageTypeDefinition<_cadence_v1_RiskAssessmentInit, _cadence_v1_RiskAssessment>
      RiskService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_RiskServiceClient> & { service: _cadence_v1_RiskServiceDefinition }
      ScoreSessionRequest: MessageTypeDefinition<_cadence_v1_ScoreSessionRequestInit, _cadence_v1_ScoreSessionRequest>
      ScoreSessionResponse: MessageTypeDefinition<_cadence_v1_ScoreSessionResponseInit, _cadence_v1_ScoreSessionResponse>
      SessionFeatures: MessageTypeDefinition<_cadence_v1_SessionFeaturesInit, _cadence_v1_SessionFeatures>
      SessionPrediction: MessageTypeDefinition<_cadence_v1_SessionPredictionInit, _cadence_v1_SessionPrediction>
      SessionStanding: MessageTypeDefinition<_cadence_v1_SessionStandingInit, _cadence_v1_SessionStanding>
      SessionStatus: EnumTypeDefinition
      Severity: EnumTypeDefinition
      StandingChange: MessageTypeDefinition<_cadence_v1_StandingChangeInit, _cadence_v1_StandingChange>
      StandingLevel: EnumTypeDefinition
      StreamDecisionsRequest: MessageTypeDefinition<_cadence_v1_StreamDecisionsRequestInit, _cadence_v1_StreamDecisionsRequest>
      TokenPair: MessageTypeDefinition<_cadence_v1_TokenPairInit, _cadence_v1_TokenPair>
      VerifyMpinRequest: MessageTypeDefinition<_cadence_v1_VerifyMpinRequestInit, _cadence_v1_VerifyMpinRequest>
      VerifyMpinResponse: MessageTypeDefinition<_cadence_v1_VerifyMpinResponseInit, _cadence_v1_VerifyMpinResponse>
      WatchStandingRequest: MessageTypeDefinition<_cadence_v1_WatchStandingRequestInit, _cadence_v1_WatchStandingRequest>
      WatchStandingResponse: MessageTypeDefinition<_cadence_v1_WatchStandingResponseInit, _cadence_v1_WatchStandingResponse>
      WindowScore: MessageTypeDefinition<_cadence_v1_WindowScoreInit, _cadence_v1_WindowScore>
    }
  }
}

