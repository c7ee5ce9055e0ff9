// Original file: proto/cadence/v1/identity.proto


export interface GetSessionStatusRequestInit {
  'accessToken'?: (string);
  'deviceId'?: (string);
}

export interface GetSessionStatusRequest {
  'accessToken': (string);
  'deviceId': (string);
}
