// Transport-neutral handlers: each RPC is a plain async function from request object to response
// object that throws CadenceError. The gRPC and Connect adapters both serve the same handlers.
import type { Code } from '../../lib/errors.ts';

export interface CallContext {
  /** Transport metadata / headers, lower-case keys. */
  metadata: Record<string, string>;
  /** Aborted when the caller goes away or its deadline passes. */
  signal: AbortSignal;
  /** The caller's address without its port (e.g. `127.0.0.1`), when the transport knows it: kept in security events. */
  peer?: string;
}

export type UnaryHandler<Req = any, Res = any> = (request: Req, ctx: CallContext) => Promise<Res>;

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
