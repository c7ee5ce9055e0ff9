// Original file: proto/cadence/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

export interface ExportSessionResponseInit {
  'sessionId'?: (string);
  /**
   * One JSON document, read in one transaction: the session row (with its standing and evidence),
   * its batches, events (timings and classes only, as stored), scores (each batch's decisions),
   * security events and analysts' labels.
   */
  'document'?: (string);
  'batches'?: (number | string | Long);
  'events'?: (number | string | Long);
  'scores'?: (number | string | Long);
}

export interface ExportSessionResponse {
  'sessionId': (string);
  /**
   * One JSON document, read in one transaction: the session row (with its standing and evidence),
   * its batches, events (timings and classes only, as stored), scores (each batch's decisions),
   * security events and analysts' labels.
   */
  'document': (string);
  'batches': (number);
  'events': (number);
  'scores': (number);
}
