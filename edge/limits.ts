// Rate limits per session and per client address: token buckets in memory, bounded in size. On
// Cloudflare they hold per isolate; pair them with Cloudflare's rate limiting rules for a global cap.

export interface RateLimit {
  /** Sustained rate allowed, per minute; 0 turns the limit off. */
  perMinute: number;
  /** Requests allowed at once above the sustained rate. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`; returns 0 if allowed, else the seconds to wait. */
  take(key: string): number {
    if (this.limit.perMinute <= 0) return 0;
    const now = this.now();
    const ratePerMs = this.limit.perMinute / 60_000;
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: the map stays in least-recently-used order
      b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.at) * ratePerMs);
      b.at = now;
    } else {
      b = { tokens: this.limit.burst, at: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / ratePerMs / 1000);
  }
}
