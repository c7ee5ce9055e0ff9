// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface ExportUserDataResponseInit {
  'userId'?: (string);
  /**
   * One JSON document: account (no secrets), sessions, batches, events, scores, security events,
   * enrolment windows and model metadata.
   */
  'document'?: (string);
  'sessions'?: (number | string | Long);
  'events'?: (number | string | Long);
  'windows'?: (number | string | Long);
  'models'?: (number | string | Long);
}

export interface ExportUserDataResponse {
  'userId': (string);
  /**
   * One JSON document: account (no secrets), sessions, batches, events, scores, security events,
   * enrolment windows and model metadata.
   */
  'document': (string);
  'sessions': (number);
  'events': (number);
  'windows': (number);
  'models': (number);
}
