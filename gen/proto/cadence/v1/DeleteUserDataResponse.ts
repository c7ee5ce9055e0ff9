// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteUserDataResponseInit {
  'sessions'?: (number | string | Long);
  'batches'?: (number | string | Long);
  'events'?: (number | string | Long);
  'scores'?: (number | string | Long);
  'securityEvents'?: (number | string | Long);
  'windows'?: (number | string | Long);
  'models'?: (number | string | Long);
  'accountDeleted'?: (boolean);
}

export interface DeleteUserDataResponse {
  'sessions': (number);
  'batches': (number);
  'events': (number);
  'scores': (number);
  'securityEvents': (number);
  'windows': (number);
  'models': (number);
  'accountDeleted': (boolean);
}
