// Original file: proto/cadence/v1/identity.proto

/**
 * What the client must do next for the session to go on.
 */
export const RequiredAction = {
  REQUIRED_ACTION_UNSPECIFIED: 'REQUIRED_ACTION_UNSPECIFIED',
  REQUIRED_ACTION_NONE: 'REQUIRED_ACTION_NONE',
  REQUIRED_ACTION_VERIFY_MPIN: 'REQUIRED_ACTION_VERIFY_MPIN',
  REQUIRED_ACTION_LOGIN: 'REQUIRED_ACTION_LOGIN',
  REQUIRED_ACTION_CONTACT_SUPPORT: 'REQUIRED_ACTION_CONTACT_SUPPORT',
} as const;

/**
 * What the client must do next for the session to go on.
 */
export type RequiredActionInit =
  | 'REQUIRED_ACTION_UNSPECIFIED'
  | 0
  | 'REQUIRED_ACTION_NONE'
  | 1
  | 'REQUIRED_ACTION_VERIFY_MPIN'
  | 2
  | 'REQUIRED_ACTION_LOGIN'
  | 3
  | 'REQUIRED_ACTION_CONTACT_SUPPORT'
  | 4

/**
 * What the client must do next for the session to go on.
 */
export type RequiredAction = typeof RequiredAction[keyof typeof RequiredAction]
