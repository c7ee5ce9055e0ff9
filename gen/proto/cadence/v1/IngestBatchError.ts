// Original file: proto/cadence/v1/ingest.proto


/**
 * Why one batch of a call was refused: the code as Connect names it (e.g. "invalid_argument",
 * "unavailable"), the message, and the field at fault when there is one.
 */
export interface IngestBatchErrorInit {
  'code'?: (string);
  'message'?: (string);
  'field'?: (string);
}

/**
 * Why one batch of a call was refused: the code as Connect names it (e.g. "invalid_argument",
 * "unavailable"), the message, and the field at fault when there is one.
 */
export interface IngestBatchError {
  'code': (string);
  'message': (string);
  'field': (string);
}
