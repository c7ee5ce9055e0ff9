import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchContextInit as _cadence_v1_BatchContextInit, BatchContext as _cadence_v1_BatchContext } from './cadence/v1/BatchContext';
import type { DecisionEventInit as _cadence_v1_DecisionEventInit, DecisionEvent as _cadence_v1_DecisionEvent } from './cadence/v1/DecisionEvent';
import type { EventInit as _cadence_v1_EventInit, Event as _cadence_v1_Event } from './cadence/v1/Event';
import type { EventBatchInit as _cadence_v1_EventBatchInit, EventBatch as _cadence_v1_EventBatch } from './cadence/v1/EventBatch';
import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from './cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from './cadence/v1/GetSessionRiskResponse';
import type { IngestBatchErrorInit as _cadence_v1_IngestBatchErrorInit, IngestBatchError as _cadence_v1_IngestBatchError } from './cadence/v1/IngestBatchError';
import type { IngestBatchRequestInit as _cadence_v1_IngestBatchRequestInit, IngestBatchRequest as _cadence_v1_IngestBatchRequest } from './cadence/v1/IngestBatchRequest';
import type { IngestBatchResponseInit as _cadence_v1_IngestBatchResponseInit, IngestBatchResponse as _cadence_v1_IngestBatchResponse } from './cadence/v1/IngestBatchResponse';
import type { IngestBatchResultInit as _cadence_v1_IngestBatchResultInit, IngestBatchResult as _cadence_v1_IngestBatchResult } from './cadence/v1/IngestBatchResult';
import type { IngestBatchesRequestInit as _cadence_v1_IngestBatchesRequestInit, IngestBatchesRequest as _cadence_v1_IngestBatchesRequest } from './cadence/v1/IngestBatchesRequest';
import type { IngestBatchesResponseInit as _cadence_v1_IngestBatchesResponseInit, IngestBatchesResponse as _cadence_v1_IngestBatchesResponse } from './cadence/v1/IngestBatchesResponse';
import type { IngestServiceClient as _cadence_v1_IngestServiceClient, IngestServiceDefinition as _cadence_v1_IngestServiceDefinition } from './cadence/v1/IngestService';
import type { PredictSessionRequestInit as _cadence_v1_PredictSessionRequestInit, PredictSessionRequest as _cadence_v1_PredictSessionRequest } from './cadence/v1/PredictSessionRequest';
import type { PredictSessionResponseInit as _cadence_v1_PredictSessionResponseInit, PredictSessionResponse as _cadence_v1_PredictSessionResponse } from './cadence/v1/PredictSessionResponse';
import type { PredictSessionsRequestInit as _cadence_v1_PredictSessionsRequestInit, PredictSessionsRequest as _cadence_v1_PredictSessionsRequest } from './cadence/v1/PredictSessionsRequest';
import type { PredictSessionsResponseInit as _cadence_v1_PredictSessionsResponseInit, PredictSessionsResponse as _cadence_v1_PredictSessionsResponse } from './cadence/v1/PredictSessionsResponse';
import type { RequestGeoInit as _cadence_v1_RequestGeoInit, RequestGeo as _cadence_v1_RequestGeo } from './cadence/v1/RequestGeo';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from './cadence/v1/RiskAssessment';
import type { RiskServiceClient as _cadence_v1_RiskServiceClient, RiskServiceDefinition as _cadence_v1_RiskServiceDefinition } from './cadence/v1/RiskService';
import type { ScoreSessionRequestInit as _cadence_v1_ScoreSessionRequestInit, ScoreSessionRequest as _cadence_v1_ScoreSessionRequest } from './cadence/v1/ScoreSessionRequest';
import type { ScoreSessionResponseInit as _cadence_v1_ScoreSessionResponseInit, ScoreSessionResponse as _cadence_v1_ScoreSessionResponse } from './cadence/v1/ScoreSessionResponse';
import type { ScreenInit as _cadence_v1_ScreenInit, Screen as _cadence_v1_Screen } from './cadence/v1/Screen';
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
      BatchContext: MessageTypeDefinition<_cadence_v1_BatchContextInit, _cadence_v1_BatchContext>
      Decision: EnumTypeDefinition
      DecisionEvent: MessageTypeDefinition<_cadence_v1_DecisionEventInit, _cadence_v1_DecisionEvent>
      Event: MessageTypeDefinition<_cadence_v1_EventInit, _cadence_v1_Event>
      EventBatch: MessageTypeDefinition<_cadence_v1_EventBatchInit, _cadence_v1_EventBatch>
      EventType: EnumTypeDefinition
      GetSessionRiskRequest: MessageTypeDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskRequest>
      GetSessionRiskResponse: MessageTypeDefinition<_cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskResponse>
      IngestBatchError: MessageTypeDefinition<_cadence_v1_IngestBatchErrorInit, _cadence_v1_IngestBatchError>
      IngestBatchRequest: MessageTypeDefinition<_cadence_v1_IngestBatchRequestInit, _cadence_v1_IngestBatchRequest>
      IngestBatchResponse: MessageTypeDefinition<_cadence_v1_IngestBatchResponseInit, _cadence_v1_IngestBatchResponse>
      IngestBatchResult: MessageTypeDefinition<_cadence_v1_IngestBatchResultInit, _cadence_v1_IngestBatchResult>
      IngestBatchesRequest: MessageTypeDefinition<_cadence_v1_IngestBatchesRequestInit, _cadence_v1_IngestBatchesRequest>
      IngestBatchesResponse: MessageTypeDefinition<_cadence_v1_IngestBatchesResponseInit, _cadence_v1_IngestBatchesResponse>
      IngestService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_IngestServiceClient> & { service: _cadence_v1_IngestServiceDefinition }
      KeyClass: EnumTypeDefinition
      PredictSessionRequest: MessageTypeDefinition<_cadence_v1_PredictSessionRequestInit, _cadence_v1_PredictSessionRequest>
      PredictSessionResponse: MessageTypeDefinition<_cadence_v1_PredictSessionResponseInit, _cadence_v1_PredictSessionResponse>
      PredictSessionsRequest: MessageTypeDefinition<_cadence_v1_PredictSessionsRequestInit, _cadence_v1_PredictSessionsRequest>
      PredictSessionsResponse: MessageTypeDefinition<_cadence_v1_PredictSessionsResponseInit, _cadence_v1_PredictSessionsResponse>
      RequestGeo: MessageTypeDefinition<_cadence_v1_RequestGeoInit, _cadence_v1_RequestGeo>
      RiskAssessment: MessageTypeDefinition<_cadence_v1_RiskAssessmentInit, _cadence_v1_RiskAssessment>
      RiskService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_RiskServiceClient> & { service: _cadence_v1_RiskServiceDefinition }
      ScoreSessionRequest: MessageTypeDefinition<_cadence_v1_ScoreSessionRequestInit, _cadence_v1_ScoreSessionRequest>
      ScoreSessionResponse: MessageTypeDefinition<_cadence_v1_ScoreSessionResponseInit, _cadence_v1_ScoreSessionResponse>
      Screen: MessageTypeDefinition<_cadence_v1_ScreenInit, _cadence_v1_Screen>
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

