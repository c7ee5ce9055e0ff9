// Serves transport-neutral handlers on a grpc-js server; errors become gRPC status codes.
import * as grpc from '@grpc/grpc-js';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Logger } from '../log.ts';
import type { HandlerRegistry, UnaryHandler } from './rpc.ts';

function statusOf(err: unknown, rpc: string, log: Logger): Partial<grpc.StatusObject> {
  const e = CadenceError.from(err);
  if (e.code === Code.INTERNAL) log.error('rpc failed', { rpc, err: e.cause ?? e });
  const trailer = new grpc.Metadata();
  if (e.field) trailer.set('cadence-field', e.field);
  return { code: e.code, details: e.field ? `${e.field}: ${e.message}` : e.message, metadata: trailer };
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
type Undecodable = { [UNDECODABLE]: string };
const undecodable = (x: unknown): x is Undecodable => typeof x === 'object' && x !== null && UNDECODABLE in x;

/**
 * grpc-js answers a request message it cannot decode (garbage bytes, a field with the wrong wire
 * type, a truncated message) with INTERNAL, as if the server had failed. From here on every unary
 * and server-streaming method added to `server` (ours, and health's added later) answers
 * INVALID_ARGUMENT naming the message instead; the handler is not called.
 */
export function guardDecoding(server: grpc.Server): void {
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
      guardedService[name] = {
        ...attrs,
        requestDeserialize: (bytes: Buffer) => {
          try {
            return decode(bytes);
          } catch (err) {
            return { [UNDECODABLE]: `the request is not a valid protobuf message for ${attrs.path}: ${(err as Error).message}` } satisfies Undecodable;
          }
        },
      };
      const refuse = (u: Undecodable) => {
        const trailer = new grpc.Metadata();
        trailer.set('cadence-field', '(message)');
        return { code: Code.INVALID_ARGUMENT as number, details: `(message): ${u[UNDECODABLE]}`, metadata: trailer };
      };
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
): void {
  guardDecoding(server);
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
          (err: unknown) => {
            const e = CadenceError.from(err);
            if (e.code === Code.INTERNAL) log.error('rpc failed', { rpc: `${serviceName}/${method}`, err: e.cause ?? e });
            const trailer = new grpc.Metadata();
            if (e.field) trailer.set('cadence-field', e.field);
            callback({ code: e.code, details: e.field ? `${e.field}: ${e.message}` : e.message, metadata: trailer });
          },
        );
      };
    }
    server.addService(definition, impl);
  }
}
