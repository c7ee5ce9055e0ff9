// Raw on purpose (grpc-js): its subject is malformed wire input no generated client can send.
// A raw native gRPC client: sends any bytes as the request message of any method (pass-through
// serializer), so tests can send what no generated stub would: garbage, truncated or oversized
// messages, fields with the wrong wire type. Methods are enumerated from proto/ with
// @grpc/proto-loader, so a new RPC is covered as soon as its .proto exists.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

/** Every cadence .proto file under proto/cadence/v1 (not a hand-kept list). */
export function cadenceProtoFiles(): string[] {
  return readdirSync(`${PROTO_DIR}cadence/v1`).filter((f) => f.endsWith('.proto')).sort().map((f) => `cadence/v1/${f}`);
}

export interface RpcMethod {
  service: string;
  method: string;
  /** `/package.Service/Method` */
  path: string;
  requestType: string;
  requestStream: boolean;
  responseStream: boolean;
  /** The request message's fields from the descriptor: number, name, proto type, repeated. */
  fields: { number: number; name: string; type: string; repeated: boolean; message?: string }[];
  /** Encodes a plain object as the request message (for well-formed cases). */
  encode(value: object): Buffer;
}

const TYPE_NAMES: Record<string, string> = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64', TYPE_INT32: 'int32', TYPE_FIXED64: 'fixed64',
  TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool', TYPE_STRING: 'string', TYPE_MESSAGE: 'message', TYPE_BYTES: 'bytes', TYPE_UINT32: 'uint32',
  TYPE_ENUM: 'enum', TYPE_SFIXED32: 'sfixed32', TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
};

/** Every RPC of every service in `files` (default: all of proto/cadence/v1 plus grpc health). */
export function enumerateMethods(files = [...cadenceProtoFiles(), 'grpc/health/v1/health.proto']): RpcMethod[] {
  const def = protoLoader.loadSync(files, { includeDirs: [PROTO_DIR], keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
  const out: RpcMethod[] = [];
  for (const [name, value] of Object.entries(def)) {
    if ('format' in value || 'type' in value) continue; // a message or enum, not a service
    for (const [method, m] of Object.entries(value as grpc.ServiceDefinition)) {
      if (m.originalName && m.originalName !== method && method[0] === method[0]!.toLowerCase()) continue; // proto-loader's camelCase alias
      const reqType = (m as unknown as { requestType: { type: { field: { name: string; number: number; type: string; label: string; typeName: string }[] }; format: string } }).requestType;
      out.push({
        service: name,
        method,
        path: m.path,
        requestType: (m as unknown as { requestType: { type: { name: string } } }).requestType.type.name,
        requestStream: m.requestStream,
        responseStream: m.responseStream,
        fields: reqType.type.field.map((f) => ({
          number: f.number,
          name: f.name,
          type: TYPE_NAMES[f.type] ?? f.type,
          repeated: f.label === 'LABEL_REPEATED',
          ...(f.typeName ? { message: f.typeName } : {}),
        })),
        encode: (v) => m.requestSerialize(v),
      });
    }
  }
  return out;
}

export interface RawOutcome {
  code: number;
  details: string;
  /** The response message's size, when the call succeeded. */
  bytes?: number;
}

export function rawClient(address: string) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const pass = (b: Buffer) => b;
  return {
    /** One call with `bytes` as the request message; resolves to the status, never rejects. */
    call(m: Pick<RpcMethod, 'path' | 'responseStream'>, bytes: Buffer, metadata: Record<string, string> = {}, timeoutMs = 10_000): Promise<RawOutcome> {
      const md = new grpc.Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve) => {
        if (m.responseStream) {
          const stream = client.makeServerStreamRequest(m.path, pass, pass, bytes, md, { deadline });
          let settled = false;
          stream.on('data', () => {
            // A stream that opens is fine for a well-formed request; cancel so it ends.
            if (!settled) {
              settled = true;
              stream.cancel();
              resolve({ code: grpc.status.OK, details: 'stream opened' });
            }
          });
          stream.on('error', (err: grpc.ServiceError) => {
            if (!settled) {
              settled = true;
              resolve({ code: err.code, details: err.details });
            }
          });
          stream.on('status', (s: grpc.StatusObject) => {
            if (!settled) {
              settled = true;
              resolve({ code: s.code, details: s.details });
            }
          });
          return;
        }
        client.makeUnaryRequest(m.path, pass, pass, bytes, md, { deadline }, (err, res) => {
          if (err) resolve({ code: err.code ?? grpc.status.UNKNOWN, details: err.details ?? err.message });
          else resolve({ code: grpc.status.OK, details: '', bytes: (res as Buffer | undefined)?.length ?? 0 });
        });
      });
    },
    close: () => client.close(),
  };
}

// --- hand-made protobuf wire bytes ---

export function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}

export const tag = (field: number, wire: 0 | 1 | 2 | 5) => varint((field << 3) | wire);
export const lenField = (field: number, payload: Buffer) => Buffer.concat([tag(field, 2), varint(payload.length), payload]);
export const varintField = (field: number, n: number | bigint) => Buffer.concat([tag(field, 0), varint(n)]);
export const fixed64Field = (field: number, x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return Buffer.concat([tag(field, 1), b]);
};
