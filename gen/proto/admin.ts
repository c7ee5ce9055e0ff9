import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AdminServiceClient as _cadence_v1_AdminServiceClient, AdminServiceDefinition as _cadence_v1_AdminServiceDefinition } from './cadence/v1/AdminService';
import type { ClearSessionStandingRequestInit as _cadence_v1_ClearSessionStandingRequestInit, ClearSessionStandingRequest as _cadence_v1_ClearSessionStandingRequest } from './cadence/v1/ClearSessionStandingRequest';
import type { ClearSessionStandingResponseInit as _cadence_v1_ClearSessionStandingResponseInit, ClearSessionStandingResponse as _cadence_v1_ClearSessionStandingResponse } from './cadence/v1/ClearSessionStandingResponse';
import type { DecisionEventInit as _cadence_v1_DecisionEventInit, DecisionEvent as _cadence_v1_DecisionEvent } from './cadence/v1/DecisionEvent';
import type { DeleteUserDataRequestInit as _cadence_v1_DeleteUserDataRequestInit, DeleteUserDataRequest as _cadence_v1_DeleteUserDataRequest } from './cadence/v1/DeleteUserDataRequest';
import type { DeleteUserDataResponseInit as _cadence_v1_DeleteUserDataResponseInit, DeleteUserDataResponse as _cadence_v1_DeleteUserDataResponse } from './cadence/v1/DeleteUserDataResponse';
import type { EventTypeCountInit as _cadence_v1_EventTypeCountInit, EventTypeCount as _cadence_v1_EventTypeCount } from './cadence/v1/EventTypeCount';
import type { ExportSessionRequestInit as _cadence_v1_ExportSessionRequestInit, ExportSessionRequest as _cadence_v1_ExportSessionRequest } from './cadence/v1/ExportSessionRequest';
import type { ExportSessionResponseInit as _cadence_v1_ExportSessionResponseInit, ExportSessionResponse as _cadence_v1_ExportSessionResponse } from './cadence/v1/ExportSessionResponse';
import type { ExportUserDataRequestInit as _cadence_v1_ExportUserDataRequestInit, ExportUserDataRequest as _cadence_v1_ExportUserDataRequest } from './cadence/v1/ExportUserDataRequest';
import type { ExportUserDataResponseInit as _cadence_v1_ExportUserDataResponseInit, ExportUserDataResponse as _cadence_v1_ExportUserDataResponse } from './cadence/v1/ExportUserDataResponse';
import type { GetSessionDetailRequestInit as _cadence_v1_GetSessionDetailRequestInit, GetSessionDetailRequest as _cadence_v1_GetSessionDetailRequest } from './cadence/v1/GetSessionDetailRequest';
import type { GetSessionDetailResponseInit as _cadence_v1_GetSessionDetailResponseInit, GetSessionDetailResponse as _cadence_v1_GetSessionDetailResponse } from './cadence/v1/GetSessionDetailResponse';
import type { GetSessionLabelsRequestInit as _cadence_v1_GetSessionLabelsRequestInit, GetSessionLabelsRequest as _cadence_v1_GetSessionLabelsRequest } from './cadence/v1/GetSessionLabelsRequest';
import type { GetSessionLabelsResponseInit as _cadence_v1_GetSessionLabelsResponseInit, GetSessionLabelsResponse as _cadence_v1_GetSessionLabelsResponse } from './cadence/v1/GetSessionLabelsResponse';
import type { GetSessionRiskRequestInit as _cadence_v1_GetSessionRiskRequestInit, GetSessionRiskRequest as _cadence_v1_GetSessionRiskRequest } from './cadence/v1/GetSessionRiskRequest';
import type { GetSessionRiskResponseInit as _cadence_v1_GetSessionRiskResponseInit, GetSessionRiskResponse as _cadence_v1_GetSessionRiskResponse } from './cadence/v1/GetSessionRiskResponse';
import type { GetStatsRequestInit as _cadence_v1_GetStatsRequestInit, GetStatsRequest as _cadence_v1_GetStatsRequest } from './cadence/v1/GetStatsRequest';
import type { GetStatsResponseInit as _cadence_v1_GetStatsResponseInit, GetStatsResponse as _cadence_v1_GetStatsResponse } from './cadence/v1/GetStatsResponse';
import type { LabelRecordInit as _cadence_v1_LabelRecordInit, LabelRecord as _cadence_v1_LabelRecord } from './cadence/v1/LabelRecord';
import type { LabelSessionRequestInit as _cadence_v1_LabelSessionRequestInit, LabelSessionRequest as _cadence_v1_LabelSessionRequest } from './cadence/v1/LabelSessionRequest';
import type { LabelSessionResponseInit as _cadence_v1_LabelSessionResponseInit, LabelSessionResponse as _cadence_v1_LabelSessionResponse } from './cadence/v1/LabelSessionResponse';
import type { ListSessionsRequestInit as _cadence_v1_ListSessionsRequestInit, ListSessionsRequest as _cadence_v1_ListSessionsRequest } from './cadence/v1/ListSessionsRequest';
import type { ListSessionsResponseInit as _cadence_v1_ListSessionsResponseInit, ListSessionsResponse as _cadence_v1_ListSessionsResponse } from './cadence/v1/ListSessionsResponse';
import type { PredictSessionRequestInit as _cadence_v1_PredictSessionRequestInit, PredictSessionRequest as _cadence_v1_PredictSessionRequest } from './cadence/v1/PredictSessionRequest';
import type { PredictSessionResponseInit as _cadence_v1_PredictSessionResponseInit, PredictSessionResponse as _cadence_v1_PredictSessionResponse } from './cadence/v1/PredictSessionResponse';
import type { PredictSessionsRequestInit as _cadence_v1_PredictSessionsRequestInit, PredictSessionsRequest as _cadence_v1_PredictSessionsRequest } from './cadence/v1/PredictSessionsRequest';
import type { PredictSessionsResponseInit as _cadence_v1_PredictSessionsResponseInit, PredictSessionsResponse as _cadence_v1_PredictSessionsResponse } from './cadence/v1/PredictSessionsResponse';
import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from './cadence/v1/RiskAssessment';
import type { RiskServiceClient as _cadence_v1_RiskServiceClient, RiskServiceDefinition as _cadence_v1_RiskServiceDefinition } from './cadence/v1/RiskService';
import type { ScoreRecordInit as _cadence_v1_ScoreRecordInit, ScoreRecord as _cadence_v1_ScoreRecord } from './cadence/v1/ScoreRecord';
import type { ScoreSessionRequestInit as _cadence_v1_ScoreSessionRequestInit, ScoreSessionRequest as _cadence_v1_ScoreSessionRequest } from './cadence/v1/ScoreSessionRequest';
import type { ScoreSessionResponseInit as _cadence_v1_ScoreSessionResponseInit, ScoreSessionResponse as _cadence_v1_ScoreSessionResponse } from './cadence/v1/ScoreSessionResponse';
import type { SecurityEventRecordInit as _cadence_v1_SecurityEventRecordInit, SecurityEventRecord as _cadence_v1_SecurityEventRecord } from './cadence/v1/SecurityEventRecord';
import type { SessionFeaturesInit as _cadence_v1_SessionFeaturesInit, SessionFeatures as _cadence_v1_SessionFeatures } from './cadence/v1/SessionFeatures';
import type { SessionPredictionInit as _cadence_v1_SessionPredictionInit, SessionPrediction as _cadence_v1_SessionPrediction } from './cadence/v1/SessionPrediction';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from './cadence/v1/SessionStanding';
import type { SessionSummaryInit as _cadence_v1_SessionSummaryInit, SessionSummary as _cadence_v1_SessionSummary } from './cadence/v1/SessionSummary';
import type { StandingChangeInit as _cadence_v1_StandingChangeInit, StandingChange as _cadence_v1_StandingChange } from './cadence/v1/StandingChange';
import type { StreamDecisionsRequestInit as _cadence_v1_StreamDecisionsRequestInit, StreamDecisionsRequest as _cadence_v1_StreamDecisionsRequest } from './cadence/v1/StreamDecisionsRequest';
import type { UnlockAccountRequestInit as _cadence_v1_UnlockAccountRequestInit, UnlockAccountRequest as _cadence_v1_UnlockAccountRequest } from './cadence/v1/UnlockAccountRequest';
import type { UnlockAccountResponseInit as _cadence_v1_UnlockAccountResponseInit, UnlockAccountResponse as _cadence_v1_UnlockAccountResponse } from './cadence/v1/UnlockAccountResponse';
import type { WatchStandingRequestInit as _cadence_v1_WatchStandingRequestInit, WatchStandingRequest as _cadence_v1_WatchStandingRequest } from './cadence/v1/WatchStandingRequest';
import type { WatchStandingResponseInit as _cadence_v1_WatchStandingResponseInit, WatchStandingResponse as _cadence_v1_WatchStandingResponse } from './cadence/v1/WatchStandingResponse';
import type { WindowScoreInit as _cadence_v1_WindowScoreInit, WindowScore as _cadence_v1_WindowScore } from './cadence/v1/WindowScore';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cadence: {
    v1: {
      AdminService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_AdminServiceClient> & { service: _cadence_v1_AdminServiceDefinition }
      ClearSessionStandingRequest: MessageTypeDefinition<_cadence_v1_ClearSessionStandingRequestInit, _cadence_v1_ClearSessionStandingRequest>
      ClearSessionStandingResponse: MessageTypeDefinition<_cadence_v1_ClearSessionStandingResponseInit, _cadence_v1_ClearSessionStandingResponse>
      Decision: EnumTypeDefinition
      DecisionEvent: MessageTypeDefinition<_cadence_v1_DecisionEventInit, _cadence_v1_DecisionEvent>
      DeleteUserDataRequest: MessageTypeDefinition<_cadence_v1_DeleteUserDataRequestInit, _cadence_v1_DeleteUserDataRequest>
      DeleteUserDataResponse: MessageTypeDefinition<_cadence_v1_DeleteUserDataResponseInit, _cadence_v1_DeleteUserDataResponse>
      EventTypeCount: MessageTypeDefinition<_cadence_v1_EventTypeCountInit, _cadence_v1_EventTypeCount>
      ExportSessionRequest: MessageTypeDefinition<_cadence_v1_ExportSessionRequestInit, _cadence_v1_ExportSessionRequest>
      ExportSessionResponse: MessageTypeDefinition<_cadence_v1_ExportSessionResponseInit, _cadence_v1_ExportSessionResponse>
      ExportUserDataRequest: MessageTypeDefinition<_cadence_v1_ExportUserDataRequestInit, _cadence_v1_ExportUserDataRequest>
      ExportUserDataResponse: MessageTypeDefinition<_cadence_v1_ExportUserDataResponseInit, _cadence_v1_ExportUserDataResponse>
      GetSessionDetailRequest: MessageTypeDefinition<_cadence_v1_GetSessionDetailRequestInit, _cadence_v1_GetSessionDetailRequest>
      GetSessionDetailResponse: MessageTypeDefinition<_cadence_v1_GetSessionDetailResponseInit, _cadence_v1_GetSessionDetailResponse>
      GetSessionLabelsRequest: MessageTypeDefinition<_cadence_v1_GetSessionLabelsRequestInit, _cadence_v1_GetSessionLabelsRequest>
      GetSessionLabelsResponse: MessageTypeDefinition<_cadence_v1_GetSessionLabelsResponseInit, _cadence_v1_GetSessionLabelsResponse>
      GetSessionRiskRequest: MessageTypeDefinition<_cadence_v1_GetSessionRiskRequestInit, _cadence_v1_GetSessionRiskRequest>
      GetSessionRiskResponse: MessageTypeDefinition<_cadence_v1_GetSessionRiskResponseInit, _cadence_v1_GetSessionRiskResponse>
      GetStatsRequest: MessageTypeDefinition<_cadence_v1_GetStatsRequestInit, _cadence_v1_GetStatsRequest>
      GetStatsResponse: MessageTypeDefinition<_cadence_v1_GetStatsResponseInit, _cadence_v1_GetStatsResponse>
      LabelRecord: MessageTypeDefinition<_cadence_v1_LabelRecordInit, _cadence_v1_LabelRecord>
      LabelSessionRequest: MessageTypeDefinition<_cadence_v1_LabelSessionRequestInit, _cadence_v1_LabelSessionRequest>
      LabelSessionResponse: MessageTypeDefinition<_cadence_v1_LabelSessionResponseInit, _cadence_v1_LabelSessionResponse>
      ListSessionsRequest: MessageTypeDefinition<_cadence_v1_ListSessionsRequestInit, _cadence_v1_ListSessionsRequest>
      ListSessionsResponse: MessageTypeDefinition<_cadence_v1_ListSessionsResponseInit, _cadence_v1_ListSessionsResponse>
      PredictSessionRequest: MessageTypeDefinition<_cadence_v1_PredictSessionRequestInit, _cadence_v1_PredictSessionRequest>
      PredictSessionResponse: MessageTypeDefinition<_cadence_v1_PredictSessionResponseInit, _cadence_v1_PredictSessionResponse>
      PredictSessionsRequest: MessageTypeDefinition<_cadence_v1_PredictSessionsRequestInit, _cadence_v1_PredictSessionsRequest>
      PredictSessionsResponse: MessageTypeDefinition<_cadence_v1_PredictSessionsResponseInit, _cadence_v1_PredictSessionsResponse>
      RiskAssessment: MessageTypeDefinition<_cadence_v1_RiskAssessmentInit, _cadence_v1_RiskAssessment>
      RiskService: SubtypeConstructor<typeof grpc.Client, _cadence_v1_RiskServiceClient> & { service: _cadence_v1_RiskServiceDefinition }
      ScoreRecord: MessageTypeDefinition<_cadence_v1_ScoreRecordInit, _cadence_v1_ScoreRecord>
      ScoreSessionRequest: MessageTypeDefinition<_cadence_v1_ScoreSessionRequestInit, _cadence_v1_ScoreSessionRequest>
      ScoreSessionResponse: MessageTypeDefinition<_cadence_v1_ScoreSessionResponseInit, _cadence_v1_ScoreSessionResponse>
      SecurityEventRecord: MessageTypeDefinition<_cadence_v1_SecurityEventRecordInit, _cadence_v1_SecurityEventRecord>
      SessionFeatures: MessageTypeDefinition<_cadence_v1_SessionFeaturesInit, _cadence_v1_SessionFeatures>
      SessionLabel: EnumTypeDefinition
      SessionPrediction: MessageTypeDefinition<_cadence_v1_SessionPredictionInit, _cadence_v1_SessionPrediction>
      SessionStanding: MessageTypeDefinition<_cadence_v1_SessionStandingInit, _cadence_v1_SessionStanding>
      SessionSummary: MessageTypeDefinition<_cadence_v1_SessionSummaryInit, _cadence_v1_SessionSummary>
      StandingChange: MessageTypeDefinition<_cadence_v1_StandingChangeInit, _cadence_v1_StandingChange>
      StandingLevel: EnumTypeDefinition
      StreamDecisionsRequest: MessageTypeDefinition<_cadence_v1_StreamDecisionsRequestInit, _cadence_v1_StreamDecisionsRequest>
      UnlockAccountRequest: MessageTypeDefinition<_cadence_v1_UnlockAccountRequestInit, _cadence_v1_UnlockAccountRequest>
      UnlockAccountResponse: MessageTypeDefinition<_cadence_v1_UnlockAccountResponseInit, _cadence_v1_UnlockAccountResponse>
      WatchStandingRequest: MessageTypeDefinition<_cadence_v1_WatchStandingRequestInit, _cadence_v1_WatchStandingRequest>
      WatchStandingResponse: MessageTypeDefinition<_cadence_v1_WatchStandingResponseInit, _cadence_v1_WatchStandingResponse>
      WindowScore: MessageTypeDefinition<_cadence_v1_WindowScoreInit, _cadence_v1_WindowScore>
    }
  }
}

