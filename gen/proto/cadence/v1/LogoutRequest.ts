// Original file: proto/cadence/v1/identity.proto


export interface LogoutRequestInit {
  'accessToken'?: (string);
  'deviceId'?: (string);
}

export interface LogoutRequest {
  'accessToken': (string);
  'deviceId': (string);
}
