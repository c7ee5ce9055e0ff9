// Original file: proto/cadence/v1/identity.proto


export interface GetJwksResponseInit {
  /**
   * The JSON Web Key Set (RFC 7517) of the public keys that verify access tokens, as JSON text.
   * Also served as GET /.well-known/jwks.json on the core's HTTP face.
   */
  'jwksJson'?: (string);
}

export interface GetJwksResponse {
  /**
   * The JSON Web Key Set (RFC 7517) of the public keys that verify access tokens, as JSON text.
   * Also served as GET /.well-known/jwks.json on the core's HTTP face.
   */
  'jwksJson': (string);
}
