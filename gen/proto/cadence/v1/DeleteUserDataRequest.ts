// Original file: proto/cadence/v1/admin.proto


export interface DeleteUserDataRequestInit {
  'userId'?: (string);
  /**
   * Also delete the account (email and hashes); otherwise only behavioural data goes.
   */
  'deleteAccount'?: (boolean);
}

export interface DeleteUserDataRequest {
  'userId': (string);
  /**
   * Also delete the account (email and hashes); otherwise only behavioural data goes.
   */
  'deleteAccount': (boolean);
}
