// Original file: proto/cadence/v1/identity.proto

/**
 * Severity of the latest decision, as seed 000 grades anomalies.
 */
export const Severity = {
  SEVERITY_UNSPECIFIED: 'SEVERITY_UNSPECIFIED',
  SEVERITY_NONE: 'SEVERITY_NONE',
  SEVERITY_LOW: 'SEVERITY_LOW',
  SEVERITY_MEDIUM: 'SEVERITY_MEDIUM',
  SEVERITY_HIGH: 'SEVERITY_HIGH',
} as const;

/**
 * Severity of the latest decision, as seed 000 grades anomalies.
 */
export type SeverityInit =
  | 'SEVERITY_UNSPECIFIED'
  | 0
  | 'SEVERITY_NONE'
  | 1
  | 'SEVERITY_LOW'
  | 2
  | 'SEVERITY_MEDIUM'
  | 3
  | 'SEVERITY_HIGH'
  | 4

/**
 * Severity of the latest decision, as seed 000 grades anomalies.
 */
export type Severity = typeof Severity[keyof typeof Severity]
