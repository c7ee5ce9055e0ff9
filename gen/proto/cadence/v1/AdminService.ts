// Original file: proto/cadence/v1/admin.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ClearSessionStandingRequestInit as _cadence_v1_ClearSessionStandingRequestInit, ClearSessionStandingRequest as _cadence_v1_ClearSessionStandingRequest } from '../../cadence/v1/ClearSessionStandingRequest';
import type { ClearSessionStandingResponseInit as _cadence_v1_ClearSessionStandingResponseInit, ClearSessionStandingResponse as _cadence_v1_ClearSessionStandingResponse } from '../../cadence/v1/ClearSessionStandingResponse';
import type { DeleteUserDataRequestInit as _cadence_v1_DeleteUserDataRequestInit, DeleteUserDataRequest as _cadence_v1_DeleteUserDataRequest } from '../../cadence/v1/DeleteUserDataRequest';
import type { DeleteUserDataResponseInit as _cadence_v1_DeleteUserDataResponseInit, DeleteUserDataResponse as _cadence_v1_DeleteUserDataResponse } from '../../cadence/v1/DeleteUserDataResponse';
import type { ExportSessionRequestInit as _cadence_v1_ExportSessionRequestInit, ExportSessionRequest as _cadence_v1_ExportSessionRequest } from '../../cadence/v1/ExportSessionRequest';
import type { ExportSessionResponseInit as _cadence_v1_ExportSessionResponseInit, ExportSessionResponse as _cadence_v1_ExportSessionResponse } from '../../cadence/v1/ExportSessionResponse';
import type { ExportUserDataRequestInit as _cadence_v1_ExportUserDataRequestInit, ExportUserDataRequest as _cadence_v1_ExportUserDataRequest } from '../../cadence/v1/ExportUserDataRequest';
import type { ExportUserDataResponseInit as _cadence_v1_ExportUserDataResponseInit, ExportUserDataResponse as _cadence_v1_ExportUserDataResponse } from '../../cadence/v1/ExportUserDataResponse';
import type { GetSessionDetailRequestInit as _cadence_v1_GetSessionDetailRequestInit, GetSessionDetailRequest as _cadence_v1_GetSessionDetailRequest } from '../../cadence/v1/GetSessionDetailRequest';
import type { GetSessionDetailResponseInit as _cadence_v1_GetSessionDetailResponseInit, GetSessionDetailResponse as _cadence_v1_GetSessionDetailResponse } from '../../cadence/v1/GetSessionDetailResponse';
import type { GetSessionLabelsRequestInit as _cadence_v1_GetSessionLabelsRequestInit, GetSessionLabelsRequest as _cadence_v1_GetSessionLabelsRequest } from '../../cadence/v1/GetSessionLabelsRequest';
import type { GetSessionLabelsResponseInit as _cadence_v1_GetSessionLabelsResponseInit, GetSessionLabelsResponse as _cadence_v1_GetSessionLabelsResponse } from '../../cadence/v1/GetSessionLabelsResponse';
import type { GetStatsRequestInit as _cadence_v1_GetStatsRequestInit, GetStatsRequest as _cadence_v1_GetStatsRequest } from '../../cadence/v1/GetStatsRequest';
import type { GetStatsResponseInit as _cadence_v1_GetStatsResponseInit, GetStatsResponse as _cadence_v1_GetStatsResponse } from '../../cadence/v1/GetStatsResponse';
import type { LabelSessionRequestInit as _cadence_v1_LabelSessionRequestInit, LabelSessionRequest as _cadence_v1_LabelSessionRequest } from '../../cadence/v1/LabelSessionRequest';
import type { LabelSessionResponseInit as _cadence_v1_LabelSessionResponseInit, LabelSessionResponse as _cadence_v1_LabelSessionResponse } from '../../cadence/v1/LabelSessionResponse';
import type { ListSessionsRequestInit as _cadence_v1_ListSessionsRequestInit, ListSessionsRequest as _cadence_v1_ListSessionsRequest } from '../../cadence/v1/ListSessionsRequest';
import type { ListSessionsResponseInit as _cadence_v1_ListSessionsResponseInit, ListSessionsResponse as _cadence_v1_ListSessionsResponse } from '../../cadence/v1/ListSessionsResponse';
import type { UnlockAccountRequestInit as _cadence_v1_UnlockAccountRequestInit, UnlockAccountRequest as _cadence_v1_UnlockAccountRequest } from '../../cadence/v1/UnlockAccountRequest';
import type { UnlockAccountResponseInit as _cadence_v1_UnlockAccountResponseInit, UnlockAccountResponse as _cadence_v1_UnlockAccountResponse } from '../../cadence/v1/UnlockAccountResponse';

export interface AdminServiceClient extends grpc.Client {
  /**
   * Returns a session's standing to allow and restarts its evidence at 0: an analyst's judgement
   * that the challenge or block was wrong; a security event (standing_cleared) records it. An
   * identity session blocked or challenged becomes active again (its revoked refresh tokens stay
   * revoked: the user logs in again). NOT_FOUND for an unknown session.
   */
  ClearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  ClearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  ClearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  ClearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  /**
   * Returns a session's standing to allow and restarts its evidence at 0: an analyst's judgement
   * that the challenge or block was wrong; a security event (standing_cleared) records it. An
   * identity session blocked or challenged becomes active again (its revoked refresh tokens stay
   * revoked: the user logs in again). NOT_FOUND for an unknown session.
   */
  clearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  clearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  clearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  clearSessionStanding(argument: _cadence_v1_ClearSessionStandingRequestInit, callback: grpc.requestCallback<_cadence_v1_ClearSessionStandingResponse>): grpc.ClientUnaryCall;
  
  /**
   * Deletes everything behavioural about one user in one transaction.
   */
  DeleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  DeleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  DeleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  DeleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  /**
   * Deletes everything behavioural about one user in one transaction.
   */
  deleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  deleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  deleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  deleteUserData(argument: _cadence_v1_DeleteUserDataRequestInit, callback: grpc.requestCallback<_cadence_v1_DeleteUserDataResponse>): grpc.ClientUnaryCall;
  
  /**
   * Everything stored about one session, as one JSON document (the dashboard also offers it as CSV).
   * NOT_FOUND for an unknown session.
   */
  ExportSession(argument: _cadence_v1_ExportSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  ExportSession(argument: _cadence_v1_ExportSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  ExportSession(argument: _cadence_v1_ExportSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  ExportSession(argument: _cadence_v1_ExportSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  /**
   * Everything stored about one session, as one JSON document (the dashboard also offers it as CSV).
   * NOT_FOUND for an unknown session.
   */
  exportSession(argument: _cadence_v1_ExportSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  exportSession(argument: _cadence_v1_ExportSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  exportSession(argument: _cadence_v1_ExportSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  exportSession(argument: _cadence_v1_ExportSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_ExportSessionResponse>): grpc.ClientUnaryCall;
  
  /**
   * Everything behavioural about one user, in one response.
   */
  ExportUserData(argument: _cadence_v1_ExportUserDataRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  ExportUserData(argument: _cadence_v1_ExportUserDataRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  ExportUserData(argument: _cadence_v1_ExportUserDataRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  ExportUserData(argument: _cadence_v1_ExportUserDataRequestInit, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  /**
   * Everything behavioural about one user, in one response.
   */
  exportUserData(argument: _cadence_v1_ExportUserDataRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  exportUserData(argument: _cadence_v1_ExportUserDataRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  exportUserData(argument: _cadence_v1_ExportUserDataRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  exportUserData(argument: _cadence_v1_ExportUserDataRequestInit, callback: grpc.requestCallback<_cadence_v1_ExportUserDataResponse>): grpc.ClientUnaryCall;
  
  GetSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  GetSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  GetSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  GetSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  getSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  getSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  getSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  getSessionDetail(argument: _cadence_v1_GetSessionDetailRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionDetailResponse>): grpc.ClientUnaryCall;
  
  GetSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  GetSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  GetSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  GetSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  getSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  getSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  getSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  getSessionLabels(argument: _cadence_v1_GetSessionLabelsRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionLabelsResponse>): grpc.ClientUnaryCall;
  
  GetStats(argument: _cadence_v1_GetStatsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  GetStats(argument: _cadence_v1_GetStatsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  GetStats(argument: _cadence_v1_GetStatsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  GetStats(argument: _cadence_v1_GetStatsRequestInit, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  getStats(argument: _cadence_v1_GetStatsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  getStats(argument: _cadence_v1_GetStatsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  getStats(argument: _cadence_v1_GetStatsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  getStats(argument: _cadence_v1_GetStatsRequestInit, callback: grpc.requestCallback<_cadence_v1_GetStatsResponse>): grpc.ClientUnaryCall;
  
  /**
   * Labels a stored session (NOT_FOUND otherwise); a new label replaces the current one and both stay on record.
   */
  LabelSession(argument: _cadence_v1_LabelSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  LabelSession(argument: _cadence_v1_LabelSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  LabelSession(argument: _cadence_v1_LabelSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  LabelSession(argument: _cadence_v1_LabelSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  /**
   * Labels a stored session (NOT_FOUND otherwise); a new label replaces the current one and both stay on record.
   */
  labelSession(argument: _cadence_v1_LabelSessionRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  labelSession(argument: _cadence_v1_LabelSessionRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  labelSession(argument: _cadence_v1_LabelSessionRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  labelSession(argument: _cadence_v1_LabelSessionRequestInit, callback: grpc.requestCallback<_cadence_v1_LabelSessionResponse>): grpc.ClientUnaryCall;
  
  ListSessions(argument: _cadence_v1_ListSessionsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  ListSessions(argument: _cadence_v1_ListSessionsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  ListSessions(argument: _cadence_v1_ListSessionsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  ListSessions(argument: _cadence_v1_ListSessionsRequestInit, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  listSessions(argument: _cadence_v1_ListSessionsRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  listSessions(argument: _cadence_v1_ListSessionsRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  listSessions(argument: _cadence_v1_ListSessionsRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  listSessions(argument: _cadence_v1_ListSessionsRequestInit, callback: grpc.requestCallback<_cadence_v1_ListSessionsResponse>): grpc.ClientUnaryCall;
  
  /**
   * Unlocks an account locked by failed MPINs (its MPIN failures reset); a security event
   * (account_unlocked, naming the admin key) records it. NOT_FOUND for an unknown user.
   */
  UnlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  UnlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  UnlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  UnlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  /**
   * Unlocks an account locked by failed MPINs (its MPIN failures reset); a security event
   * (account_unlocked, naming the admin key) records it. NOT_FOUND for an unknown user.
   */
  unlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  unlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  unlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  unlockAccount(argument: _cadence_v1_UnlockAccountRequestInit, callback: grpc.requestCallback<_cadence_v1_UnlockAccountResponse>): grpc.ClientUnaryCall;
  
}

export interface AdminServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Returns a session's standing to allow and restarts its evidence at 0: an analyst's judgement
   * that the challenge or block was wrong; a security event (standing_cleared) records it. An
   * identity session blocked or challenged becomes active again (its revoked refresh tokens stay
   * revoked: the user logs in again). NOT_FOUND for an unknown session.
   */
  ClearSessionStanding: grpc.handleUnaryCall<_cadence_v1_ClearSessionStandingRequest, _cadence_v1_ClearSessionStandingResponseInit>;
  
  /**
   * Deletes everything behavioural about one user in one transaction.
   */
  DeleteUserData: grpc.handleUnaryCall<_cadence_v1_DeleteUserDataRequest, _cadence_v1_DeleteUserDataResponseInit>;
  
  /**
   * Everything stored about one session, as one JSON document (the dashboard also offers it as CSV).
   * NOT_FOUND for an unknown session.
   */
  ExportSession: grpc.handleUnaryCall<_cadence_v1_ExportSessionRequest, _cadence_v1_ExportSessionResponseInit>;
  
  /**
   * Everything behavioural about one user, in one response.
   */
  ExportUserData: grpc.handleUnaryCall<_cadence_v1_ExportUserDataRequest, _cadence_v1_ExportUserDataResponseInit>;
  
  GetSessionDetail: grpc.handleUnaryCall<_cadence_v1_GetSessionDetailRequest, _cadence_v1_GetSessionDetailResponseInit>;
  
  GetSessionLabels: grpc.handleUnaryCall<_cadence_v1_GetSessionLabelsRequest, _cadence_v1_GetSessionLabelsResponseInit>;
  
  GetStats: grpc.handleUnaryCall<_cadence_v1_GetStatsRequest, _cadence_v1_GetStatsResponseInit>;
  
  /**
   * Labels a stored session (NOT_FOUND otherwise); a new label replaces the current one and both stay on record.
   */
  LabelSession: grpc.handleUnaryCall<_cadence_v1_LabelSessionRequest, _cadence_v1_LabelSessionResponseInit>;
  
  ListSessions: grpc.handleUnaryCall<_cadence_v1_ListSessionsRequest, _cadence_v1_ListSessionsResponseInit>;
  
  /**
   * Unlocks an account locked by failed MPINs (its MPIN failures reset); a security event
   * (account_unlocked, naming the admin key) records it. NOT_FOUND for an unknown user.
   */
  UnlockAccount: grpc.handleUnaryCall<_cadence_v1_UnlockAccountRequest, _cadence_v1_UnlockAccountResponseInit>;
  
}

export interface AdminServiceDefinition extends grpc.ServiceDefinition {
  ClearSessionStanding: MethodDefinition<_cadence_v1_ClearSessionStandingRequestInit, _cadence_v1_ClearSessionStandingResponseInit, _cadence_v1_ClearSessionStandingRequest, _cadence_v1_ClearSessionStandingResponse>
  DeleteUserData: MethodDefinition<_cadence_v1_DeleteUserDataRequestInit, _cadence_v1_DeleteUserDataResponseInit, _cadence_v1_DeleteUserDataRequest, _cadence_v1_DeleteUserDataResponse>
  ExportSession: MethodDefinition<_cadence_v1_ExportSessionRequestInit, _cadence_v1_ExportSessionResponseInit, _cadence_v1_ExportSessionRequest, _cadence_v1_ExportSessionResponse>
  ExportUserData: MethodDefinition<_cadence_v1_ExportUserDataRequestInit, _cadence_v1_ExportUserDataResponseInit, _cadence_v1_ExportUserDataRequest, _cadence_v1_ExportUserDataResponse>
  GetSessionDetail: MethodDefinition<_cadence_v1_GetSessionDetailRequestInit, _cadence_v1_GetSessionDetailResponseInit, _cadence_v1_GetSessionDetailRequest, _cadence_v1_GetSessionDetailResponse>
  GetSessionLabels: MethodDefinition<_cadence_v1_GetSessionLabelsRequestInit, _cadence_v1_GetSessionLabelsResponseInit, _cadence_v1_GetSessionLabelsRequest, _cadence_v1_GetSessionLabelsResponse>
  GetStats: MethodDefinition<_cadence_v1_GetStatsRequestInit, _cadence_v1_GetStatsResponseInit, _cadence_v1_GetStatsRequest, _cadence_v1_GetStatsResponse>
  LabelSession: MethodDefinition<_cadence_v1_LabelSessionRequestInit, _cadence_v1_LabelSessionResponseInit, _cadence_v1_LabelSessionRequest, _cadence_v1_LabelSessionResponse>
  ListSessions: MethodDefinition<_cadence_v1_ListSessionsRequestInit, _cadence_v1_ListSessionsResponseInit, _cadence_v1_ListSessionsRequest, _cadence_v1_ListSessionsResponse>
  UnlockAccount: MethodDefinition<_cadence_v1_UnlockAccountRequestInit, _cadence_v1_UnlockAccountResponseInit, _cadence_v1_UnlockAccountRequest, _cadence_v1_UnlockAccountResponse>
}
