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
      const items = (await handler(call.request, { metadata: metadataRecord(call.metadata), signal: controller.signal })) as AsyncIterable<unknown>;
      for await (const item of items) {
        if (!call.write(item)) await new Promise((resolve) => call.once('drain', resolve));
      }
      call.end();
    })().catch((err: unknown) => {
      if (!controller.signal.aborted) call.emit('error', statusOf(err, rpc, log));
    });
  };
}

function metadataRecord(md: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md.getMap())) out[k] = typeof v === 'string' ? v : v.toString('base64');
  return out;
}

export function addHandlers(
  server: grpc.Server,
  services: Map<string, grpc.ServiceDefinition>,
  registry: HandlerRegistry,
  log: Logger,
): void {
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
        handler(call.request, { metadata: metadataRecord(call.metadata), signal: controller.signal }).then(
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
