// How an accepted batch reaches the core without loss: the request hands it to a durable Delivery
// (a spool file on Node, a Cloudflare Queue on workerd) and answers at once; a background sender
// or queue consumer then calls the core, retrying with backoff until it is stored.
import type { IngestBatchRequest } from '../client/gen/cadence/v1/ingest_pb.ts';
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { CadenceError, Code } from '../lib/errors.ts';
import type { Geo } from '../lib/geo.ts';
import { toWireAssessment, toWireBatch } from '../lib/wire.ts';
import type { EventBatch } from '../scoring/batch.ts';
import type { Assessment } from '../scoring/prescore.ts';

/** A batch's idempotency key, (session id, batch id), and the digest of its content (lib/batch-digest.ts). */
export interface BatchKey {
  sessionId: string;
  batchId: string;
  /** Hex SHA-256 of the batch's canonical JSON. */
  digest: string;
}

export interface Delivery {
  /**
   * Durably takes the batch for delivery; resolves once it can no longer be lost. `duplicate` is
   * true when this (session, batch id) was already accepted with the same digest (within the
   * delivery's memory); the same key with another digest rejects with ALREADY_EXISTS (409).
   */
  accept(key: BatchKey, request: IngestBatchRequest): Promise<{ duplicate: boolean }>;
}

/** The refusal of a reused (session, batch id) whose content differs from what was accepted under it. */
export function reusedBatchId(batchId: string): CadenceError {
  return new CadenceError(Code.ALREADY_EXISTS, `batch id ${batchId} was already accepted for this session with different content; send new content under a new batchId`, 'batchId');
}

/**
 * The request as proto3 JSON (lib/wire.ts's shape): what spool rows and queue messages held before
 * the edge sent binary. The edge builds its requests with lib/wire-es.ts's esIngestRequest.
 */
export function ingestRequest(batch: EventBatch, assessment: Assessment, receivedAtMs: number, geo?: Geo): IngestBatchRequestInit {
  const request: IngestBatchRequestInit = { batch: toWireBatch(batch), edgeAssessment: toWireAssessment(assessment), receivedAtMs };
  if (geo) request.geo = { country: geo.country ?? '', city: geo.city ?? '' };
  return request;
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

/** Exponential backoff with jitter (the shared outbox's): 0.5 s, 1 s, 2 s ... capped at `capMs`. */
export { backoffMs } from '../lib/outbox.ts';

/**
 * Remembers recently accepted batch keys (session id + batch id) with their digests, bounded in
 * size (least recently seen evicted first).
 */
export class RecentIds {
  private readonly ids = new Map<string, string>();
  constructor(private readonly max = 50_000) {}

  /**
   * Records the key with its digest if new: 'new'; 'same' if it was there with this digest (a
   * retry); 'other' if it was there with another digest (kept: the first content stays the record).
   */
  seen(key: string, digest = ''): 'new' | 'same' | 'other' {
    const had = this.ids.get(key);
    if (had !== undefined && had !== digest) return 'other';
    this.ids.delete(key);
    this.ids.set(key, digest);
    if (this.ids.size > this.max) this.ids.delete(this.ids.keys().next().value!);
    return had === undefined ? 'new' : 'same';
  }

  forget(id: string): void {
    this.ids.delete(id);
  }
}
