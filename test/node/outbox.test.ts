// The shared durable outbox (lib/outbox.ts) over a small in-memory store of this test's own: what
// becomes of each attempt (delivered, dead letter, given up, retried after backoff), a wake while a
// drain runs, and a store that fails. The spool and the webhook run it over their tables
// (spool.test.ts, webhook-severity.test.ts, faults-*.test.ts).
import { describe, expect, it } from 'vitest';
import { backoffMs, Outbox, settlementOf, type Outcome, type OutboxRow, type OutboxStore } from '../../lib/outbox.ts';

interface Row extends OutboxRow<string> {
  answers: Outcome['kind'][];
}

/** A table in memory: pending rows with their next attempt time, and where each one ended. */
function memoryStore(rows: string[], answers: Record<string, Outcome['kind'][]> = {}) {
  const pending = new Map(rows.map((k) => [k, { attempts: 0, at: 0 }]));
  const done = new Map<string, string>();
  const claimed = new Set<string>();
  let failClaims = 0;
  const store: OutboxStore<string, Row> & { done: typeof done; pending: typeof pending; add(k: string): void; failNext(n: number): void } = {
    done,
    pending,
    add: (k) => pending.set(k, { attempts: 0, at: 0 }),
    failNext: (n) => (failClaims = n),
    claim: async (now) => {
      if (failClaims > 0) {
        failClaims--;
        throw new Error('disk unavailable');
      }
      const due = [...pending].filter(([k, r]) => r.at <= now && !claimed.has(k)).slice(0, 2);
      for (const [k] of due) claimed.add(k);
      return due.map(([key, r]) => ({ key, attempts: r.attempts, answers: answers[key] ?? ['delivered'] }));
    },
    delivered: (row, _at, attempts) => {
      pending.delete(row.key);
      claimed.delete(row.key);
      done.set(row.key, `delivered after ${attempts}`);
    },
    dead: async (row, reason) => {
      pending.delete(row.key);
      claimed.delete(row.key);
      done.set(row.key, `dead: ${reason}`);
    },
    retry: async (row, at, attempts) => {
      pending.set(row.key, { attempts, at });
      claimed.delete(row.key);
    },
    nextDue: async () => (pending.size ? Math.min(...[...pending.values()].map((r) => r.at)) : undefined),
    purge: async () => undefined,
  };
  return store;
}

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function outboxOver(store: ReturnType<typeof memoryStore>, maxAttempts = 3) {
  const settled: string[] = [];
  const errors: unknown[] = [];
  const outbox = new Outbox<string, Row>({
    store,
    deliver: async (rows) => rows.map((r) => ({ kind: r.answers[Math.min(r.attempts, r.answers.length - 1)]!, reason: 'HTTP 410' }) as Outcome),
    maxAttempts,
    baseDelayMs: 2,
    capDelayMs: 8,
    retentionMs: 1000,
    onSettled: (row, s) => settled.push(`${row.key}:${s}`),
    onError: (err) => errors.push(err),
    errorRetryMs: 20,
  });
  return { outbox, settled, errors };
}

describe('shared outbox', () => {
  it('delivers, retries a failure after backoff, keeps a refusal and a row out of attempts as dead letters', async () => {
    const store = memoryStore(['ok', 'flaky', 'refused', 'down'], { flaky: ['failed', 'failed', 'delivered'], refused: ['refused'], down: ['failed'] });
    const { outbox, settled } = outboxOver(store, 3);
    outbox.wake();
    await until(() => store.pending.size === 0);
    await outbox.close();
    expect(Object.fromEntries(store.done)).toEqual({
      ok: 'delivered after 1',
      flaky: 'delivered after 3',
      refused: 'dead: HTTP 410',
      down: 'dead: no answer after 3 attempts',
    });
    expect(settled.filter((s) => s.startsWith('flaky:'))).toEqual(['flaky:retry', 'flaky:retry', 'flaky:delivered']);
    expect(settled).toContain('down:given_up');
    expect(settled).toContain('refused:refused');
  });

  it('drains again when woken during a drain, and tries again after the store fails', async () => {
    const store = memoryStore(['a']);
    const { outbox, errors } = outboxOver(store);
    store.failNext(1);
    outbox.wake();
    await until(() => errors.length === 1);
    await until(() => store.done.has('a'));
    for (let i = 0; i < 20; i++) {
      store.add(`late-${i}`);
      outbox.wake();
      await new Promise((r) => setImmediate(r));
    }
    await until(() => store.pending.size === 0);
    await outbox.close();
    expect(store.done.size).toBe(21);
    expect(String(errors[0])).toMatch(/disk unavailable/);
  });

  it('brings a wake set for later forward when woken for sooner, and keeps one set for sooner', async () => {
    const store = memoryStore([]);
    const { outbox } = outboxOver(store);
    store.add('a');
    outbox.wake(60_000); // as when the earliest retry is a minute away
    outbox.wake(10); // something due now: it must not wait the minute
    await until(() => store.done.has('a'), 2000);
    store.add('b');
    outbox.wake(10);
    outbox.wake(60_000); // a later wake leaves the sooner one standing
    await until(() => store.done.has('b'), 2000);
    await outbox.close();
  });

  it('backs off exponentially with jitter, within [ceiling/2, ceiling], up to the cap', () => {
    expect(backoffMs(1, 30_000, () => 0)).toBe(250);
    expect(backoffMs(3, 30_000, () => 1)).toBe(2000);
    expect(backoffMs(3, 30_000, () => 1, 100)).toBe(400);
    expect(backoffMs(50, 60_000, () => 0.5)).toBe(45_000);
    expect(settlementOf({ kind: 'failed' }, 2, 3)).toBe('retry');
    expect(settlementOf({ kind: 'failed' }, 3, 3)).toBe('given_up');
  });
});
