// Serves the same handlers over the Connect protocol (unary) on the core's HTTP face, for callers
// that cannot speak native gRPC: a Worker's fetch cannot carry HTTP/2 trailers.
// POST /<package.Service>/<Method>, JSON (proto3 JSON) or binary protobuf, identity/gzip/br, with
// connect-timeout-ms honoured; GET for methods marked side-effect free; gRPC-Web
// (grpc-web.ts). Errors are Connect's JSON errors with google.rpc.BadRequest details.
// Written for this core rather than mounted from connect-es: handlers take protobufjs objects (the
// shape grpc-js gives them), and a bridge from protobuf-es messages doubled the decode cost of a
// 500-event batch (docs/clients.md).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Hono } from 'hono';
import type protobuf from 'protobufjs';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Logger } from '../log.ts';
import { LOADER_OPTIONS } from '../protos.ts';
import { ACCEPTED_ENCODINGS, codecOf, compress, decompress, getRequestOf, timeoutOf, type Codec } from './connect-codec.ts';
import { connectErrorBody } from './error-details.ts';
import { grpcTimeoutOf, grpcWebAnswer, grpcWebError, grpcWebOf, unenvelope } from './grpc-web.ts';
import { checkProtoJson } from './proto-json.ts';
import type { HandlerRegistry, UnaryHandler } from './rpc.ts';
import { checkWire } from './wire-check.ts';

const JSON_OUT = { longs: String, enums: String, defaults: true, json: true } as const;
const CONTENT_TYPES: Record<Codec, string> = { json: 'application/json', proto: 'application/proto' };
const utf8 = new TextDecoder('utf-8', { fatal: true });

function errorResponse(e: CadenceError, headers: Record<string, string> = {}, status = e.httpStatus): Response {
  return new Response(JSON.stringify(connectErrorBody(e)), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The caller's address on Node (undefined elsewhere, e.g. app.request() in tests). */
export function connectPeer(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address?.slice(0, 64);
  } catch {
    return undefined;
  }
}

/** A path shaped like a procedure: `/<package.Service>/<Method>`. */
export const PROCEDURE = /^\/[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\/[A-Za-z_]\w*$/;

/**
 * For the app's notFound: a path shaped like a procedure this face does not serve is
 * `unimplemented` (the body's code, which Connect clients read), with HTTP 404 as connect-go's
 * router answers (a client reading the status alone also maps 404 to unimplemented).
 */
export function unknownProcedure(c: Context): Response | undefined {
  if (!PROCEDURE.test(c.req.path)) return undefined;
  return errorResponse(new CadenceError(Code.UNIMPLEMENTED, `no procedure ${c.req.path.slice(1)} on this face (streaming methods are on the native gRPC port)`), {}, 404);
}

function decodeJson(reqType: protobuf.Type, bytes: Uint8Array): unknown {
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    throw new CadenceError(Code.INVALID_ARGUMENT, `malformed JSON: ${(err as Error).message}`, '(body)');
  }
  const problem = checkProtoJson(reqType, body);
  if (problem) throw new CadenceError(Code.INVALID_ARGUMENT, problem.message, problem.field);
  try {
    return reqType.toObject(reqType.fromObject(body as Record<string, unknown>), LOADER_OPTIONS);
  } catch (err) {
    throw new CadenceError(Code.INVALID_ARGUMENT, `not a valid ${reqType.name}: ${(err as Error).message}`, '(body)');
  }
}

function decodeProto(reqType: protobuf.Type, bytes: Uint8Array): unknown {
  const problem = checkWire(reqType, bytes);
  if (problem) throw new CadenceError(Code.INVALID_ARGUMENT, problem.message, problem.field);
  try {
    return reqType.toObject(reqType.decode(bytes), LOADER_OPTIONS);
  } catch (err) {
    throw new CadenceError(Code.INVALID_ARGUMENT, `not a valid ${reqType.name} message: ${(err as Error).message}`, '(message)');
  }
}

function encode(resType: protobuf.Type, codec: Codec, response: unknown): Uint8Array {
  const message = resType.fromObject(response as Record<string, unknown>);
  return codec === 'json' ? Buffer.from(JSON.stringify(resType.toObject(message, JSON_OUT))) : resType.encode(message).finish();
}

export interface ConnectOptions {
  /** The largest request once decompressed (the body limit bounds it compressed). */
  maxBodyBytes: number;
}

/** Methods marked `option idempotency_level = NO_SIDE_EFFECTS` in proto/: Connect serves them on GET too. */
export function sideEffectFree(method: protobuf.Method): boolean {
  const level = method.options?.['idempotency_level'] as unknown;
  return level === 'NO_SIDE_EFFECTS' || level === 1;
}

export function addConnectRoutes(app: Hono, root: protobuf.Root, registry: HandlerRegistry, log: Logger, options: ConnectOptions): void {
  for (const [serviceName, handlers] of registry) {
    const service = root.lookupService(serviceName);
    for (const method of service.methodsArray) {
      if (method.requestStream || method.responseStream) continue; // streaming stays on native gRPC
      const path = `/${serviceName}/${method.name}`;
      const rpc = `${serviceName}/${method.name}`;
      // POST: Connect unary (JSON, binary) or gRPC-Web, told apart by Content-Type.
      app.post(path, (c) => serveUnary(c, rpc, method, handlers[method.name], false));
      const get = sideEffectFree(method);
      // GET: Connect's form for side-effect-free methods (cacheable, the request in the query).
      if (get) app.get(path, (c) => serveUnary(c, rpc, method, handlers[method.name], true));
      const allow = get ? 'GET, POST' : 'POST';
      app.all(path, (c) => c.json({ code: 'unimplemented', message: `${path.slice(1)} is called with ${allow.replace(', ', ' or ')}` }, 405, { allow }));
    }
  }

  async function serveUnary(c: Context, rpc: string, method: protobuf.Method, handler: UnaryHandler | undefined, isGet: boolean): Promise<Response> {
    const started = Date.now();
    let deadline: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Known from the headers alone, so that even a refused key is answered in the caller's protocol.
    const web = isGet ? undefined : grpcWebOf(c.req.header('content-type'));
    try {
      if (!handler) throw new CadenceError(Code.UNIMPLEMENTED, `${rpc} is not implemented yet`);
      const timeout = web ? grpcTimeoutOf(c.req.header('grpc-timeout')) : timeoutOf(c.req.header('connect-timeout-ms'));
      const metadata = Object.fromEntries(c.req.raw.headers.entries());
      const peer = connectPeer(c);
      // The caller's key first: without it, nothing is said about the request (see rpc.ts).
      if (handler.authorize) await handler.authorize({ metadata, signal: c.req.raw.signal, peer });
      let codec: Codec | undefined;
      let bytes: Uint8Array;
      if (web) {
        codec = web.codec;
        bytes = await unenvelope(new Uint8Array(await c.req.arrayBuffer()), c.req.header('grpc-encoding'), options.maxBodyBytes);
      } else if (isGet) {
        ({ codec, bytes } = await getRequestOf(new URL(c.req.url).search, options.maxBodyBytes));
        if (!codec) return c.json({ code: 'invalid_argument', message: 'encoding must be json or proto (Connect GET)', field: 'encoding' }, 415);
      } else {
        codec = codecOf(c.req.header('content-type'));
        if (!codec) {
          return c.json({ code: 'invalid_argument', message: 'Content-Type must be application/json, application/proto (Connect unary) or application/grpc-web[+proto|+json]', field: 'content-type' }, 415, { 'accept-post': 'application/json, application/proto, application/grpc-web+proto, application/grpc-web+json' });
        }
        bytes = await decompress(new Uint8Array(await c.req.arrayBuffer()), c.req.header('content-encoding'), options.maxBodyBytes);
      }
      const reqType = method.resolvedRequestType!;
      const request = codec === 'json' ? decodeJson(reqType, bytes) : decodeProto(reqType, bytes);

      // The deadline counts from the request's arrival; once past, the handler is not called, or
      // its answer is not awaited (its signal aborts: a handler that writes checks it first).
      let expired: Promise<never> | undefined;
      if (timeout !== undefined) {
        const left = timeout - (Date.now() - started);
        if (left <= 0) throw new CadenceError(Code.DEADLINE_EXCEEDED, `the deadline of ${timeout} ms passed before the call started`);
        // A timer cleared when the call ends (AbortSignal.timeout would keep the call's whole
        // context alive until it fired: seconds of garbage at every request).
        const d = (deadline = new AbortController());
        expired = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const e = new CadenceError(Code.DEADLINE_EXCEEDED, `the deadline of ${timeout} ms passed`);
            d.abort(e);
            reject(e);
          }, left);
        });
      }
      const running = handler(request, { metadata, signal: deadline?.signal ?? c.req.raw.signal, peer, ...(handler.authorize ? { authorized: true as const } : {}) });
      if (expired) running.catch(() => undefined); // its failure after the deadline has no one to tell
      const response = await (expired ? Promise.race([running, expired]) : running);
      const message = encode(method.resolvedResponseType!, codec, response);
      if (web) return await grpcWebAnswer(web, message, c.req.header('grpc-accept-encoding'));
      const out = await compress(message, c.req.header('accept-encoding'));
      const headers: Record<string, string> = { 'content-type': CONTENT_TYPES[codec] };
      if (out.encoding) headers['content-encoding'] = out.encoding;
      return new Response(out.body as Uint8Array<ArrayBuffer>, { status: 200, headers });
    } catch (err) {
      const e = deadline?.signal.aborted ? (deadline.signal.reason as CadenceError) : CadenceError.from(err);
      if (e.code === Code.INTERNAL) log.error('rpc failed', { rpc, err: e.cause ?? e });
      if (web) return grpcWebError(web, e);
      // An encoding we do not speak is `unimplemented` (the specification), sent as 415: the request's fault, not a 5xx.
      if (e.code === Code.UNIMPLEMENTED && e.field === 'content-encoding') return errorResponse(e, { 'accept-encoding': `identity, ${ACCEPTED_ENCODINGS}` }, 415);
      return errorResponse(e);
    } finally {
      clearTimeout(timer);
    }
  }
}
