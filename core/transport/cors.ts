// CORS for browser clients of the HTTP face (connect-web's Connect and gRPC-Web transports), off
// unless CADENCE_CORE_CORS_ORIGINS names origins. Hono's cors middleware answers the preflight; the
// headers a Connect or gRPC-Web client sends and must read come from connect-es's own list (`cors`
// of @connectrpc/connect), plus the keys Cadence reads (x-api-key, authorization). Credentials
// (cookies) are never allowed: callers authenticate with keys or tokens in headers.
import { cors as connectCors } from '@connectrpc/connect';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { PROCEDURE } from './connect.ts';

const ALLOW_HEADERS = [...connectCors.allowedHeaders, 'x-api-key', 'authorization', 'grpc-accept-encoding', 'accept-encoding'];
// grpc-accept-encoding and accept-encoding: what a refused encoding is answered with (connect.ts).
const EXPOSE_HEADERS = [...connectCors.exposedHeaders, 'grpc-encoding', 'grpc-accept-encoding', 'accept-encoding', 'retry-after'];

/**
 * The middleware for the procedure paths (`/<package.Service>/<Method>`) when origins are set:
 * exact origins, or `*` for any. Other paths (the dashboard, /metrics) get no CORS headers.
 */
export function procedureCors(origins: readonly string[]): MiddlewareHandler | undefined {
  if (origins.length === 0) return undefined;
  const allow = cors({
    origin: origins.includes('*') ? '*' : [...origins],
    allowMethods: [...connectCors.allowedMethods],
    allowHeaders: [...new Set(ALLOW_HEADERS)],
    exposeHeaders: [...new Set(EXPOSE_HEADERS)],
    maxAge: 7200, // Chromium caps it at 2 hours
  });
  return (c, next) => (PROCEDURE.test(c.req.path) ? allow(c, next) : next());
}
