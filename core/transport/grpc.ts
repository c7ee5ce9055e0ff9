// Serves transport-neutral handlers on a grpc-js server; errors become gRPC status codes.
import * as grpc from '@grpc/grpc-js';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Logger } from '../log.ts';
import protobuf from 'protobufjs';
import { grpcStatusDetails } from './error-details.ts';
import { checkWire } from './wire-check.ts';
import type { HandlerRegistry, UnaryHandler } from './rpc.ts';

function statusOf(err: unknown, rpc: string, log: Logger): Partial<grpc.StatusObject> {
  const e = CadenceError.from(err);
  if (e.code === Code.INTERNAL) log.error('rpc failed', { rpc, err: e.cause ?? e });
  return grpcStatus(e);
}

/** The status a gRPC client sees: the field in the message, our trailer, and google.rpc.BadRequest in grpc-status-details-bin. */
export function grpcStatus(e: CadenceError): Partial<grpc.StatusObject> {
  const trailer = new grpc.Metadata();
  const details = e.field ? `${e.field}: ${e.message}` : e.message;
  if (e.field) trailer.set('cadence-field', e.field);
  const bin = grpcStatusDetails(e, details);
  if (bin) trailer.set('grpc-status-details-bin', bin);
  return { code: e.code, details, metadata: trailer };
}

/** Server streaming: the handler resolves to an async iterable; each item is written, with backpressure. */
function serverStream(handler: UnaryHandler | undefined, rpc: string, log: Logger) {
  return (call: grpc.ServerWritableStream<unknown, unknown>) => {
    if (!handler) {
      call.destroy(Object.assign(new Error(`${rpc} is not implemented yet`), { code: Code.UNIMPLEMENTED }));
      return;
    }
    const controller = new AbortController();
    call.on('cancelled', () => controller.abort());
    (async () => {
      const items = (await handler(call.request, { metadata: metadataRecord(call.metadata), signal: controller.signal, peer: peerAddress(call.getPeer()) })) as AsyncIterable<unknown>;
      for await (const item of items) {
        if (!call.write(item)) await new Promise((resolve) => call.once('drain', resolve));
      }
      call.end();
    })().catch((err: unknown) => {
      if (!controller.signal.aborted) call.emit('error', statusOf(err, rpc, log));
    });
  };
}

/** `ipv4:127.0.0.1:53412` / `ipv6:[::1]:53412` -> the address alone (the port changes per connection). */
export function peerAddress(peer: string | undefined): string | undefined {
  if (!peer) return undefined;
  const m = /^(?:ipv[46]:)?\[?([^\]]*?)\]?(?::\d+)?$/.exec(peer);
  return (m?.[1] || peer).slice(0, 64);
}

function metadataRecord(md: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md.getMap())) out[k] = typeof v === 'string' ? v : v.toString('base64');
  return out;
}

/**
 * Status details travel in a trailer (grpc-message); one longer than the client's header list
 * limit (16 KB by default) never arrives, and the call hangs until its deadline. Handlers that
 * echo the caller's input (an unknown id, a service name) could produce one, so it is cut short.
 */
const MAX_DETAILS = 1000;
function boundedDetails(callback: grpc.sendUnaryData<unknown>): grpc.sendUnaryData<unknown> {
  return (err, ...rest) => {
    const details = err && typeof (err as { details?: unknown }).details === 'string' ? (err as { details: string }).details : undefined;
    if (err && details !== undefined && details.length > MAX_DETAILS) {
      const e = err as grpc.ServerErrorResponse;
      return callback({ code: e.code, details: `${details.slice(0, MAX_DETAILS)}… (cut)`, metadata: e.metadata }, ...rest);
    }
    return callback(err, ...rest);
  };
}

const UNDECODABLE = Symbol('undecodable request');
const GUARDED = Symbol('decoding guarded');
type Undecodable = { [UNDECODABLE]: CadenceError };
const undecodable = (x: unknown): x is Undecodable => typeof x === 'object' && x !== null && UNDECODABLE in x;

/** The request type of `/pkg.Service/Method`, when `root` has it. */
function requestType(root: protobuf.Root | undefined, path: string): protobuf.Type | undefined {
  const [, service, method] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  const found = service && root?.lookup(service);
  return found instanceof protobuf.Service ? found.methods[method!]?.resolvedRequestType ?? undefined : undefined;
}

/**
 * grpc-js answers a request message it cannot decode (garbage bytes, a field with the wrong wire
 * type) with INTERNAL, as if the server had failed, and protobufjs takes a truncated field, invalid
 * UTF-8 or an unknown enum number without a word (see wire-check.ts). From here on every unary and
 * server-streaming method added to `server` (ours, and health's added later) answers
 * INVALID_ARGUMENT naming the field instead; the handler is not called.
 */
export function guardDecoding(server: grpc.Server, root?: protobuf.Root): void {
  const s = server as grpc.Server & { [GUARDED]?: true };
  if (s[GUARDED]) return;
  s[GUARDED] = true; // also bounds the length of status details (see boundedDetails)
  const add = server.addService.bind(server);
  server.addService = (service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation) => {
    const guardedService: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
    const guardedImpl: grpc.UntypedServiceImplementation = { ...implementation };
    for (const [name, attrs] of Object.entries(service) as [string, grpc.MethodDefinition<unknown, unknown>][]) {
      const impl = (implementation[name] ?? (attrs.originalName ? implementation[attrs.originalName] : undefined)) as
        | ((...args: unknown[]) => unknown)
        | undefined;
      if (attrs.requestStream || !impl) {
        guardedService[name] = attrs;
        continue;
      }
      const decode = attrs.requestDeserialize;
      const type = requestType(root, attrs.path);
      guardedService[name] = {
        ...attrs,
        requestDeserialize: (bytes: Buffer) => {
          const problem = type && checkWire(type, bytes);
          if (problem) return { [UNDECODABLE]: new CadenceError(Code.INVALID_ARGUMENT, problem.message, problem.field) } satisfies Undecodable;
          try {
            return decode(bytes);
          } catch (err) {
            const message = `the request is not a valid protobuf message for ${attrs.path}: ${(err as Error).message}`;
            return { [UNDECODABLE]: new CadenceError(Code.INVALID_ARGUMENT, message, '(message)') } satisfies Undecodable;
          }
        },
      };
      const refuse = (u: Undecodable) => grpcStatus(u[UNDECODABLE]);
      guardedImpl[name] = attrs.responseStream
        ? (call: grpc.ServerWritableStream<unknown, unknown>) => {
            if (undecodable(call.request)) call.emit('error', refuse(call.request));
            else impl.call(implementation, call);
          }
        : (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
            if (undecodable(call.request)) callback(refuse(call.request));
            else impl.call(implementation, call, boundedDetails(callback));
          };
    }
    add(guardedService, guardedImpl);
  };
}

export function addHandlers(
  server: grpc.Server,
  services: Map<string, grpc.ServiceDefinition>,
  registry: HandlerRegistry,
  log: Logger,
  root?: protobuf.Root,
): void {
  guardDecoding(server, root);
  for (const [serviceName, handlers] of registry) {
    const definition = services.get(serviceName);
    if (!definition) throw new Error(`no proto definition for service ${serviceName}`);
    const impl: grpc.UntypedServiceImplementation = {};
    for (const method of Object.keys(definition)) {
      const handler = handlers[method];
      if (definition[method]!.responseStream) {
        impl[method] = serverStream(handler, `${serviceName}/${method}`, log);
        continue;
      }
      impl[method] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        if (!handler) {
          callback({ code: Code.UNIMPLEMENTED, details: `${serviceName}/${method} is not implemented yet` });
          return;
        }
        const controller = new AbortController();
        call.on('cancelled', () => controller.abort());
        handler(call.request, { metadata: metadataRecord(call.metadata), signal: controller.signal, peer: peerAddress(call.getPeer()) }).then(
          (response) => callback(null, response),
          (err: unknown) => callback(statusOf(err, `${serviceName}/${method}`, log)),
        );
      };
    }
    server.addService(definition, impl);
  }
}
