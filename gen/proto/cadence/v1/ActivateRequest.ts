// Original file: proto/cadence/v1/models.proto


export interface ActivateRequestInit {
  'id'?: (string);
}

export interface ActivateRequest {
  'id': (string);
}
