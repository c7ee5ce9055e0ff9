// The core's standing of a session, watched from the edge (issue 21 item 2): a long poll on
// RiskService.WatchStanding over Connect JSON (fetch only: Node and workerd alike), so a challenge,
// block or lock the core decides, and a challenge answered by VerifyMpin, reach the page's stream
// within about a second even when this edge did not see it happen.
import type { WatchStandingResponse } from '../gen/proto/cadence/v1/WatchStandingResponse.ts';
import { createConnectClient, type HttpPost } from '../lib/connect-client.ts';
import { fromWireStanding } from '../lib/wire.ts';
import type { Standing } from '../scoring/session-standing.ts';

export interface CoreStanding {
  sessionId: string;
  level: Standing;
  reasons: string[];
  changedAtMs: number;
}

/** One poll: the changes after `sinceMs` (empty after `waitMs` without any). */
export type WatchStanding = (sessionId: string, sinceMs: number) => Promise<CoreStanding[]>;

export const WATCH_WAIT_MS = 15_000;

export function createStandingWatch(o: { coreUrls: readonly string[]; apiKey?: string; post?: HttpPost }): WatchStanding {
  const clients = o.coreUrls.map((baseUrl) =>
    createConnectClient({ baseUrl, post: o.post, timeoutMs: WATCH_WAIT_MS + 5000, headers: o.apiKey ? { 'x-api-key': o.apiKey } : undefined }));
  let next = 0;
  return async (sessionId, sinceMs) => {
    const client = clients[next++ % clients.length]!;
    const r = await client.unary<Partial<WatchStandingResponse>>('cadence.v1.RiskService', 'WatchStanding', { sessionIds: [sessionId], sinceMs, waitMs: WATCH_WAIT_MS });
    return (r.changes ?? []).flatMap((c) => {
      const level = fromWireStanding(String(c.standing?.level ?? ''));
      return level ? [{ sessionId: c.sessionId, level, reasons: [...(c.standing?.reasons ?? [])], changedAtMs: Number(c.standing?.changedAtMs ?? 0) }] : [];
    });
  };
}

/**
 * Follows one session's standing until `stopped()`: each change goes to `onChange`. A failed poll
 * (the core away) is retried after a pause; nothing here ever throws.
 */
export async function followStanding(watch: WatchStanding, sessionId: string, stopped: () => boolean, onChange: (s: CoreStanding) => void): Promise<void> {
  let since = 0;
  let pause = 500;
  while (!stopped()) {
    try {
      for (const s of await watch(sessionId, since)) {
        since = Math.max(since, s.changedAtMs);
        if (!stopped()) onChange(s);
      }
      pause = 500;
    } catch {
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 10_000);
    }
  }
}
