// Who may call the off-chain endpoint and how often: API keys from configuration (compared in
// constant time by their sha256), and token-bucket rate limits per API key and per DID.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiKey {
  /** Safe to log and to key rate limits by; the key itself never is. */
  name: string;
  digest: Buffer;
}

/** `name:key` or bare `key` entries, comma-separated; a bare key is named by its sha256 prefix. */
export function parseApiKeys(spec: string | undefined): ApiKey[] | { error: string } {
  const entries = (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const keys: ApiKey[] = [];
  for (const entry of entries) {
    const at = entry.indexOf(':');
    const key = at >= 0 ? entry.slice(at + 1) : entry;
    if (key.length < 16) return { error: `entry ${keys.length + 1}: an API key needs at least 16 characters` };
    const digest = createHash('sha256').update(key).digest();
    keys.push({ name: at > 0 ? entry.slice(0, at) : `key-${digest.toString('hex').slice(0, 8)}`, digest });
  }
  return keys;
}

/** The configured key that matches, or undefined. Every configured key is compared, in constant time. */
export function matchApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = createHash('sha256').update(presented).digest();
  let found: ApiKey | undefined;
  for (const k of keys) if (timingSafeEqual(k.digest, digest)) found = k;
  return found;
}

/** Token buckets by key: `perMinute` tokens, refilled continuously; bounded memory. */
export function createRateLimiter(perMinute: number, now: () => number, maxKeys = 100_000) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000;
  return {
    /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
    take(key: string): number {
      const t = now();
      const b = buckets.get(key) ?? { tokens: perMinute, at: t };
      b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * rate);
      b.at = t;
      buckets.delete(key); // re-insert: the Map's order is then least recently used first
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, b);
      if (b.tokens < 1) return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
      b.tokens -= 1;
      return 0;
    },
  };
}

/**
 * Which DIDs each API key may write history for: `CADENCE_OFFCHAIN_KEY_DIDS`, comma-separated
 * `name=did1|did2` entries, or `name=*` for every DID (a trusted enroller, stated explicitly).
 * A key without an entry is read-only: it scores against the stored baseline but never enrols.
 */
export type DidScope = ReadonlySet<string> | 'any';

export function parseDidScopes(spec: string | undefined): Map<string, DidScope> | { error: string } {
  const scopes = new Map<string, DidScope>();
  const entries = (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const [i, entry] of entries.entries()) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, Math.max(at, 0)).trim();
    if (at <= 0 || !name) return { error: `entry ${i + 1}: expected name=did1|did2 (or name=*)` };
    if (scopes.has(name)) return { error: `entry ${i + 1}: key ${name} is listed twice` };
    const list = entry.slice(at + 1).split('|').map((d) => d.trim()).filter(Boolean);
    if (list.length === 0) return { error: `entry ${i + 1}: key ${name} lists no DID` };
    if (list.includes('*')) {
      if (list.length > 1) return { error: `entry ${i + 1}: * stands alone` };
      scopes.set(name, 'any');
      continue;
    }
    const bad = list.find((d) => !/^[\x21-\x7e]{1,128}$/.test(d) || d.includes('='));
    if (bad !== undefined) return { error: `entry ${i + 1}: ${JSON.stringify(bad.slice(0, 40))} is not a DID (1-128 printable ASCII characters, no , | =)` };
    scopes.set(name, new Set(list));
  }
  return scopes;
}

/** Whether a key with this scope may write `did`'s history. */
export const scopeCovers = (scope: DidScope | undefined, did: string): boolean => scope === 'any' || (scope?.has(did) ?? false);
