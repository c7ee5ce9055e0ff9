// Original file: proto/cadence/v1/ingest.proto


export interface RequestGeoInit {
  /**
   * ISO 3166-1 alpha-2 (e.g. "DE"); empty when unknown.
   */
  'country'?: (string);
  /**
   * At most 100 characters; empty when unknown.
   */
  'city'?: (string);
}

export interface RequestGeo {
  /**
   * ISO 3166-1 alpha-2 (e.g. "DE"); empty when unknown.
   */
  'country': (string);
  /**
   * At most 100 characters; empty when unknown.
   */
  'city': (string);
}
