// Where a request came from, as the platform in front of the edge says (workerd: request.cf; Node:
// headers named by configuration, set by a trusted proxy). Validated the same way at the edge (a
// bad value is dropped) and at the core (a bad value is refused, naming the field).

export interface Geo {
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  /** At most 100 characters of one line. */
  city?: string;
}

export const MAX_CITY_LENGTH = 100;
// Two letters; "XX" (unknown) and Cloudflare's "T1" (Tor) are not countries.
const COUNTRY = /^[A-Z]{2}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function validCountry(v: unknown): v is string {
  return typeof v === 'string' && COUNTRY.test(v) && v !== 'XX';
}

export function validCity(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_CITY_LENGTH && v.trim() === v && !CONTROL.test(v) && !LONE_SURROGATE.test(v);
}

/** The valid parts of what the platform said; undefined when nothing valid is left. */
export function cleanGeo(country: unknown, city: unknown): Geo | undefined {
  const c = typeof country === 'string' ? country.trim().toUpperCase() : undefined;
  const t = typeof city === 'string' ? city.trim() : undefined;
  const geo: Geo = {};
  if (validCountry(c)) geo.country = c;
  if (validCity(t)) geo.city = t;
  return geo.country || geo.city ? geo : undefined;
}
