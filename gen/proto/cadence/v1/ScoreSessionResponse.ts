// Original file: proto/cadence/v1/risk.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { WindowScoreInit as _cadence_v1_WindowScoreInit, WindowScore as _cadence_v1_WindowScore } from '../../cadence/v1/WindowScore';
import type { SessionStandingInit as _cadence_v1_SessionStandingInit, SessionStanding as _cadence_v1_SessionStanding } from '../../cadence/v1/SessionStanding';

export interface ScoreSessionResponseInit {
  'sessionId'?: (string);
  /**
   * Empty for a session that never logged in (scored by the population model only).
   */
  'userId'?: (string);
  /**
   * The session now: the evidence of its re-scored windows accumulated as ingest accumulates it
   * (lowered where a verified MPIN or an analyst's clear lowered it, answered rates adding nothing),
   * judged with its newest judged window; never below `standing` when that sticks (challenge,
   * block, locked), whose reasons it then carries.
   */
  'assessment'?: (_cadence_v1_RiskAssessmentInit | null);
  /**
   * Each scored window, newest first.
   */
  'windows'?: (_cadence_v1_WindowScoreInit)[];
  'judgedWindows'?: (number);
  /**
   * The user's active model version that scored it ("" when the user has none yet).
   */
  'userModelVersion'?: (string);
  /**
   * The highest window risk among the scored windows.
   */
  'peakScore'?: (number | string);
  /**
   * The session's standing, as GetSessionRisk reports it.
   */
  'standing'?: (_cadence_v1_SessionStandingInit | null);
}

export interface ScoreSessionResponse {
  'sessionId': (string);
  /**
   * Empty for a session that never logged in (scored by the population model only).
   */
  'userId': (string);
  /**
   * The session now: the evidence of its re-scored windows accumulated as ingest accumulates it
   * (lowered where a verified MPIN or an analyst's clear lowered it, answered rates adding nothing),
   * judged with its newest judged window; never below `standing` when that sticks (challenge,
   * block, locked), whose reasons it then carries.
   */
  'assessment': (_cadence_v1_RiskAssessment | null);
  /**
   * Each scored window, newest first.
   */
  'windows': (_cadence_v1_WindowScore)[];
  'judgedWindows': (number);
  /**
   * The user's active model version that scored it ("" when the user has none yet).
   */
  'userModelVersion': (string);
  /**
   * The highest window risk among the scored windows.
   */
  'peakScore': (number);
  /**
   * The session's standing, as GetSessionRisk reports it.
   */
  'standing': (_cadence_v1_SessionStanding | null);
}
