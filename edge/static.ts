// Static content the edge serves (the browser collector at /v1/sdk.js, demo pages). The content is
// compiled into edge/generated/ by `cadence build`, so both runtimes serve it from memory.
import type { Hono } from 'hono';
import { assets, type Asset } from './generated/assets.ts';

// The SDK's URL is unversioned: a short freshness window, then revalidation by ETag.
const SDK_CACHE = 'public, max-age=300, stale-while-revalidate=3600';
const PAGE_CACHE = 'no-cache';

function serve(asset: Asset, cache: string) {
  return (c: { req: { header(name: string): string | undefined } }) => {
    const headers = { etag: asset.etag, 'cache-control': cache, 'content-type': asset.type };
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === asset.etag)) return new Response(null, { status: 304, headers });
    return new Response(asset.body, { status: 200, headers });
  };
}

export function addStaticRoutes(app: Hono): void {
  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, serve(asset, path.startsWith('/v1/') ? SDK_CACHE : PAGE_CACHE));
  }
  app.get('/demo', (c) => c.redirect('/demo/login'));
  app.get('/demo/', (c) => c.redirect('/demo/login'));
}
