// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface SecurityEventRecordInit {
  'kind'?: (string);
  'severity'?: (string);
  'score'?: (number | string);
  'modelVersion'?: (string);
  'reasons'?: (string)[];
  'batchId'?: (string);
  'createdAtMs'?: (number | string | Long);
}

export interface SecurityEventRecord {
  'kind': (string);
  'severity': (string);
  'score': (number);
  'modelVersion': (string);
  'reasons': (string)[];
  'batchId': (string);
  'createdAtMs': (number);
}
