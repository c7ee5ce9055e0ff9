// gRPC-Web (unary) on the HTTP face, for callers that speak it rather than Connect: buf curl
// `--protocol grpcweb`, connect-es `createGrpcWebTransport`, grpc-web, Envoy-fronted clients.
// The request is one enveloped message (a flag byte, a 4-byte length, the message); the answer is
// HTTP 200 with the message frame, then the status as a trailer frame (flag 0x80) in the body, as
// the gRPC-Web specification says: a browser's fetch cannot read HTTP trailers.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Codec } from './connect-codec.ts';
import { compress } from './connect-codec.ts';
import { grpcStatus } from './grpc.ts';

export interface GrpcWeb {
  codec: Codec;
  /** The answer's Content-Type: the request's, `+proto` when it named no codec. */
  contentType: string;
}

/** `application/grpc-web`, `application/grpc-web+proto` or `application/grpc-web+json`; undefined for anything else. */
export function grpcWebOf(contentType: string | undefined): GrpcWeb | undefined {
  const m = /^application\/grpc-web(?:\+(proto|json))?\s*(?:;.*)?$/i.exec(contentType?.trim() ?? '');
  if (!m) return undefined;
  const codec = (m[1]?.toLowerCase() ?? 'proto') as Codec;
  return { codec, contentType: `application/grpc-web+${codec}` };
}

const UNITS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/** grpc-timeout (at most 8 digits and a unit, the gRPC specification) in milliseconds; undefined when absent. */
export function grpcTimeoutOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(header);
  if (!m) throw new CadenceError(Code.INVALID_ARGUMENT, `grpc-timeout must be at most 8 digits and a unit (H, M, S, m, u, n), not "${header.slice(0, 20)}"`, 'grpc-timeout');
  return Math.ceil(Number(m[1]) * UNITS[m[2]!]!);
}

export const GRPC_ACCEPT_ENCODING = 'identity, gzip';
const gunzip = promisify(zlib.gunzip);

/** The one message of a unary request, decompressed as grpc-encoding says when its frame is flagged compressed. */
export async function unenvelope(body: Uint8Array, encoding: string | undefined, maxBytes: number): Promise<Uint8Array> {
  if (body.length < 5) throw new CadenceError(Code.INVALID_ARGUMENT, 'a gRPC-Web request is one enveloped message (5 bytes of prefix, then the message)', '(message)');
  const flags = body[0]!;
  const length = Buffer.from(body.buffer, body.byteOffset, body.length).readUInt32BE(1);
  if (flags & 0x80 || body.length !== 5 + length) {
    throw new CadenceError(Code.INVALID_ARGUMENT, `a unary gRPC-Web request is exactly one message frame (the prefix says ${length} bytes, ${body.length - 5} follow)`, '(message)');
  }
  const message = body.subarray(5);
  if (!(flags & 1)) return message;
  const name = encoding?.trim().toLowerCase() ?? 'identity';
  if (name === 'identity') throw new CadenceError(Code.INVALID_ARGUMENT, 'the message is flagged compressed but grpc-encoding names no compression', 'grpc-encoding');
  if (name !== 'gzip') throw new CadenceError(Code.UNIMPLEMENTED, `grpc-encoding "${encoding}" is not supported (supported: ${GRPC_ACCEPT_ENCODING})`, 'grpc-encoding');
  try {
    return await gunzip(message, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new CadenceError(Code.RESOURCE_EXHAUSTED, `the request is larger than ${maxBytes} bytes once decompressed`);
    throw new CadenceError(Code.INVALID_ARGUMENT, `the message is not valid gzip: ${(err as Error).message}`, 'grpc-encoding');
  }
}

function frame(flags: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

/** grpc-message is percent-encoded: every byte outside printable ASCII, and '%' itself. */
function percentEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

// Browsers show a cross-origin caller only the headers listed here (trailers travel in the body).
const EXPOSE = 'grpc-status, grpc-message, grpc-status-details-bin, grpc-encoding, grpc-accept-encoding';

function reply(web: GrpcWeb, body: Uint8Array, headers: Record<string, string> = {}): Response {
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { 'content-type': web.contentType, 'grpc-accept-encoding': GRPC_ACCEPT_ENCODING, 'access-control-expose-headers': EXPOSE, ...headers },
  });
}

/** The trailer frame: grpc-status, grpc-message and the same trailers as the native face (google.rpc.Status details, cadence-field). */
function trailerFrame(e: CadenceError | undefined): Buffer {
  const lines = [`grpc-status: ${e ? e.code : 0}`];
  if (e) {
    const status = grpcStatus(e);
    lines.push(`grpc-message: ${percentEncode(status.details ?? e.message)}`);
    for (const [k, v] of Object.entries(status.metadata?.toHttp2Headers() ?? {})) lines.push(`${k}: ${Array.isArray(v) ? v.join(',') : String(v)}`);
  }
  return frame(0x80, Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
}

/** A successful answer: the message frame (gzip when the caller accepts it and it is worth it), then status 0. */
export async function grpcWebAnswer(web: GrpcWeb, message: Uint8Array, acceptEncoding: string | undefined): Promise<Response> {
  const out = await compress(message, acceptEncoding);
  return reply(web, Buffer.concat([frame(out.encoding ? 1 : 0, out.body), trailerFrame(undefined)]), out.encoding ? { 'grpc-encoding': out.encoding } : {});
}

/** A failed call: HTTP 200 and only the trailer frame (gRPC-Web clients read the status there). */
export function grpcWebError(web: GrpcWeb, e: CadenceError): Response {
  return reply(web, trailerFrame(e));
}
