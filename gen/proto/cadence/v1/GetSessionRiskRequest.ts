// Original file: proto/cadence/v1/risk.proto


export interface GetSessionRiskRequestInit {
  'sessionId'?: (string);
}

export interface GetSessionRiskRequest {
  'sessionId': (string);
}
