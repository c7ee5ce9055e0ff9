// The tests' way into the core: client/'s generated typed clients (connect-es; gRPC on the native
// port by default, Connect on the HTTP face when a test exercises that one). To keep the tests'
// assertions as they were written, requests may be given as proto3 JSON objects (camelCase or
// snake_case names, 64-bit integers as strings, enums by name; bytes as Buffer) and answers come
// back as plain objects: camelCase, 64-bit integers as strings, enums by full name, unset messages
// null, every implicit field present, bytes as Buffer, a oneof's case named by the oneof. A refused
// call rejects with a CallError: the gRPC code number, the message without a prefix, the trailers
// and the google.rpc.BadRequest field violations.
import { fromJson, ScalarType, type DescEnum, type DescField, type DescMessage, type DescMethod, type DescService, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { BadRequestSchema } from '../../client/gen/google/rpc/error_details_pb.ts';

/** gRPC's status names for connect-es's codes (the same numbers), as the tests name them. */
export const status = {
  OK: 0,
  CANCELLED: Code.Canceled,
  UNKNOWN: Code.Unknown,
  INVALID_ARGUMENT: Code.InvalidArgument,
  DEADLINE_EXCEEDED: Code.DeadlineExceeded,
  NOT_FOUND: Code.NotFound,
  ALREADY_EXISTS: Code.AlreadyExists,
  PERMISSION_DENIED: Code.PermissionDenied,
  RESOURCE_EXHAUSTED: Code.ResourceExhausted,
  FAILED_PRECONDITION: Code.FailedPrecondition,
  ABORTED: Code.Aborted,
  OUT_OF_RANGE: Code.OutOfRange,
  UNIMPLEMENTED: Code.Unimplemented,
  INTERNAL: Code.Internal,
  UNAVAILABLE: Code.Unavailable,
  DATA_LOSS: Code.DataLoss,
  UNAUTHENTICATED: Code.Unauthenticated,
} as const;

/** A refused call, read from the ConnectError the typed client threw. */
export interface CallError {
  code: number;
  /** The status message as the server wrote it (grpc-js called this `details`). */
  details: string;
  message: string;
  /** Response headers and trailers; `get` answers a list, as grpc-js's Metadata did. */
  metadata: { get(key: string): string[] };
  fieldViolations: { field: string; description: string }[];
  cause: ConnectError;
}

export function callError(e: unknown): CallError {
  const err = ConnectError.from(e);
  return {
    code: err.code,
    details: err.rawMessage,
    message: err.message,
    metadata: { get: (key) => (err.metadata.has(key) ? err.metadata.get(key)!.split(', ') : []) },
    fieldViolations: err.findDetails(BadRequestSchema).flatMap((b) => b.fieldViolations.map((v) => ({ field: v.field, description: v.description }))),
    cause: err,
  };
}

// --- proto3 JSON in, plain objects out ---

/** Buffers to base64 and undefined dropped, so that fromJson reads what proto-loader used to take. */
function toJsonValue(v: unknown): JsonValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? v.toString() : (v as JsonValue);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x) ?? null);
  return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (x === undefined ? [] : [[k, toJsonValue(x)!]])));
}

export const fromPlain = <D extends DescMessage>(schema: D, req: unknown): MessageShape<D> => fromJson(schema, toJsonValue(req ?? {}) ?? {});

const enumName = (e: DescEnum, n: number) => e.values.find((v) => v.number === n)?.name ?? n;
const scalar = (t: ScalarType, v: unknown) => (t === ScalarType.BYTES ? Buffer.from(v as Uint8Array) : typeof v === 'bigint' ? v.toString() : v);

function fieldValue(f: DescField, v: any): unknown {
  switch (f.fieldKind) {
    case 'scalar':
      return v === undefined ? undefined : scalar(f.scalar, v);
    case 'enum':
      return v === undefined ? undefined : enumName(f.enum, v);
    case 'message':
      return v === undefined ? null : plain(f.message, v);
    case 'list':
      return (v as unknown[]).map((x) => (f.listKind === 'message' ? plain(f.message, x) : f.listKind === 'enum' ? enumName(f.enum, x as number) : scalar(f.scalar, x)));
    case 'map':
      return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, f.mapKind === 'message' ? plain(f.message, x) : f.mapKind === 'enum' ? enumName(f.enum, x) : scalar(f.scalar, x)]));
  }
}

/** A protobuf-es message as a plain object (see the top of this file). */
export function plain(schema: DescMessage, msg: any): any {
  const out: Record<string, unknown> = {};
  for (const f of schema.fields) {
    let v: unknown;
    if (f.oneof) {
      const o = msg[f.oneof.localName] as { case?: string; value?: unknown };
      if (o.case !== f.localName) continue;
      out[f.oneof.localName] = f.localName;
      v = o.value;
    } else v = msg[f.localName];
    const value = fieldValue(f, v);
    if (value !== undefined) out[f.localName] = value;
  }
  return out;
}

// --- transports and callers ---

export interface TypedTransport {
  transport: Transport;
  /** The same connection without a default deadline, for streams that stay open until cancelled. */
  untimed: Transport;
  close(): void;
}

/** gRPC over HTTP/2 to the native port (`host:port` or a URL); close() drops the connection. */
export function grpcTransport(address: string, defaultTimeoutMs = 10_000): TypedTransport {
  const baseUrl = address.includes('://') ? address : `http://${address}`;
  const sessionManager = new Http2SessionManager(baseUrl);
  return {
    transport: createGrpcTransport({ baseUrl, sessionManager, defaultTimeoutMs }),
    untimed: createGrpcTransport({ baseUrl, sessionManager }),
    close: () => sessionManager.abort(),
  };
}

/** Connect (JSON, HTTP/1.1) to the HTTP face. */
export function connectTransport(baseUrl: string, defaultTimeoutMs = 10_000): TypedTransport {
  return {
    transport: createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: false, defaultTimeoutMs }),
    untimed: createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: false }),
    close() {},
  };
}

export interface CallOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const methodOf = (service: DescService, name: string): DescMethod => {
  const m = service.methods.find((x) => x.localName === name || x.name === name);
  if (!m) throw new Error(`${service.typeName} has no method ${name}`);
  return m;
};

/** One unary method: a proto3 JSON request in, a plain answer out, a CallError on refusal. */
export function unary(transport: Transport, service: DescService, name: string) {
  const m = methodOf(service, name);
  if (m.methodKind !== 'unary') throw new Error(`${m.name} is not unary`);
  const client = createClient(service, transport) as any;
  return async (req: unknown, options: CallOptions = {}): Promise<any> => {
    const input = fromPlain(m.input, req);
    try {
      return plain(m.output, await client[m.localName](input, options));
    } catch (e) {
      throw callError(e);
    }
  };
}

/** One server-streaming method: plain messages as they come; ends by the signal or the server; a CallError on refusal. */
export function serverStream(transport: Transport, service: DescService, name: string) {
  const m = methodOf(service, name);
  if (m.methodKind !== 'server_streaming') throw new Error(`${m.name} is not server streaming`);
  const client = createClient(service, transport) as any;
  return async function* (req: unknown, options: CallOptions = {}): AsyncGenerator<any> {
    try {
      for await (const msg of client[m.localName](fromPlain(m.input, req), options)) yield plain(m.output, msg);
    } catch (e) {
      throw callError(e);
    }
  };
}

/** The error of a call that must fail. */
export async function rejection(p: Promise<unknown>): Promise<CallError> {
  try {
    await p;
  } catch (err) {
    return err as CallError;
  }
  throw new Error('expected the call to fail');
}

/** Reads a stream in the background: what came so far, and how it ended ('end', or the refusal). */
export function drain(stream: AsyncIterable<any>) {
  const items: any[] = [];
  const ended = (async (): Promise<'end' | CallError> => {
    try {
      for await (const x of stream) items.push(x);
      return 'end';
    } catch (e) {
      return e as CallError;
    }
  })();
  return { items, ended };
}
