// Original file: proto/cadence/v1/models.proto


export interface TrainRequestInit {
  /**
   * "global" or a user id.
   */
  'scope'?: (string);
}

export interface TrainRequest {
  /**
   * "global" or a user id.
   */
  'scope': (string);
}
