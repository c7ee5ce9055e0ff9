// workerd's durable Delivery: a Cloudflare Queue. The request only enqueues; the queue consumer
// calls the core, retrying with backoff, and hands what the core refuses for good to a
// dead-letter queue. Idempotency is keyed by (session id, batch id) with the batch's digest. Here it
// is per isolate (best effort: a queue cannot be read back synchronously): a retry to the same
// isolate answers duplicate, the same key with other content 409. What another isolate accepted,
// or this one forgot, the core judges on delivery: a retry is stored once, other content under a
// stored key is refused (ALREADY_EXISTS) and dead-lettered with that reason, never retried.
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { CadenceError } from '../lib/errors.ts';
import { batchKey } from '../lib/batch-digest.ts';
import { backoffMs, isPermanent, RecentIds, reusedBatchId, type Delivery } from './delivery.ts';
import type { Forwarder } from './forward.ts';

export interface QueuedBatch {
  sessionId?: string;
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
    async accept({ sessionId, batchId, digest }, request) {
      const key = batchKey(sessionId, batchId);
      const seen = recent.seen(key, digest);
      if (seen === 'same') return { duplicate: true };
      if (seen === 'other') throw reusedBatchId(batchId);
      // A send can fail for a moment under load: two quick retries before the browser is told to.
      for (let attempt = 0; ; attempt++) {
        try {
          await queue.send({ sessionId, batchId, request }, { contentType: 'json' });
          return { duplicate: false };
        } catch (err) {
          if (attempt >= 2) {
            recent.forget(key);
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
  return { accept: (_key, request) => forwarder.send(request) };
}

export async function consumeQueue(
  messages: readonly QueueMessage[],
  forwarder: Forwarder,
  deadLetters: QueueProducer | undefined,
  log: (msg: string, fields: Record<string, unknown>) => void,
  retryCapMs = 60_000,
): Promise<void> {
  const settle = async (msg: QueueMessage, outcome: unknown) => {
    const body = msg.body as QueuedBatch;
    if (!(outcome instanceof Error)) return msg.ack();
    const e = CadenceError.from(outcome);
    if (isPermanent(e)) {
      // Retrying cannot change the core's answer (a reused batch id, a malformed batch, a
      // refused device): kept with its reason, not retried.
      const reason = `${e.codeName}: ${e.message}`;
      if (deadLetters) {
        log('dead letter', { sessionId: body.sessionId, batchId: body.batchId, code: e.codeName, message: e.message });
        await deadLetters.send({ ...body, reason }, { contentType: 'json' });
      } else {
        log('dead letter dropped: no DEAD_LETTERS queue is bound', { sessionId: body.sessionId, batchId: body.batchId, reason });
      }
      return msg.ack();
    }
    msg.retry({ delaySeconds: Math.max(1, Math.round(backoffMs(msg.attempts, retryCapMs) / 1000)) });
  };
  const many = forwarder.sendManyEncoded;
  if (!many || messages.length === 1) {
    await Promise.all(messages.map(async (msg) => settle(msg, await forwarder.send((msg.body as QueuedBatch).request).catch((err: unknown) => CadenceError.from(err)))));
    return;
  }
  // The queue's batch in IngestBatches calls of up to 64, in the order the queue gives them.
  for (let i = 0; i < messages.length; i += 64) {
    const chunk = messages.slice(i, i + 64);
    let outcomes: unknown[];
    try {
      outcomes = await many.call(forwarder, chunk.map((m) => JSON.stringify((m.body as QueuedBatch).request)));
    } catch (err) {
      outcomes = chunk.map(() => err); // no core answered: every one is retried
    }
    await Promise.all(chunk.map((msg, j) => settle(msg, outcomes[j])));
  }
}
