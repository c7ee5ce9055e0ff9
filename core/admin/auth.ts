// The admin API key check: `x-api-key` (gRPC metadata or HTTP header) against CADENCE_ADMIN_API_KEYS.
import { CadenceError, Code } from '../../lib/errors.ts';
import { matchApiKey, type ApiKey } from '../offchain/limits.ts';
import { guarded, type CallContext, type ServiceHandlers } from '../transport/rpc.ts';

/**
 * Returns the key's name (safe to log). UNAUTHENTICATED without a key or with one this core does
 * not know; PERMISSION_DENIED with a known key that is not an admin key (one of `known`), or when
 * no admin key is configured (no one may).
 */
export function requireAdmin(keys: readonly ApiKey[] | undefined, ctx: CallContext, known: readonly ApiKey[] = []): string {
  const presented = ctx.metadata['x-api-key'];
  if (!presented) throw new CadenceError(Code.UNAUTHENTICATED, 'this call needs an admin API key in x-api-key', 'x-api-key');
  if (!keys || keys.length === 0) throw new CadenceError(Code.PERMISSION_DENIED, 'admin calls are disabled: set CADENCE_ADMIN_API_KEYS on the core', 'x-api-key');
  const key = matchApiKey(keys, presented);
  if (key) return key.name;
  if (matchApiKey(known, presented)) throw new CadenceError(Code.PERMISSION_DENIED, 'this API key is not an admin key', 'x-api-key');
  throw new CadenceError(Code.UNAUTHENTICATED, 'this API key is not known to this core', 'x-api-key');
}

/** The same handlers, each behind the admin key check; `onDenied` hears of each refusal (to record it). */
export function adminOnly(
  keys: readonly ApiKey[] | undefined,
  handlers: ServiceHandlers,
  methods = Object.keys(handlers),
  onDenied?: (method: string, err: CadenceError, ctx: CallContext) => Promise<void> | void,
  /** Every key of this core: a caller holding one is identified (PERMISSION_DENIED, not UNAUTHENTICATED). */
  known: readonly ApiKey[] = [],
): ServiceHandlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, h]) => [
      name,
      methods.includes(name)
        ? guarded(h, async (ctx: CallContext) => {
            try {
              requireAdmin(keys, ctx, known);
            } catch (err) {
              await onDenied?.(name, err as CadenceError, ctx);
              throw err;
            }
          })
        : h,
    ]),
  );
}
