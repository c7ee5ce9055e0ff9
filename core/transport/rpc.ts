// Transport-neutral handlers: each RPC is a plain async function from request object to response
// object that throws CadenceError. The gRPC and Connect adapters both serve the same handlers.
import { CadenceError, Code } from '../../lib/errors.ts';

export interface CallContext {
  /** Transport metadata / headers, lower-case keys. */
  metadata: Record<string, string>;
  /** Aborted when the caller goes away or its deadline passes. */
  signal: AbortSignal;
  /** The caller's address without its port (e.g. `127.0.0.1`), when the transport knows it: kept in security events. */
  peer?: string;
  /** Set by a transport that has run the handler's `authorize` already (see Guarded). */
  authorized?: true;
  /** Who acts, for the audit trail, when the caller is not identified by its metadata (the dashboard's signed-in key name). */
  actor?: string;
}

/** A check of the caller alone (its key), independent of the request. */
export type Authorize = (ctx: CallContext) => Promise<void>;

/**
 * A handler. One behind a key also carries its check as `authorize`, so that a transport can run
 * it before it reads the request: a caller without the key then learns nothing about what the
 * request should look like (Connect JSON validates the body before the handler runs; native gRPC
 * only decodes bytes, and the handler checks the key first).
 */
export type UnaryHandler<Req = any, Res = any> = ((request: Req, ctx: CallContext) => Promise<Res>) & { authorize?: Authorize };

/** `handler` behind `check`: the check runs first unless the transport ran it already (ctx.authorized). */
export function guarded(handler: UnaryHandler, check: Authorize): UnaryHandler {
  const authorize: Authorize = async (ctx) => {
    await check(ctx);
    await handler.authorize?.(ctx);
  };
  return Object.assign(
    async (request: unknown, ctx: CallContext) => {
      if (!ctx.authorized) await authorize(ctx);
      return handler(request, ctx);
    },
    { authorize },
  );
}

/** Handlers of one service, by method name as in the .proto file. */
export type ServiceHandlers = Record<string, UnaryHandler>;

/** Services by full name, e.g. `cadence.v1.RiskService`. */
export type HandlerRegistry = Map<string, ServiceHandlers>;

export interface CallOutcome {
  service: string;
  method: string;
  transport: 'grpc' | 'connect';
  code: Code;
  ms: number;
}

/**
 * Call before a handler's first write: a call whose deadline passed (or whose caller went away)
 * while it hashed or read must change nothing, since its caller has been told it failed.
 */
export function throwIfAbandoned(ctx: Pick<CallContext, 'signal'> | undefined): void {
  const signal = ctx?.signal;
  if (!signal?.aborted) return;
  if (signal.reason instanceof CadenceError) throw signal.reason;
  throw new CadenceError(Code.CANCELLED, 'the call was abandoned before it wrote anything');
}
