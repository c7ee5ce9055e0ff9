// One durable outbox, shared by the edge spool (edge/spool.ts: accepted batches to the core) and
// the core's severity webhook (core/webhook/notifier.ts: notifications to the bank's receiver).
// Each keeps its rows in its own table and delivers them its own way (an OutboxStore and a deliver
// function); this module holds what they have in common:
//
// - the sender: one drain at a time, woken when something is stored or a retry falls due, never
//   spinning (a drain that fails is tried again after `errorRetryMs`);
// - the claim/ack round: claim the rows due, deliver them, settle each outcome;
// - the outcome of an attempt: delivered, a dead letter (refused for good, or out of attempts,
//   kept with its reason for an operator), or a retry after exponential backoff with jitter;
// - forgetting delivered rows after their retention, once a minute at most.
//
// Portable (no Node API): the workerd edge's queue consumer uses `backoffMs` too.

/** What one delivery attempt came to. */
export type Outcome = { kind: 'delivered' } | { kind: 'refused'; reason: string } | { kind: 'failed' };

/** What is done with a row after an attempt. */
export type Settlement = 'delivered' | 'refused' | 'retry' | 'given_up';

/** A claimed row: its key in the store and the attempts it had before this one. */
export interface OutboxRow<K> {
  key: K;
  attempts: number;
}

/** The storage side of an outbox: each user's own table and its own way of writing it. */
export interface OutboxStore<K, R extends OutboxRow<K>> {
  /** Claims the rows due now (a round), or none; claimed rows are not claimed again until settled. */
  claim(now: number): Promise<R[]>;
  /** `attempts` counts the one just made. */
  delivered(row: R, now: number, attempts: number): Promise<void> | void;
  /** A dead letter: kept with the reason, never attempted again. */
  dead(row: R, reason: string, attempts: number): Promise<void>;
  retry(row: R, at: number, attempts: number): Promise<void>;
  /** When the earliest pending row falls due, or undefined when none is pending. */
  nextDue(): Promise<number | undefined>;
  /** Forgets rows delivered before `before`. */
  purge(before: number): Promise<void>;
}

/**
 * Exponential backoff with jitter for the attempt-th retry (1-based): the ceiling doubles from
 * `baseMs` up to `capMs`; the wait is half the ceiling plus a random half (never zero: a receiver
 * that is down is not hammered, and many senders do not retry in step).
 */
export function backoffMs(attempt: number, capMs = 30_000, random: () => number = Math.random, baseMs = 500): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The fate of a row after an attempt; `attempts` counts this one. */
export function settlementOf(outcome: Outcome, attempts: number, maxAttempts: number): Settlement {
  if (outcome.kind === 'delivered') return 'delivered';
  if (outcome.kind === 'refused') return 'refused';
  return attempts >= maxAttempts ? 'given_up' : 'retry';
}

export interface OutboxOptions<K, R extends OutboxRow<K>> {
  store: OutboxStore<K, R>;
  /** Delivers a round; one outcome per row, in order. Must not throw (a failure is an outcome). */
  deliver(rows: R[]): Promise<Outcome[]>;
  /** Attempts before a row is given up as a dead letter (default: never). */
  maxAttempts?: number;
  baseDelayMs?: number;
  capDelayMs?: number;
  /** How long delivered rows are kept (for duplicate checks, or to look at). */
  retentionMs: number;
  /** After a round: false ends the drain until the next wake (e.g. the receiver is away). */
  afterRound?(rows: R[], outcomes: Outcome[]): boolean;
  onSettled?(row: R, settlement: Settlement, outcome: Outcome, attempts: number): void;
  /** The drain itself failed (the store is unavailable); it is tried again after errorRetryMs. */
  onError?(err: unknown): void;
  errorRetryMs?: number;
  now?: () => number;
  random?: () => number;
}

export class Outbox<K, R extends OutboxRow<K>> {
  private readonly o: OutboxOptions<K, R>;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the timer set fires, on the monotonic clock (a wall clock's step must not strand a wake); meaningful while `timer` is set. */
  private timerAt = 0;
  private draining: Promise<void> | undefined;
  /** A wake came while a drain was running: drain again once it ends (it may have looked already). */
  private again = false;
  private closed = false;
  private purgedAt = -Infinity;

  constructor(options: OutboxOptions<K, R>) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  /** Drains after `delayMs`; a wake already set for sooner stands, one set for later is brought forward. */
  wake(delayMs = 0): void {
    if (this.closed) return;
    const at = performance.now() + delayMs;
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.draining) {
        this.again = true;
        return;
      }
      this.draining = this.drain()
        .catch((err: unknown) => {
          this.o.onError?.(err);
          this.wake(this.o.errorRetryMs ?? 60_000);
        })
        .finally(() => {
          this.draining = undefined;
          if (this.again) {
            this.again = false;
            this.wake(0);
          }
        });
    }, delayMs);
    this.timer.unref?.();
  }

  /** Stops waking; waits for a round in flight. What is left is sent after the next start. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.draining;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async drain(): Promise<void> {
    const { store } = this.o;
    while (!this.closed) {
      const rows = await store.claim(this.now());
      if (rows.length === 0) break;
      const outcomes = await this.o.deliver(rows);
      await Promise.all(rows.map((row, i) => this.settle(row, outcomes[i] ?? { kind: 'failed' })));
      if (this.o.afterRound && !this.o.afterRound(rows, outcomes)) break;
    }
    // Forgetting old delivered rows is not urgent: once a minute, not after every round.
    if (this.now() - this.purgedAt >= 60_000) {
      this.purgedAt = this.now();
      await store.purge(this.now() - this.o.retentionMs);
    }
    const at = await store.nextDue();
    if (at !== undefined) this.wake(Math.max(10, at - this.now()));
  }

  private async settle(row: R, outcome: Outcome): Promise<void> {
    const { store } = this.o;
    const attempts = row.attempts + 1;
    const settlement = settlementOf(outcome, attempts, this.o.maxAttempts ?? Infinity);
    this.o.onSettled?.(row, settlement, outcome, attempts);
    if (settlement === 'delivered') await store.delivered(row, this.now(), attempts);
    else if (settlement === 'refused') await store.dead(row, (outcome as { reason: string }).reason, attempts);
    else if (settlement === 'given_up') await store.dead(row, `no answer after ${attempts} attempts`, attempts);
    else await store.retry(row, this.now() + backoffMs(attempts, this.o.capDelayMs, this.o.random, this.o.baseDelayMs), attempts);
  }
}
