// Original file: proto/cadence/v1/risk.proto


/**
 * A session's context and activity as the supervised model takes it (every field optional: a
 * missing one is encoded as missing, an unseen category as "unseen"; scoring/features/session-record.ts).
 */
export interface SessionFeaturesInit {
  'deviceType'?: (string);
  /**
   * e.g. "1920x1080".
   */
  'screenSize'?: (string);
  /**
   * Family and major version, e.g. "Chrome/126".
   */
  'browser'?: (string);
  'language'?: (string);
  'orientation'?: (string);
  'geolocationCity'?: (string);
  /**
   * IANA name, e.g. "Europe/Berlin".
   */
  'timezone'?: (string);
  'localHour'?: (number | string);
  'timeOnPageS'?: (number | string);
  'clicks'?: (number | string);
  'scrolls'?: (number | string);
  'formSubmissions'?: (number | string);
  'pageViews'?: (number | string);
  'sessionDurationS'?: (number | string);
  /**
   * Per-user history, within [0, 1].
   */
  'bounceRate'?: (number | string);
  'conversionRate'?: (number | string);
  'avgSessionDurationS'?: (number | string);
  '_localHour'?: "localHour";
  '_timeOnPageS'?: "timeOnPageS";
  '_clicks'?: "clicks";
  '_scrolls'?: "scrolls";
  '_formSubmissions'?: "formSubmissions";
  '_pageViews'?: "pageViews";
  '_sessionDurationS'?: "sessionDurationS";
  '_bounceRate'?: "bounceRate";
  '_conversionRate'?: "conversionRate";
  '_avgSessionDurationS'?: "avgSessionDurationS";
}

/**
 * A session's context and activity as the supervised model takes it (every field optional: a
 * missing one is encoded as missing, an unseen category as "unseen"; scoring/features/session-record.ts).
 */
export interface SessionFeatures {
  'deviceType': (string);
  /**
   * e.g. "1920x1080".
   */
  'screenSize': (string);
  /**
   * Family and major version, e.g. "Chrome/126".
   */
  'browser': (string);
  'language': (string);
  'orientation': (string);
  'geolocationCity': (string);
  /**
   * IANA name, e.g. "Europe/Berlin".
   */
  'timezone': (string);
  'localHour'?: (number);
  'timeOnPageS'?: (number);
  'clicks'?: (number);
  'scrolls'?: (number);
  'formSubmissions'?: (number);
  'pageViews'?: (number);
  'sessionDurationS'?: (number);
  /**
   * Per-user history, within [0, 1].
   */
  'bounceRate'?: (number);
  'conversionRate'?: (number);
  'avgSessionDurationS'?: (number);
  '_localHour'?: "localHour";
  '_timeOnPageS'?: "timeOnPageS";
  '_clicks'?: "clicks";
  '_scrolls'?: "scrolls";
  '_formSubmissions'?: "formSubmissions";
  '_pageViews'?: "pageViews";
  '_sessionDurationS'?: "sessionDurationS";
  '_bounceRate'?: "bounceRate";
  '_conversionRate'?: "conversionRate";
  '_avgSessionDurationS'?: "avgSessionDurationS";
}
