// Original file: proto/cadence/v1/identity.proto


export interface RegisterRequestInit {
  'email'?: (string);
  /**
   * 10 to 256 characters
   */
  'password'?: (string);
  /**
   * digits only, of the configured length (default 4)
   */
  'mpin'?: (string);
}

export interface RegisterRequest {
  'email': (string);
  /**
   * 10 to 256 characters
   */
  'password': (string);
  /**
   * digits only, of the configured length (default 4)
   */
  'mpin': (string);
}
