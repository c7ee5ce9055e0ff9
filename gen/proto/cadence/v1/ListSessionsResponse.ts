// Original file: proto/cadence/v1/admin.proto

import type { SessionSummaryInit as _cadence_v1_SessionSummaryInit, SessionSummary as _cadence_v1_SessionSummary } from '../../cadence/v1/SessionSummary';

export interface ListSessionsResponseInit {
  'sessions'?: (_cadence_v1_SessionSummaryInit)[];
  'nextPageToken'?: (string);
}

export interface ListSessionsResponse {
  'sessions': (_cadence_v1_SessionSummary)[];
  'nextPageToken': (string);
}
