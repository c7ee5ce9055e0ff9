// Original file: proto/cadence/v1/identity.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetJwksRequestInit as _cadence_v1_GetJwksRequestInit, GetJwksRequest as _cadence_v1_GetJwksRequest } from '../../cadence/v1/GetJwksRequest';
import type { GetJwksResponseInit as _cadence_v1_GetJwksResponseInit, GetJwksResponse as _cadence_v1_GetJwksResponse } from '../../cadence/v1/GetJwksResponse';
import type { GetSessionStatusRequestInit as _cadence_v1_GetSessionStatusRequestInit, GetSessionStatusRequest as _cadence_v1_GetSessionStatusRequest } from '../../cadence/v1/GetSessionStatusRequest';
import type { GetSessionStatusResponseInit as _cadence_v1_GetSessionStatusResponseInit, GetSessionStatusResponse as _cadence_v1_GetSessionStatusResponse } from '../../cadence/v1/GetSessionStatusResponse';
import type { LoginRequestInit as _cadence_v1_LoginRequestInit, LoginRequest as _cadence_v1_LoginRequest } from '../../cadence/v1/LoginRequest';
import type { LoginResponseInit as _cadence_v1_LoginResponseInit, LoginResponse as _cadence_v1_LoginResponse } from '../../cadence/v1/LoginResponse';
import type { LogoutRequestInit as _cadence_v1_LogoutRequestInit, LogoutRequest as _cadence_v1_LogoutRequest } from '../../cadence/v1/LogoutRequest';
import type { LogoutResponseInit as _cadence_v1_LogoutResponseInit, LogoutResponse as _cadence_v1_LogoutResponse } from '../../cadence/v1/LogoutResponse';
import type { RefreshRequestInit as _cadence_v1_RefreshRequestInit, RefreshRequest as _cadence_v1_RefreshRequest } from '../../cadence/v1/RefreshRequest';
import type { RefreshResponseInit as _cadence_v1_RefreshResponseInit, RefreshResponse as _cadence_v1_RefreshResponse } from '../../cadence/v1/RefreshResponse';
import type { RegisterRequestInit as _cadence_v1_RegisterRequestInit, RegisterRequest as _cadence_v1_RegisterRequest } from '../../cadence/v1/RegisterRequest';
import type { RegisterResponseInit as _cadence_v1_RegisterResponseInit, RegisterResponse as _cadence_v1_RegisterResponse } from '../../cadence/v1/RegisterResponse';
import type { RevokeRequestInit as _cadence_v1_RevokeRequestInit, RevokeRequest as _cadence_v1_RevokeRequest } from '../../cadence/v1/RevokeRequest';
import type { RevokeResponseInit as _cadence_v1_RevokeResponseInit, RevokeResponse as _cadence_v1_RevokeResponse } from '../../cadence/v1/RevokeResponse';
import type { VerifyMpinRequestInit as _cadence_v1_VerifyMpinRequestInit, VerifyMpinRequest as _cadence_v1_VerifyMpinRequest } from '../../cadence/v1/VerifyMpinRequest';
import type { VerifyMpinResponseInit as _cadence_v1_VerifyMpinResponseInit, VerifyMpinResponse as _cadence_v1_VerifyMpinResponse } from '../../cadence/v1/VerifyMpinResponse';

export interface IdentityServiceClient extends grpc.Client {
  GetJwks(argument: _cadence_v1_GetJwksRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  GetJwks(argument: _cadence_v1_GetJwksRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  GetJwks(argument: _cadence_v1_GetJwksRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  GetJwks(argument: _cadence_v1_GetJwksRequestInit, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  getJwks(argument: _cadence_v1_GetJwksRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  getJwks(argument: _cadence_v1_GetJwksRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  getJwks(argument: _cadence_v1_GetJwksRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  getJwks(argument: _cadence_v1_GetJwksRequestInit, callback: grpc.requestCallback<_cadence_v1_GetJwksResponse>): grpc.ClientUnaryCall;
  
  GetSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  GetSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  GetSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  GetSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  getSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  getSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  getSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  getSessionStatus(argument: _cadence_v1_GetSessionStatusRequestInit, callback: grpc.requestCallback<_cadence_v1_GetSessionStatusResponse>): grpc.ClientUnaryCall;
  
  /**
   * UNAUTHENTICATED for a wrong email or password; RESOURCE_EXHAUSTED after repeated failures
   * (the message says when to retry); FAILED_PRECONDITION if the account is locked.
   */
  Login(argument: _cadence_v1_LoginRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  Login(argument: _cadence_v1_LoginRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  Login(argument: _cadence_v1_LoginRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  Login(argument: _cadence_v1_LoginRequestInit, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  /**
   * UNAUTHENTICATED for a wrong email or password; RESOURCE_EXHAUSTED after repeated failures
   * (the message says when to retry); FAILED_PRECONDITION if the account is locked.
   */
  login(argument: _cadence_v1_LoginRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  login(argument: _cadence_v1_LoginRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  login(argument: _cadence_v1_LoginRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  login(argument: _cadence_v1_LoginRequestInit, callback: grpc.requestCallback<_cadence_v1_LoginResponse>): grpc.ClientUnaryCall;
  
  /**
   * Ends the session and revokes its refresh tokens.
   */
  Logout(argument: _cadence_v1_LogoutRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  Logout(argument: _cadence_v1_LogoutRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  Logout(argument: _cadence_v1_LogoutRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  Logout(argument: _cadence_v1_LogoutRequestInit, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  /**
   * Ends the session and revokes its refresh tokens.
   */
  logout(argument: _cadence_v1_LogoutRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  logout(argument: _cadence_v1_LogoutRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  logout(argument: _cadence_v1_LogoutRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  logout(argument: _cadence_v1_LogoutRequestInit, callback: grpc.requestCallback<_cadence_v1_LogoutResponse>): grpc.ClientUnaryCall;
  
  /**
   * Rotates the refresh token. Reusing a rotated token revokes the whole family (UNAUTHENTICATED).
   */
  Refresh(argument: _cadence_v1_RefreshRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  Refresh(argument: _cadence_v1_RefreshRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  Refresh(argument: _cadence_v1_RefreshRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  Refresh(argument: _cadence_v1_RefreshRequestInit, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  /**
   * Rotates the refresh token. Reusing a rotated token revokes the whole family (UNAUTHENTICATED).
   */
  refresh(argument: _cadence_v1_RefreshRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  refresh(argument: _cadence_v1_RefreshRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  refresh(argument: _cadence_v1_RefreshRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  refresh(argument: _cadence_v1_RefreshRequestInit, callback: grpc.requestCallback<_cadence_v1_RefreshResponse>): grpc.ClientUnaryCall;
  
  /**
   * ALREADY_EXISTS if the email is taken; INVALID_ARGUMENT names the field at fault.
   */
  Register(argument: _cadence_v1_RegisterRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  Register(argument: _cadence_v1_RegisterRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  Register(argument: _cadence_v1_RegisterRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  Register(argument: _cadence_v1_RegisterRequestInit, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  /**
   * ALREADY_EXISTS if the email is taken; INVALID_ARGUMENT names the field at fault.
   */
  register(argument: _cadence_v1_RegisterRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  register(argument: _cadence_v1_RegisterRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  register(argument: _cadence_v1_RegisterRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  register(argument: _cadence_v1_RegisterRequestInit, callback: grpc.requestCallback<_cadence_v1_RegisterResponse>): grpc.ClientUnaryCall;
  
  Revoke(argument: _cadence_v1_RevokeRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  Revoke(argument: _cadence_v1_RevokeRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  Revoke(argument: _cadence_v1_RevokeRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  Revoke(argument: _cadence_v1_RevokeRequestInit, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  revoke(argument: _cadence_v1_RevokeRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  revoke(argument: _cadence_v1_RevokeRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  revoke(argument: _cadence_v1_RevokeRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  revoke(argument: _cadence_v1_RevokeRequestInit, callback: grpc.requestCallback<_cadence_v1_RevokeResponse>): grpc.ClientUnaryCall;
  
  /**
   * Step-up: clears a challenge. Three failures in a row lock the account.
   */
  VerifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  VerifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  VerifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  VerifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  /**
   * Step-up: clears a challenge. Three failures in a row lock the account.
   */
  verifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  verifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, metadata: grpc.Metadata, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  verifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, options: grpc.CallOptions, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  verifyMpin(argument: _cadence_v1_VerifyMpinRequestInit, callback: grpc.requestCallback<_cadence_v1_VerifyMpinResponse>): grpc.ClientUnaryCall;
  
}

export interface IdentityServiceHandlers extends grpc.UntypedServiceImplementation {
  GetJwks: grpc.handleUnaryCall<_cadence_v1_GetJwksRequest, _cadence_v1_GetJwksResponseInit>;
  
  GetSessionStatus: grpc.handleUnaryCall<_cadence_v1_GetSessionStatusRequest, _cadence_v1_GetSessionStatusResponseInit>;
  
  /**
   * UNAUTHENTICATED for a wrong email or password; RESOURCE_EXHAUSTED after repeated failures
   * (the message says when to retry); FAILED_PRECONDITION if the account is locked.
   */
  Login: grpc.handleUnaryCall<_cadence_v1_LoginRequest, _cadence_v1_LoginResponseInit>;
  
  /**
   * Ends the session and revokes its refresh tokens.
   */
  Logout: grpc.handleUnaryCall<_cadence_v1_LogoutRequest, _cadence_v1_LogoutResponseInit>;
  
  /**
   * Rotates the refresh token. Reusing a rotated token revokes the whole family (UNAUTHENTICATED).
   */
  Refresh: grpc.handleUnaryCall<_cadence_v1_RefreshRequest, _cadence_v1_RefreshResponseInit>;
  
  /**
   * ALREADY_EXISTS if the email is taken; INVALID_ARGUMENT names the field at fault.
   */
  Register: grpc.handleUnaryCall<_cadence_v1_RegisterRequest, _cadence_v1_RegisterResponseInit>;
  
  Revoke: grpc.handleUnaryCall<_cadence_v1_RevokeRequest, _cadence_v1_RevokeResponseInit>;
  
  /**
   * Step-up: clears a challenge. Three failures in a row lock the account.
   */
  VerifyMpin: grpc.handleUnaryCall<_cadence_v1_VerifyMpinRequest, _cadence_v1_VerifyMpinResponseInit>;
  
}

export interface IdentityServiceDefinition extends grpc.ServiceDefinition {
  GetJwks: MethodDefinition<_cadence_v1_GetJwksRequestInit, _cadence_v1_GetJwksResponseInit, _cadence_v1_GetJwksRequest, _cadence_v1_GetJwksResponse>
  GetSessionStatus: MethodDefinition<_cadence_v1_GetSessionStatusRequestInit, _cadence_v1_GetSessionStatusResponseInit, _cadence_v1_GetSessionStatusRequest, _cadence_v1_GetSessionStatusResponse>
  Login: MethodDefinition<_cadence_v1_LoginRequestInit, _cadence_v1_LoginResponseInit, _cadence_v1_LoginRequest, _cadence_v1_LoginResponse>
  Logout: MethodDefinition<_cadence_v1_LogoutRequestInit, _cadence_v1_LogoutResponseInit, _cadence_v1_LogoutRequest, _cadence_v1_LogoutResponse>
  Refresh: MethodDefinition<_cadence_v1_RefreshRequestInit, _cadence_v1_RefreshResponseInit, _cadence_v1_RefreshRequest, _cadence_v1_RefreshResponse>
  Register: MethodDefinition<_cadence_v1_RegisterRequestInit, _cadence_v1_RegisterResponseInit, _cadence_v1_RegisterRequest, _cadence_v1_RegisterResponse>
  Revoke: MethodDefinition<_cadence_v1_RevokeRequestInit, _cadence_v1_RevokeResponseInit, _cadence_v1_RevokeRequest, _cadence_v1_RevokeResponse>
  VerifyMpin: MethodDefinition<_cadence_v1_VerifyMpinRequestInit, _cadence_v1_VerifyMpinResponseInit, _cadence_v1_VerifyMpinRequest, _cadence_v1_VerifyMpinResponse>
}
