// Original file: proto/cadence/v1/identity.proto


export interface LoginRequestInit {
  'email'?: (string);
  'password'?: (string);
  'deviceId'?: (string);
}

export interface LoginRequest {
  'email': (string);
  'password': (string);
  'deviceId': (string);
}
