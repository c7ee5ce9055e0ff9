// Static content the edge serves (the browser collector at /v1/sdk.js, demo pages). The content is
// compiled into edge/generated/ by `cadence build`, so both runtimes serve it from memory.
import type { Hono } from 'hono';

export function addStaticRoutes(_app: Hono): void {
  // Filled in by the collector issue (issue 8): GET /v1/sdk.js, demo pages.
}
