// Original file: proto/cadence/v1/identity.proto


export interface VerifyMpinRequestInit {
  'accessToken'?: (string);
  'deviceId'?: (string);
  'mpin'?: (string);
}

export interface VerifyMpinRequest {
  'accessToken': (string);
  'deviceId': (string);
  'mpin': (string);
}
