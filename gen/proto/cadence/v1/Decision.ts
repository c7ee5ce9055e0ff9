// Original file: proto/cadence/v1/risk.proto

export const Decision = {
  DECISION_UNSPECIFIED: 'DECISION_UNSPECIFIED',
  DECISION_ALLOW: 'DECISION_ALLOW',
  DECISION_MONITOR: 'DECISION_MONITOR',
  DECISION_CHALLENGE: 'DECISION_CHALLENGE',
  DECISION_BLOCK: 'DECISION_BLOCK',
} as const;

export type DecisionInit =
  | 'DECISION_UNSPECIFIED'
  | 0
  | 'DECISION_ALLOW'
  | 1
  | 'DECISION_MONITOR'
  | 2
  | 'DECISION_CHALLENGE'
  | 3
  | 'DECISION_BLOCK'
  | 4

export type Decision = typeof Decision[keyof typeof Decision]
