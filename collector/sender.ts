// Delivery of batches to the edge: one batch in flight at a time over fetch (keepalive) or the
// WebSocket stream, retried with capped exponential backoff and jitter under the same batch id.
import type { EventBatch } from '../scoring/batch.ts';

export interface Decision {
  decision: 'allow' | 'monitor' | 'challenge' | 'block';
  score: number;
  reasons: string[];
  modelVersion?: string;
  judged?: boolean;
  batchId?: string;
  /** The session's standing (it sticks where the decision moves) and what the user must do. */
  standing?: 'allow' | 'monitor' | 'challenge' | 'block' | 'locked';
  requiredAction?: string;
}

export interface SenderHooks {
  decision(d: Decision): void;
  challenge(d: Decision): void;
  block(d: Decision): void;
  /** The in-flight batch is done with (accepted, or refused for good): take the next one. */
  done(refused: boolean): void;
}

export interface Pending {
  batch: EventBatch;
  body: string;
  attempt: number;
}

const BASE_MS = 500;
const CAP_MS = 30_000;

export function createSender(endpoint: string, stream: boolean, token: string | undefined, hooks: SenderHooks) {
  const url = endpoint.replace(/\/+$/, '');
  let pending: Pending | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let aborter: AbortController | undefined;
  let ws: WebSocket | undefined;
  let stopped = false;

  const settle = (refused: boolean) => {
    pending = undefined;
    hooks.done(refused);
  };

  // Full jitter on the exponential step; a server's Retry-After is a floor.
  const retry = (afterS?: number) => {
    if (!pending || stopped) return;
    const step = Math.min(CAP_MS, BASE_MS * 2 ** pending.attempt++);
    const wait = Math.max((afterS ?? 0) * 1000, step / 2 + Math.random() * step / 2);
    timer = setTimeout(attempt, wait);
  };

  const react = (d: Decision, push: boolean) => {
    hooks.decision(d);
    // Over the stream the edge pushes mpin_required / session_blocked itself.
    if (push) return;
    // The session's standing (which sticks) says what to do, else the batch's decision.
    const level = d.standing ?? d.decision;
    if (level === 'challenge') hooks.challenge(d);
    if (level === 'block' || level === 'locked') hooks.block(d);
  };

  async function post(p: Pending) {
    aborter = new AbortController();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`${url}/v1/events`, { method: 'POST', body: p.body, headers, keepalive: true, signal: aborter.signal });
    } catch {
      return retry(); // network error, or aborted by withdrawal (then stopped is set)
    }
    if (stopped || p !== pending) return;
    const answer = (await res.json().catch(() => ({}))) as Decision & { accepted?: boolean };
    if (res.ok) {
      react({ ...answer, batchId: p.batch.batchId }, false);
      return settle(false);
    }
    if (res.status === 429 || res.status >= 500) return retry(Number(res.headers.get('retry-after')) || undefined);
    // The edge knows this session is blocked: final, like a block decision.
    const code = (answer as { error?: { code?: string } }).error?.code;
    if (code === 'session_blocked') return void hooks.block({ decision: 'block', score: 1, reasons: ['session_blocked'], batchId: p.batch.batchId });
    settle(true); // 4xx: this batch will never be taken; retrying would only repeat the refusal
  }

  function socket(): WebSocket {
    if (ws && ws.readyState <= 1) return ws;
    const s = (ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream`));
    s.onopen = () => pending && s.send(frame(pending));
    s.onclose = () => {
      if (ws === s) ws = undefined;
      if (pending && !stopped && !timer) retry();
    };
    s.onmessage = (e) => {
      let m: { type?: string; batchId?: string; error?: { code?: string; retryAfter?: number } } & Decision;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (m.type === 'decision') react(m, true);
      else if (m.type === 'mpin_required') hooks.challenge({ ...m, decision: 'challenge' });
      else if (m.type === 'session_blocked') hooks.block({ ...m, decision: 'block' });
      else if (m.type === 'account_locked') hooks.block({ ...m, decision: 'block', reasons: ['account_locked'] });
      else if (m.type === 'ack' && pending && m.batchId === pending.batch.batchId) settle(false);
      else if (m.type === 'error' && pending) {
        const code = m.error?.code;
        if (code === 'unavailable' || code === 'rate_limited') retry(m.error?.retryAfter);
        else if (code === 'session_blocked') hooks.block({ decision: 'block', score: 1, reasons: ['session_blocked'] });
        else settle(true);
      }
    };
    return s;
  }

  const frame = (p: Pending) => `{"type":"batch",${token ? `"token":${JSON.stringify(token)},` : ''}"batch":${p.body}}`;

  function attempt() {
    timer = undefined;
    if (!pending || stopped) return;
    if (!stream) return void post(pending);
    const s = socket();
    if (s.readyState === 1) s.send(frame(pending));
  }

  return {
    get busy() {
      return pending !== undefined;
    },
    pending: () => pending,
    send(batch: EventBatch) {
      pending = { batch, body: JSON.stringify(batch), attempt: 0 };
      attempt();
    },
    /** On pagehide: hands the in-flight batch and `rest` to the browser's beacon queue (text/plain). */
    beacon(rest: string[]) {
      if (!navigator.sendBeacon) return;
      // A beacon cannot carry headers, so the token rides in the body, where the edge takes it from.
      const withToken = (b: string) => (token ? `{"token":${JSON.stringify(token)},${b.slice(1)}` : b);
      for (const body of pending ? [pending.body, ...rest] : rest) if (!navigator.sendBeacon(`${url}/v1/events`, withToken(body))) break;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      aborter?.abort();
      ws?.close();
      pending = undefined;
    },
  };
}
