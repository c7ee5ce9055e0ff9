// Error details as gRPC and Connect clients read them: a google.rpc.BadRequest naming the field at
// fault (proto names), in Connect's `details` and in gRPC's grpc-status-details-bin trailer (a
// google.rpc.Status). Encoded by protobufjs from proto/google/rpc, the files reflection serves.
import protobuf from 'protobufjs';
import { Code, protoFieldPath, type CadenceError } from '../../lib/errors.ts';
import { PROTO_DIR } from '../protos.ts';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : PROTO_DIR + target); // protobufjs ships the well-known types
root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const Status = root.lookupType('google.rpc.Status');
const BadRequest = root.lookupType('google.rpc.BadRequest');
const RetryInfo = root.lookupType('google.rpc.RetryInfo');

export interface Detail {
  type: string;
  value: Uint8Array;
  debug: unknown;
}

/** BadRequest is for a request that is wrong whatever the state (a missing session is NOT_FOUND, not a bad field). */
const BAD_REQUEST_CODES: ReadonlySet<Code> = new Set([Code.INVALID_ARGUMENT, Code.OUT_OF_RANGE]);

/** The standard details of an error: the field at fault (google.rpc.BadRequest), when to retry (google.rpc.RetryInfo). */
export function errorDetails(e: CadenceError): Detail[] {
  const out: Detail[] = [];
  if (e.field !== undefined && BAD_REQUEST_CODES.has(e.code)) {
    const debug = { fieldViolations: [{ field: protoFieldPath(e.field), description: e.message }] };
    out.push({ type: 'google.rpc.BadRequest', value: BadRequest.encode(BadRequest.fromObject(debug)).finish(), debug });
  }
  if (e.retryAfterS !== undefined) {
    const seconds = Math.max(0, Math.ceil(e.retryAfterS));
    out.push({ type: 'google.rpc.RetryInfo', value: RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds } })).finish(), debug: { retryDelay: `${seconds}s` } });
  }
  return out;
}

/** Connect's error body: code, message, details (base64 without padding), and our `field` for older callers. */
export function connectErrorBody(e: CadenceError): Record<string, unknown> {
  const details = errorDetails(e).map((d) => ({ type: d.type, value: Buffer.from(d.value).toString('base64').replace(/=+$/, ''), debug: d.debug }));
  return { ...e.toJSON(), ...(details.length ? { details } : {}) };
}

/** The grpc-status-details-bin trailer's value (a google.rpc.Status), or undefined when there are no details. */
export function grpcStatusDetails(e: CadenceError, message: string): Buffer | undefined {
  const details = errorDetails(e);
  if (!details.length) return undefined;
  // protobufjs defines google.protobuf.Any with its proto field names (type_url).
  const status = { code: e.code, message, details: details.map((d) => ({ type_url: `type.googleapis.com/${d.type}`, value: d.value })) };
  return Buffer.from(Status.encode(Status.fromObject(status)).finish());
}
