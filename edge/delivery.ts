// How an accepted batch reaches the core without loss: the request hands it to a durable Delivery
// (a spool file on Node, a Cloudflare Queue on workerd) and answers at once; a background sender
// or queue consumer then calls the core, retrying with backoff until it is stored.
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { CadenceError, Code } from '../lib/errors.ts';
import { toWireAssessment, toWireBatch } from '../lib/wire.ts';
import type { EventBatch } from '../scoring/batch.ts';
import type { Assessment } from '../scoring/prescore.ts';

export interface Delivery {
  /**
   * Durably takes the batch for delivery; resolves once it can no longer be lost. `duplicate` is
   * true when this batch id was already accepted (within the delivery's memory of ids).
   */
  accept(batchId: string, request: IngestBatchRequestInit): Promise<{ duplicate: boolean }>;
}

export function ingestRequest(batch: EventBatch, assessment: Assessment, receivedAtMs: number): IngestBatchRequestInit {
  return { batch: toWireBatch(batch), edgeAssessment: toWireAssessment(assessment), receivedAtMs };
}

/**
 * Errors that retrying cannot fix go to the dead letters; everything else is retried. The core
 * refuses for good a malformed batch, a reused batch id, a batch for an ended or expired session
 * (FAILED_PRECONDITION) and one from a device the session is not bound to (PERMISSION_DENIED).
 */
export function isPermanent(err: unknown): boolean {
  const e = CadenceError.from(err);
  // A refused service key is this edge's configuration, not the batch: keep retrying until fixed.
  if (e.field === 'x-api-key') return false;
  return (
    e.code === Code.INVALID_ARGUMENT ||
    e.code === Code.ALREADY_EXISTS ||
    e.code === Code.FAILED_PRECONDITION ||
    e.code === Code.PERMISSION_DENIED
  );
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... capped at `capMs`. */
export function backoffMs(attempt: number, capMs = 30_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Remembers recently accepted batch ids, bounded in size (least recently seen evicted first). */
export class RecentIds {
  private readonly ids = new Map<string, true>();
  constructor(private readonly max = 50_000) {}

  /** Records the id; returns true if it was already there. */
  seen(id: string): boolean {
    const had = this.ids.delete(id);
    this.ids.set(id, true);
    if (this.ids.size > this.max) this.ids.delete(this.ids.keys().next().value!);
    return had;
  }

  forget(id: string): void {
    this.ids.delete(id);
  }
}
