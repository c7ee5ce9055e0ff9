// Original file: proto/cadence/v1/admin.proto

import type { SessionSummaryInit as _cadence_v1_SessionSummaryInit, SessionSummary as _cadence_v1_SessionSummary } from '../../cadence/v1/SessionSummary';
import type { EventTypeCountInit as _cadence_v1_EventTypeCountInit, EventTypeCount as _cadence_v1_EventTypeCount } from '../../cadence/v1/EventTypeCount';
import type { ScoreRecordInit as _cadence_v1_ScoreRecordInit, ScoreRecord as _cadence_v1_ScoreRecord } from '../../cadence/v1/ScoreRecord';
import type { SecurityEventRecordInit as _cadence_v1_SecurityEventRecordInit, SecurityEventRecord as _cadence_v1_SecurityEventRecord } from '../../cadence/v1/SecurityEventRecord';
import type { Long } from '@grpc/proto-loader';

export interface GetSessionDetailResponseInit {
  'session'?: (_cadence_v1_SessionSummaryInit | null);
  /**
   * Stored events by type.
   */
  'events'?: (_cadence_v1_EventTypeCountInit)[];
  /**
   * Score history, newest first.
   */
  'scores'?: (_cadence_v1_ScoreRecordInit)[];
  'securityEvents'?: (_cadence_v1_SecurityEventRecordInit)[];
  /**
   * How often each reason appeared in the core's assessments of this session.
   */
  'reasons'?: ({[key: string]: number | string | Long});
}

export interface GetSessionDetailResponse {
  'session': (_cadence_v1_SessionSummary | null);
  /**
   * Stored events by type.
   */
  'events': (_cadence_v1_EventTypeCount)[];
  /**
   * Score history, newest first.
   */
  'scores': (_cadence_v1_ScoreRecord)[];
  'securityEvents': (_cadence_v1_SecurityEventRecord)[];
  /**
   * How often each reason appeared in the core's assessments of this session.
   */
  'reasons': ({[key: string]: number});
}
