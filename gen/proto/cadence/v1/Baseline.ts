// Original file: proto/cadence/v1/offchain.proto

/**
 * Which baseline the score was measured against.
 */
export const Baseline = {
  BASELINE_UNSPECIFIED: 'BASELINE_UNSPECIFIED',
  /**
   * no usable history: the population profile answered
   */
  BASELINE_POPULATION: 'BASELINE_POPULATION',
  /**
   * a profile fitted from the request's historical_patterns
   */
  BASELINE_REQUEST_HISTORY: 'BASELINE_REQUEST_HISTORY',
  /**
   * the DID's own model, from its history stored by this service
   */
  BASELINE_DID_HISTORY: 'BASELINE_DID_HISTORY',
} as const;

/**
 * Which baseline the score was measured against.
 */
export type BaselineInit =
  | 'BASELINE_UNSPECIFIED'
  | 0
  /**
   * no usable history: the population profile answered
   */
  | 'BASELINE_POPULATION'
  | 1
  /**
   * a profile fitted from the request's historical_patterns
   */
  | 'BASELINE_REQUEST_HISTORY'
  | 2
  /**
   * the DID's own model, from its history stored by this service
   */
  | 'BASELINE_DID_HISTORY'
  | 3

/**
 * Which baseline the score was measured against.
 */
export type Baseline = typeof Baseline[keyof typeof Baseline]
