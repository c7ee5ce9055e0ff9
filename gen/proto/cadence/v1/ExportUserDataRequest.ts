// Original file: proto/cadence/v1/admin.proto


export interface ExportUserDataRequestInit {
  'userId'?: (string);
}

export interface ExportUserDataRequest {
  'userId': (string);
}
