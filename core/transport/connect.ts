// Serves the same handlers over the Connect protocol (unary, JSON) on the core's HTTP face, for
// callers that cannot speak native gRPC: a Worker's fetch cannot carry HTTP/2 trailers.
// POST /<package.Service>/<Method>, Content-Type application/json, proto3 JSON in and out.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, Hono } from 'hono';
import type protobuf from 'protobufjs';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Logger } from '../log.ts';
import { LOADER_OPTIONS } from '../protos.ts';
import { checkProtoJson } from './proto-json.ts';
import type { HandlerRegistry } from './rpc.ts';

const JSON_OUT = { longs: String, enums: String, defaults: true, json: true } as const;

function errorResponse(e: CadenceError): Response {
  return new Response(JSON.stringify(e.toJSON()), {
    status: e.httpStatus,
    headers: { 'content-type': 'application/json' },
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

export function addConnectRoutes(app: Hono, root: protobuf.Root, registry: HandlerRegistry, log: Logger): void {
  for (const [serviceName, handlers] of registry) {
    const service = root.lookupService(serviceName);
    for (const method of service.methodsArray) {
      if (method.requestStream || method.responseStream) continue; // streaming stays on native gRPC
      const reqType = root.lookupType(method.resolvedRequestType!.fullName);
      const resType = root.lookupType(method.resolvedResponseType!.fullName);
      const handler = handlers[method.name];
      app.post(`/${serviceName}/${method.name}`, async (c) => {
        try {
          if (!handler) throw new CadenceError(Code.UNIMPLEMENTED, `${serviceName}/${method.name} is not implemented yet`);
          const metadata = Object.fromEntries(c.req.raw.headers.entries());
          const peer = connectPeer(c);
          // The caller's key first: without it, nothing is said about the request (see rpc.ts).
          if (handler.authorize) await handler.authorize({ metadata, signal: c.req.raw.signal, peer });
          const type = c.req.header('content-type') ?? '';
          if (!/^application\/json\b/i.test(type)) {
            return c.json({ code: 'invalid_argument', message: 'Content-Type must be application/json (Connect JSON)' }, 415);
          }
          let body: unknown;
          try {
            body = JSON.parse(await c.req.text());
          } catch (err) {
            throw new CadenceError(Code.INVALID_ARGUMENT, `malformed JSON: ${(err as Error).message}`);
          }
          const problem = checkProtoJson(reqType, body);
          if (problem) throw new CadenceError(Code.INVALID_ARGUMENT, problem.message, problem.field);
          let request: unknown;
          try {
            request = reqType.toObject(reqType.fromObject(body as Record<string, unknown>), LOADER_OPTIONS);
          } catch (err) {
            throw new CadenceError(Code.INVALID_ARGUMENT, `not a valid ${reqType.name}: ${(err as Error).message}`);
          }
          const timeout = Number(c.req.header('connect-timeout-ms'));
          // The deadline's timer is cleared when the call ends (AbortSignal.timeout would keep the
          // call's whole context alive until it fired: seconds of garbage at every request).
          const deadline = Number.isFinite(timeout) && timeout > 0 ? new AbortController() : undefined;
          const timer = deadline && setTimeout(() => deadline.abort(new DOMException(`deadline of ${timeout} ms exceeded`, 'TimeoutError')), timeout);
          try {
            const response = await handler(request, { metadata, signal: deadline?.signal ?? c.req.raw.signal, peer, ...(handler.authorize ? { authorized: true as const } : {}) });
            return c.json(resType.toObject(resType.fromObject(response as Record<string, unknown>), JSON_OUT));
          } finally {
            clearTimeout(timer);
          }
        } catch (err) {
          const e = CadenceError.from(err);
          if (e.code === Code.INTERNAL) log.error('rpc failed', { rpc: `${serviceName}/${method.name}`, err: e.cause ?? e });
          return errorResponse(e);
        }
      });
    }
  }
}
