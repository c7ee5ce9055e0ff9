// Original file: proto/cadence/v1/admin.proto


export interface ExportSessionRequestInit {
  'sessionId'?: (string);
}

export interface ExportSessionRequest {
  'sessionId': (string);
}
