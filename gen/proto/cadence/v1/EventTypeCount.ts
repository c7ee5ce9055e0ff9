// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface EventTypeCountInit {
  'type'?: (string);
  'count'?: (number | string | Long);
}

export interface EventTypeCount {
  'type': (string);
  'count': (number);
}
