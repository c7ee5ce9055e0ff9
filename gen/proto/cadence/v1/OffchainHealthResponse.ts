// Original file: proto/cadence/v1/offchain.proto

import type { Long } from '@grpc/proto-loader';

export interface OffchainHealthResponseInit {
  /**
   * "healthy" or "degraded"
   */
  'status'?: (string);
  'modelLoaded'?: (boolean);
  'modelVersion'?: (string);
  'uptimeSeconds'?: (number | string | Long);
  'publicKey'?: (string);
}

export interface OffchainHealthResponse {
  /**
   * "healthy" or "degraded"
   */
  'status': (string);
  'modelLoaded': (boolean);
  'modelVersion': (string);
  'uptimeSeconds': (number);
  'publicKey': (string);
}
