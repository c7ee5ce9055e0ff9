// Original file: proto/cadence/v1/risk.proto

/**
 * The level a session has reached (scoring/session-standing.ts). Unlike a batch's decision it
 * sticks: a batch without judgement never lowers it, a challenge holds until the MPIN step-up
 * succeeds, a block holds for the session (an analyst may clear it), and locked holds while the
 * owner's account is locked.
 */
export const StandingLevel = {
  STANDING_LEVEL_UNSPECIFIED: 'STANDING_LEVEL_UNSPECIFIED',
  STANDING_LEVEL_ALLOW: 'STANDING_LEVEL_ALLOW',
  STANDING_LEVEL_MONITOR: 'STANDING_LEVEL_MONITOR',
  STANDING_LEVEL_CHALLENGE: 'STANDING_LEVEL_CHALLENGE',
  STANDING_LEVEL_BLOCK: 'STANDING_LEVEL_BLOCK',
  STANDING_LEVEL_LOCKED: 'STANDING_LEVEL_LOCKED',
} as const;

/**
 * The level a session has reached (scoring/session-standing.ts). Unlike a batch's decision it
 * sticks: a batch without judgement never lowers it, a challenge holds until the MPIN step-up
 * succeeds, a block holds for the session (an analyst may clear it), and locked holds while the
 * owner's account is locked.
 */
export type StandingLevelInit =
  | 'STANDING_LEVEL_UNSPECIFIED'
  | 0
  | 'STANDING_LEVEL_ALLOW'
  | 1
  | 'STANDING_LEVEL_MONITOR'
  | 2
  | 'STANDING_LEVEL_CHALLENGE'
  | 3
  | 'STANDING_LEVEL_BLOCK'
  | 4
  | 'STANDING_LEVEL_LOCKED'
  | 5

/**
 * The level a session has reached (scoring/session-standing.ts). Unlike a batch's decision it
 * sticks: a batch without judgement never lowers it, a challenge holds until the MPIN step-up
 * succeeds, a block holds for the session (an analyst may clear it), and locked holds while the
 * owner's account is locked.
 */
export type StandingLevel = typeof StandingLevel[keyof typeof StandingLevel]
