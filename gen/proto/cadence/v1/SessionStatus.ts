// Original file: proto/cadence/v1/identity.proto

/**
 * Where a session stands under the risk policy (seed 002).
 */
export const SessionStatus = {
  SESSION_STATUS_UNSPECIFIED: 'SESSION_STATUS_UNSPECIFIED',
  SESSION_STATUS_ACTIVE: 'SESSION_STATUS_ACTIVE',
  /**
   * The risk reached the challenge threshold: only VerifyMpin (and GetSessionStatus) until it succeeds.
   */
  SESSION_STATUS_CHALLENGED: 'SESSION_STATUS_CHALLENGED',
  /**
   * The risk reached the block threshold: the session's tokens are revoked; log in again.
   */
  SESSION_STATUS_BLOCKED: 'SESSION_STATUS_BLOCKED',
  /**
   * Idle for longer than the inactivity timeout.
   */
  SESSION_STATUS_EXPIRED: 'SESSION_STATUS_EXPIRED',
  /**
   * Ended by Logout or Revoke.
   */
  SESSION_STATUS_ENDED: 'SESSION_STATUS_ENDED',
  /**
   * The account was locked (three failed MPINs); nothing but an administrator unlocks it.
   */
  SESSION_STATUS_LOCKED: 'SESSION_STATUS_LOCKED',
} as const;

/**
 * Where a session stands under the risk policy (seed 002).
 */
export type SessionStatusInit =
  | 'SESSION_STATUS_UNSPECIFIED'
  | 0
  | 'SESSION_STATUS_ACTIVE'
  | 1
  /**
   * The risk reached the challenge threshold: only VerifyMpin (and GetSessionStatus) until it succeeds.
   */
  | 'SESSION_STATUS_CHALLENGED'
  | 2
  /**
   * The risk reached the block threshold: the session's tokens are revoked; log in again.
   */
  | 'SESSION_STATUS_BLOCKED'
  | 3
  /**
   * Idle for longer than the inactivity timeout.
   */
  | 'SESSION_STATUS_EXPIRED'
  | 4
  /**
   * Ended by Logout or Revoke.
   */
  | 'SESSION_STATUS_ENDED'
  | 5
  /**
   * The account was locked (three failed MPINs); nothing but an administrator unlocks it.
   */
  | 'SESSION_STATUS_LOCKED'
  | 6

/**
 * Where a session stands under the risk policy (seed 002).
 */
export type SessionStatus = typeof SessionStatus[keyof typeof SessionStatus]
