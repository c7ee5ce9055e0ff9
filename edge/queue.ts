// workerd's durable Delivery: a Cloudflare Queue. The request only enqueues; the queue consumer
// calls the core, retrying with backoff, and hands what the core refuses for good to a
// dead-letter queue. Duplicate detection here is per isolate (best effort); the core's
// idempotency by batch id is what guarantees a batch is stored once.
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { CadenceError } from '../lib/errors.ts';
import { backoffMs, isPermanent, RecentIds, type Delivery } from './delivery.ts';
import type { Forwarder } from './forward.ts';

export interface QueuedBatch {
  batchId: string;
  request: IngestBatchRequestInit;
}

/** The parts of Cloudflare's Queue and MessageBatch bindings used here. */
export interface QueueProducer {
  send(body: QueuedBatch | (QueuedBatch & { reason: string }), options?: { contentType?: 'json' }): Promise<void>;
}
export interface QueueMessage {
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export function queueDelivery(queue: QueueProducer, recent = new RecentIds()): Delivery {
  return {
    async accept(batchId, request) {
      if (recent.seen(batchId)) return { duplicate: true };
      // A send can fail for a moment under load: two quick retries before the browser is told to.
      for (let attempt = 0; ; attempt++) {
        try {
          await queue.send({ batchId, request }, { contentType: 'json' });
          return { duplicate: false };
        } catch (err) {
          if (attempt >= 2) {
            recent.forget(batchId);
            throw err;
          }
          await new Promise((r) => setTimeout(r, 10 * 5 ** attempt));
        }
      }
    },
  };
}

/** Delivers without a buffer: the answer waits for the core (used when no queue is bound). */
export function directDelivery(forwarder: Forwarder): Delivery {
  return { accept: (_batchId, request) => forwarder.send(request) };
}

export async function consumeQueue(
  messages: readonly QueueMessage[],
  forwarder: Forwarder,
  deadLetters: QueueProducer | undefined,
  log: (msg: string, fields: Record<string, unknown>) => void,
  retryCapMs = 60_000,
): Promise<void> {
  await Promise.all(
    messages.map(async (msg) => {
      const body = msg.body as QueuedBatch;
      try {
        await forwarder.send(body.request);
        msg.ack();
      } catch (err) {
        const e = CadenceError.from(err);
        if (isPermanent(e) && deadLetters) {
          log('dead letter', { batchId: body.batchId, code: e.codeName, message: e.message });
          await deadLetters.send({ ...body, reason: `${e.codeName}: ${e.message}` }, { contentType: 'json' });
          msg.ack();
          return;
        }
        msg.retry({ delaySeconds: Math.max(1, Math.round(backoffMs(msg.attempts, retryCapMs) / 1000)) });
      }
    }),
  );
}
