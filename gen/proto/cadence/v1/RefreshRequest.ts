// Original file: proto/cadence/v1/identity.proto


export interface RefreshRequestInit {
  'refreshToken'?: (string);
  'deviceId'?: (string);
}

export interface RefreshRequest {
  'refreshToken': (string);
  'deviceId': (string);
}
