// Service-to-service API keys for the internal services (IngestService, RiskService, and the model
// binaries edges fetch): one guard around their handlers, so both faces (native gRPC and Connect)
// and every method, streaming included, check the key the same way, and no handler needs to.
import type { MiddlewareHandler } from 'hono';
import { CadenceError, Code } from '../../lib/errors.ts';
import { matchApiKey, type ApiKey } from '../offchain/limits.ts';
import { guarded, type CallContext, type HandlerRegistry, type UnaryHandler } from './rpc.ts';

/** `x-api-key`, or `authorization: Bearer <key>` (lower-case keys, as both transports give them). */
export function presentedKey(metadata: Record<string, string | undefined>): string | undefined {
  const direct = metadata['x-api-key'];
  if (direct) return direct;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(metadata['authorization'] ?? '');
  return bearer?.[1];
}

/**
 * The key's name (safe to log). As gRPC's conventions say: UNAUTHENTICATED when the caller cannot
 * be identified (no key, or a key this core does not know), PERMISSION_DENIED when it can (one of
 * `known`, e.g. an admin key) but its key is not a service key.
 */
export function requireServiceKey(keys: readonly ApiKey[], metadata: Record<string, string | undefined>, known: readonly ApiKey[] = []): string {
  const presented = presentedKey(metadata);
  if (!presented) throw new CadenceError(Code.UNAUTHENTICATED, 'this call needs a service API key in x-api-key (or authorization: Bearer)', 'x-api-key');
  const key = matchApiKey(keys, presented);
  if (key) return key.name;
  if (matchApiKey(known, presented)) throw new CadenceError(Code.PERMISSION_DENIED, 'this API key is not a service key of this core', 'x-api-key');
  throw new CadenceError(Code.UNAUTHENTICATED, 'this API key is not known to this core', 'x-api-key');
}

export type OnDenied = (rpc: string, err: CadenceError, ctx: Pick<CallContext, 'peer'>) => Promise<void> | void;

/**
 * The registry with every method of `services` (by full name; optionally only some methods) behind
 * the service key. Without keys configured the registry is returned as it is: the services are open.
 */
export function guardServices(
  registry: HandlerRegistry,
  keys: readonly ApiKey[] | undefined,
  services: Record<string, readonly string[] | 'all'>,
  onDenied?: OnDenied,
  /** Every key of this core (admin, service, off-chain): a caller holding one of them is identified. */
  known: readonly ApiKey[] = [],
): HandlerRegistry {
  if (!keys || keys.length === 0) return registry;
  const out: HandlerRegistry = new Map();
  for (const [service, handlers] of registry) {
    const which = services[service];
    if (!which) {
      out.set(service, handlers);
      continue;
    }
    const short = service.replace(/^cadence\.v1\./, '');
    out.set(
      service,
      Object.fromEntries(
        Object.entries(handlers).map(([method, h]): [string, UnaryHandler] => [
          method,
          which !== 'all' && !which.includes(method)
            ? h
            : guarded(h, async (ctx) => {
                try {
                  requireServiceKey(keys, ctx.metadata, known);
                } catch (err) {
                  await onDenied?.(`${short}/${method}`, err as CadenceError, ctx);
                  throw err;
                }
              }),
        ]),
      ),
    );
  }
  return out;
}

/** The same check for plain HTTP routes (e.g. GET /v1/models/...): 401 without a key or with an unknown one, 403 with another kind of key. */
export function serviceKeyMiddleware(keys: readonly ApiKey[] | undefined, route: string, peer: (c: Parameters<MiddlewareHandler>[0]) => string | undefined, onDenied?: OnDenied, known: readonly ApiKey[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (!keys || keys.length === 0) return next();
    try {
      requireServiceKey(keys, { 'x-api-key': c.req.header('x-api-key'), authorization: c.req.header('authorization') }, known);
    } catch (err) {
      const e = err as CadenceError;
      await onDenied?.(route, e, { peer: peer(c) });
      return c.json(e.toJSON(), e.httpStatus as 401 | 403);
    }
    return next();
  };
}
