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

// The demo pages' icon (a browser asks for /favicon.ico on every page): a small SVG, which browsers
// take whatever the path's extension says.
const FAVICON: Asset = {
  type: 'image/svg+xml',
  etag: '"cadence-favicon-1"',
  body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4ed8"/><path d="M3 10h2l2-5 2 7 2-4h2" fill="none" stroke="#fff" stroke-width="1.5"/></svg>',
};

export function addStaticRoutes(app: Hono): void {
  app.get('/favicon.ico', serve(FAVICON, 'public, max-age=86400'));
  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, serve(asset, path.startsWith('/v1/') ? SDK_CACHE : PAGE_CACHE));
  }
  app.get('/demo', (c) => c.redirect('/demo/login'));
  app.get('/demo/', (c) => c.redirect('/demo/login'));
}
