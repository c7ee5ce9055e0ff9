// Original file: proto/cadence/v1/identity.proto


export interface RegisterResponseInit {
  'userId'?: (string);
}

export interface RegisterResponse {
  'userId': (string);
}
