// Dashboard sign-in: an admin API key (CADENCE_ADMIN_API_KEYS, checked as AdminService checks it)
// is exchanged for a random server-side session in an HttpOnly, SameSite=Strict cookie.
import { randomBytes } from 'node:crypto';
import { matchApiKey, type ApiKey } from '../offchain/limits.ts';

export const COOKIE = 'cadence_dashboard';
/** Idle and absolute lifetimes: an analyst session is short-lived and ends with the browser. */
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3600_000;
const MAX_SESSIONS = 1000;

interface DashboardSession {
  keyName: string;
  createdAtMs: number;
  lastUsedMs: number;
}

export function createDashboardSessions(keys: readonly ApiKey[] | undefined, now: () => number) {
  // Random ids, kept in memory only: a core restart signs every analyst out, which is acceptable.
  const sessions = new Map<string, DashboardSession>();
  const alive = (s: DashboardSession, t: number) => t - s.lastUsedMs < IDLE_MS && t - s.createdAtMs < ABSOLUTE_MS;
  const prune = (t: number) => {
    for (const [id, s] of sessions) if (!alive(s, t)) sessions.delete(id);
    // Still full: the oldest session goes (Map keeps insertion order).
    while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
  };
  return {
    /** Whether any admin key is configured (the login page says so when none is). */
    enabled: Boolean(keys && keys.length > 0),

    /** A new session id for a right key; undefined for a wrong one (constant-time comparison). */
    signIn(presented: string): { id: string; keyName: string } | undefined {
      if (!keys || keys.length === 0 || !presented) return undefined;
      const key = matchApiKey(keys, presented);
      if (!key) return undefined;
      const t = now();
      prune(t);
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { keyName: key.name, createdAtMs: t, lastUsedMs: t });
      return { id, keyName: key.name };
    },

    /** The key name behind a live session, refreshing its idle timer; undefined otherwise. */
    check(id: string | undefined): string | undefined {
      if (!id) return undefined;
      const s = sessions.get(id);
      if (!s) return undefined;
      const t = now();
      if (!alive(s, t)) {
        sessions.delete(id);
        return undefined;
      }
      s.lastUsedMs = t;
      return s.keyName;
    },

    signOut(id: string | undefined): void {
      if (id) sessions.delete(id);
    },
  };
}

export type DashboardSessions = ReturnType<typeof createDashboardSessions>;
