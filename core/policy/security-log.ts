// Refused attacks recorded as security events (forged or other-device tokens, a refresh token from
// another device, calls without a valid admin or service key, guesses past the login throttle),
// bounded so that an attacker repeating one cannot fill `security_events`: every attempt is counted
// in the metric, but only a few rows per key and minute are stored, then one `repeated:N` row.
import type { SecurityEvent } from '../identity/store.ts';
import type { Logger } from '../log.ts';
import type { CallContext } from '../transport/rpc.ts';

/** The kinds of refused attempts (the policy's own kinds, challenge, block, mpin_failed..., are recorded as they happen). */
export type RefusalKind = 'token_invalid' | 'token_expired' | 'device_mismatch' | 'refresh_invalid' | 'refresh_other_device' | 'admin_denied' | 'service_denied' | 'login_throttled';

export interface Refusal {
  kind: RefusalKind;
  severity: 'low' | 'medium' | 'high';
  /** `Service/Method`, e.g. `IdentityService/GetSessionStatus`. */
  rpc: string;
  /** Only ids the core has verified (never an unverified token's claims). */
  userId?: string | null;
  sessionId?: string | null;
  /** Short, fixed words saying why (e.g. `bad_signature`); never a token, password, MPIN or key. */
  reasons?: string[];
  ctx?: Pick<CallContext, 'peer'>;
}

export interface SecurityLogOptions {
  /** Stores a row; `count: false` for summary rows, whose attempts the metric already saw. */
  record: (e: Omit<SecurityEvent, 'createdAtMs'>, options: { count: boolean }) => Promise<void>;
  /** Counts an attempt that is not stored (the metric sees every attempt). */
  count: (kind: RefusalKind) => void;
  now: () => number;
  log: Logger;
  /** Rows per (kind, user, session, peer, rpc) and minute; further ones are only counted. */
  perKeyPerMinute?: number;
  /** Rows per minute over all keys, against an attacker who rotates addresses or ids. */
  perMinute?: number;
}

const MINUTE = 60_000;
/** Keys tracked per minute; beyond it attempts are counted but no longer told apart. */
const MAX_KEYS = 10_000;

export function createSecurityLog(o: SecurityLogOptions) {
  const perKey = o.perKeyPerMinute ?? 3;
  const perMinute = o.perMinute ?? 300;
  let window = -1;
  let stored = 0;
  let uncounted = 0;
  let keys = new Map<string, { stored: number; suppressed: number; sample: Refusal }>();

  const reasonsOf = (r: Refusal, extra: string[] = []) => [
    ...(r.reasons ?? []),
    `rpc:${r.rpc}`,
    ...(r.ctx?.peer ? [`peer:${r.ctx.peer}`] : []),
    ...extra,
  ];
  const row = (r: Refusal, extra?: string[]): Omit<SecurityEvent, 'createdAtMs'> => ({
    kind: r.kind,
    severity: r.severity,
    userId: r.userId ?? null,
    sessionId: r.sessionId ?? null,
    reasons: reasonsOf(r, extra),
  });

  /** A new minute: one summary row per key that was cut short in the last one. */
  async function roll(now: number): Promise<void> {
    const last = keys;
    const lost = uncounted;
    window = Math.floor(now / MINUTE);
    keys = new Map();
    stored = 0;
    uncounted = 0;
    for (const k of last.values()) {
      if (k.suppressed === 0 || stored >= perMinute) continue;
      stored++;
      await o.record(row(k.sample, [`repeated:${k.suppressed}`]), { count: false }).catch((err: unknown) => o.log.error('security event not stored', { kind: k.sample.kind, err }));
    }
    if (lost > 0) o.log.warn('security events over the per-minute limit were counted only', { count: lost });
  }

  return {
    /** Records (or, past the limits, only counts) one refused attempt; never throws. */
    async refused(r: Refusal): Promise<void> {
      try {
        const now = o.now();
        if (Math.floor(now / MINUTE) !== window) await roll(now);
        const key = [r.kind, r.userId ?? '', r.sessionId ?? '', r.ctx?.peer ?? '', r.rpc].join('|');
        let k = keys.get(key);
        if (!k && keys.size < MAX_KEYS) keys.set(key, (k = { stored: 0, suppressed: 0, sample: r }));
        if (!k || k.stored >= perKey || stored >= perMinute) {
          o.count(r.kind);
          if (k) k.suppressed++;
          else uncounted++;
          return;
        }
        k.stored++;
        stored++;
        await o.record(row(r), { count: true });
      } catch (err) {
        o.count(r.kind);
        // A refusal must stay a refusal: failing to record it does not turn it into an INTERNAL error.
        o.log.error('security event not stored', { kind: r.kind, err });
      }
    },
  };
}

export type SecurityLog = ReturnType<typeof createSecurityLog>;
