// Original file: proto/cadence/v1/risk.proto

import type { RiskAssessmentInit as _cadence_v1_RiskAssessmentInit, RiskAssessment as _cadence_v1_RiskAssessment } from '../../cadence/v1/RiskAssessment';
import type { WindowScoreInit as _cadence_v1_WindowScoreInit, WindowScore as _cadence_v1_WindowScore } from '../../cadence/v1/WindowScore';

export interface ScoreSessionResponseInit {
  'sessionId'?: (string);
  /**
   * Empty for a session that never logged in (scored by the population model only).
   */
  'userId'?: (string);
  /**
   * The session now: the mean risk of its newest three judged windows, with the reasons of the riskiest.
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
}

export interface ScoreSessionResponse {
  'sessionId': (string);
  /**
   * Empty for a session that never logged in (scored by the population model only).
   */
  'userId': (string);
  /**
   * The session now: the mean risk of its newest three judged windows, with the reasons of the riskiest.
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
}
