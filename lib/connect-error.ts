// The one place a connect-es ConnectError (from a typed client's call to the core) becomes
// Cadence's CadenceError, which the edge's HTTP face, its retries and its dead letters read.
import { Code as ConnectCode, ConnectError } from '@connectrpc/connect';
import { BadRequestSchema } from '../client/gen/google/rpc/error_details_pb.ts';
import { CadenceError, Code } from './errors.ts';

/** Where client/unary-transport.ts keeps Cadence's own `field` of a Connect error body (standard clients drop it). */
export const CADENCE_FIELD_METADATA = 'cadence-field';

/** A proto field path (`batch.context.device_id`) as Cadence names fields (`batch.context.deviceId`). */
const camelPath = (path: string) => path.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Code: connect-es's codes are gRPC's numbers, so they carry over as they are. Field: the first
 * violation of google.rpc.BadRequest (INVALID_ARGUMENT, OUT_OF_RANGE), else Cadence's own field,
 * which the core also sends for the codes BadRequest is not for (a wrong MPIN, a refused key).
 * A call that got no answer (the core unreachable, or silent past the deadline) is UNAVAILABLE,
 * as the edge has always read it: it fails over to the next core and is retried.
 */
export function cadenceErrorOf(err: unknown): CadenceError {
  if (err instanceof CadenceError) return err;
  if (!(err instanceof ConnectError)) return CadenceError.from(err);
  if (!err.isWireError && (err.code === ConnectCode.DeadlineExceeded || err.code === ConnectCode.Unavailable)) {
    const message = err.rawMessage.startsWith('core unreachable') ? err.rawMessage : `core unreachable: ${err.rawMessage}`;
    return new CadenceError(Code.UNAVAILABLE, message, undefined, { cause: err });
  }
  let field: string | undefined;
  try {
    field = err.findDetails(BadRequestSchema)[0]?.fieldViolations[0]?.field;
  } catch {
    // a detail that does not decode names no field
  }
  field = field ? camelPath(field) : (err.metadata.get(CADENCE_FIELD_METADATA) ?? undefined);
  return new CadenceError(err.code as number as Code, err.rawMessage, field, { cause: err });
}
