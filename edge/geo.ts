// The request's location for the core (lib/geo.ts validates it; what does not validate is dropped).
// workerd: Cloudflare's request.cf. Node: headers set by a trusted proxy in front of the edge, read
// only when configured (CADENCE_GEO_COUNTRY_HEADER / CADENCE_GEO_CITY_HEADER): a client could send
// the same headers itself, so an edge reached directly must not trust them.
import type { Context } from 'hono';
import { cleanGeo, type Geo } from '../lib/geo.ts';

export type GeoSource = (c: Context) => Geo | undefined;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header values arrive as one character per byte: a proxy's UTF-8 city ("MÃ¼nchen") is decoded back ("München"). */
export function headerText(v: string | undefined): string | undefined {
  if (v === undefined || !/[\u0080-\u00ff]/.test(v) || /[^\u0000-\u00ff]/.test(v)) return v;
  try {
    return utf8.decode(Uint8Array.from(v, (ch) => ch.charCodeAt(0)));
  } catch {
    return v; // not UTF-8: Latin-1 as it came
  }
}

/** Reads the configured headers; undefined when none is configured (then nothing is trusted). */
export function geoFromHeaders(countryHeader: string | undefined, cityHeader: string | undefined) {
  if (!countryHeader && !cityHeader) return undefined;
  return (header: (name: string) => string | undefined): Geo | undefined =>
    cleanGeo(countryHeader ? header(countryHeader) : undefined, cityHeader ? headerText(header(cityHeader)) : undefined);
}

/** Cloudflare's own location of the client (request.cf), which a client cannot set. */
export const geoFromCf: GeoSource = (c) => {
  const cf = (c.req.raw as Request & { cf?: { country?: unknown; city?: unknown } }).cf;
  return cf ? cleanGeo(cf.country, cf.city) : undefined;
};
