// Original file: proto/cadence/v1/admin.proto


export interface GetSessionLabelsRequestInit {
  'sessionId'?: (string);
}

export interface GetSessionLabelsRequest {
  'sessionId': (string);
}
