// The core's standing of a session, watched from the edge (issue 21 item 2): a long poll on
// RiskService.WatchStanding through the typed client (fetch: Node and workerd alike), so a challenge,
// block or lock the core decides, and a challenge answered by VerifyMpin, reach the page's stream
// within about a second even when this edge did not see it happen.
import type { BytesPost } from '../client/unary-transport.ts';
import type { Standing } from '../scoring/session-standing.ts';
import { createCoreClients } from './core-clients.ts';
import { standingOf } from './forward.ts';

export interface CoreStanding {
  sessionId: string;
  level: Standing;
  reasons: string[];
  changedAtMs: number;
}

/** One poll: the changes after `sinceMs` (empty after `waitMs` without any). */
export type WatchStanding = (sessionId: string, sinceMs: number) => Promise<CoreStanding[]>;

export const WATCH_WAIT_MS = 15_000;

export function createStandingWatch(o: { coreUrls: readonly string[]; apiKey?: string; post?: BytesPost }): WatchStanding {
  const cores = createCoreClients({ coreUrls: o.coreUrls, apiKey: o.apiKey, post: o.post, timeoutMs: WATCH_WAIT_MS + 5000 });
  return async (sessionId, sinceMs) => {
    const r = await cores.once((core) => core.risk.watchStanding({ sessionIds: [sessionId], sinceMs: BigInt(Math.max(0, Math.trunc(sinceMs))), waitMs: WATCH_WAIT_MS }));
    return r.changes.flatMap((c) => {
      const level = c.standing && standingOf(c.standing.level);
      return level ? [{ sessionId: c.sessionId, level, reasons: [...c.standing!.reasons], changedAtMs: Number(c.standing!.changedAtMs) }] : [];
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
