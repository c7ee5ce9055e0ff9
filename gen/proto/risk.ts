import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { DecisionEventInit as _cadence_v1_DecisionEventInit, DecisionEvent as _cadence_v1_DecisionEvent } from './cadence/v1/DecisionEvent';
import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from './cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from './cadence/v1/GetSessionRiskResponse';
import type { PredictSessionRequestInit as _cadence_v1_PredictSessionRequestInit, PredictSessionRequest as _cadence_v1_PredictSessionRequest } from './cadence/v1/PredictSessionRequest';
import type { PredictSessionResponseInit as _cadence_v1_PredictSessionResponseInit, PredictSessionResponse as _cadence_v1_PredictSessionResponse } from './cadence/v1/PredictSessionResponse';
import type { PredictSessionsRequestInit as _cadence_v1_PredictSessionsRequestInit, PredictSessionsRequest as _cadence_v1_PredictSessionsRequest } from './cadence/v1/PredictSessionsRequest';
import type { PredictSessionsResponseInit as _cadence_v1_PredictSessionsResponseInit, PredictSessionsResponse as _cadence_v1_PredictSessionsResponse } from './cadence/v1/PredictSessionsResponse';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from './cadence/v1/RiskAssessment';
import type { RiskServiceClient as _cadence_v1_RiskServiceClient, RiskServiceDefinition as _cadence_v1_RiskServiceDefinition } from './cadence/v1/RiskService';
import type { ScoreSessionRequestInit as _cadence_v1_ScoreSessionRequestInit, ScoreSessionRequest as _cadence_v1_ScoreSessionRequest } from './cadence/v1/ScoreSessionRequest';
import type { ScoreSessionResponseInit as _cadence_v1_ScoreSessionResponseInit, ScoreSessionResponse as _cadence_v1_ScoreSessionResponse } from './cadence/v1/ScoreSessionResponse';
import type { SessionFeaturesInit as _cadence_v1_SessionFeaturesInit, SessionFeatures as _cadence_v1_SessionFeatures } from './cadence/v1/SessionFeatures';
import type { SessionPredictionInit as _cadence_v1_SessionPredictionInit, SessionPrediction as _cadence_v1_SessionPrediction } from './cadence/v1/SessionPrediction';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from './cadence/v1/SessionStanding';
import type { StandingChangeInit as _cadence_v1_StandingChangeInit, StandingChange as _cadence_v1_StandingChange } from './cadence/v1/StandingChange';
import type { StreamDecisionsRequestInit as _cadence_v1_StreamDecisionsRequestInit, StreamDecisionsRequest as _cadence_v1_StreamDecisionsRequest } from './cadence/v1/StreamDecisionsRequest';
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
      GetSessionRiskRequest: MessageTypeDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskRequest>
      GetSessionRiskResponse: MessageTypeDefinition<_cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskResponse>
      PredictSessionRequest: MessageTypeDefinition<_cadence_v1_PredictSessionRequestInit, _cadence_v1_PredictSessionRequest>
      PredictSessionResponse: MessageTypeDefinition<_cadence_v1_PredictSessionResponseInit, _cadence_v1_PredictSessionResponse>
      PredictSessionsRequest: MessageTypeDefinition<_cadence_v1_PredictSessionsRequestInit, _cadence_v1_PredictSessionsRequest>
      PredictSessionsResponse: MessageTypeDefinition<_cadence_v1_PredictSessionsResponseInit, _cadence_v1_PredictSessionsResponse>
      RiskAssessment: MessageTypeDefinition<_cadence_v1_RiskAssessmentInit, _cadence_v1_RiskAssessment>
      RiskService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_RiskServiceClient> & { service: _cadence_v1_RiskServiceDefinition }
      ScoreSessionRequest: MessageTypeDefinition<_cadence_v1_ScoreSessionRequestInit, _cadence_v1_ScoreSessionRequest>
      ScoreSessionResponse: MessageTypeDefinition<_cadence_v1_ScoreSessionResponseInit, _cadence_v1_ScoreSessionResponse>
      SessionFeatures: MessageTypeDefinition<_cadence_v1_SessionFeaturesInit, _cadence_v1_SessionFeatures>
      SessionPrediction: MessageTypeDefinition<_cadence_v1_SessionPredictionInit, _cadence_v1_SessionPrediction>
      SessionStanding: MessageTypeDefinition<_cadence_v1_SessionStandingInit, _cadence_v1_SessionStanding>
      StandingChange: MessageTypeDefinition<_cadence_v1_StandingChangeInit, _cadence_v1_StandingChange>
      StandingLevel: EnumTypeDefinition
      StreamDecisionsRequest: MessageTypeDefinition<_cadence_v1_StreamDecisionsRequestInit, _cadence_v1_StreamDecisionsRequest>
      WatchStandingRequest: MessageTypeDefinition<_cadence_v1_WatchStandingRequestInit, _cadence_v1_WatchStandingRequest>
      WatchStandingResponse: MessageTypeDefinition<_cadence_v1_WatchStandingResponseInit, _cadence_v1_WatchStandingResponse>
      WindowScore: MessageTypeDefinition<_cadence_v1_WindowScoreInit, _cadence_v1_WindowScore>
    }
  }
}

