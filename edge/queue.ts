// workerd's durable Delivery: a Cloudflare Queue. The request only enqueues; the queue consumer
// calls the core, retrying with backoff, and hands what the core refuses for good to a
// dead-letter queue. Idempotency is keyed by (session id, batch id) with the batch's digest. Here it
// is per isolate (best effort: a queue cannot be read back synchronously): a retry to the same
// isolate answers duplicate, the same key with other content 409. What another isolate accepted,
// or this one forgot, the core judges on delivery: a retry is stored once, other content under a
// stored key is refused (ALREADY_EXISTS) and dead-lettered with that reason, never retried.
//
// A message carries the request's binary encoding (`bytes`, structured-clone `v8` content), sent
// to the core as it is; messages queued before that carry it as proto3 JSON (`request`), converted
// on delivery.
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { CadenceError, Code } from '../lib/errors.ts';
import { batchKey } from '../lib/batch-digest.ts';
import { backoffMs, isPermanent, RecentIds, reusedBatchId, type Delivery } from './delivery.ts';
import { encodeJsonRequest, encodeRequest, type Forwarder, type StoredRequest } from './forward.ts';

export interface QueuedBatch {
  sessionId?: string;
  batchId: string;
  /** The IngestBatchRequest's binary encoding. */
  bytes?: Uint8Array;
  /** The same as proto3 JSON, in messages queued before the edge sent binary. */
  request?: IngestBatchRequestInit;
}

/** The parts of Cloudflare's Queue and MessageBatch bindings used here. */
export interface QueueProducer {
  send(body: QueuedBatch | (QueuedBatch & { reason: string }), options?: { contentType?: 'json' | 'v8' }): Promise<void>;
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
          await queue.send({ sessionId, batchId, bytes: encodeRequest(request) }, { contentType: 'v8' });
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

/** A message's request as the forwarder sends it; a CadenceError (refused for good) when it does not read as one. */
function storedOf(body: QueuedBatch): StoredRequest | CadenceError {
  if (body.bytes instanceof Uint8Array) return { sessionId: body.sessionId ?? '', bytes: body.bytes };
  try {
    return { sessionId: body.sessionId ?? body.request?.batch?.sessionId ?? '', bytes: encodeJsonRequest(body.request) };
  } catch (err) {
    return new CadenceError(Code.INVALID_ARGUMENT, `the queued request is not an IngestBatchRequest: ${(err as Error).message}`);
  }
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
        await deadLetters.send({ ...body, reason }, { contentType: body.bytes ? 'v8' : 'json' });
      } else {
        log('dead letter dropped: no DEAD_LETTERS queue is bound', { sessionId: body.sessionId, batchId: body.batchId, reason });
      }
      return msg.ack();
    }
    msg.retry({ delaySeconds: Math.max(1, Math.round(backoffMs(msg.attempts, retryCapMs) / 1000)) });
  };
  // A message that does not read as a request is settled at once (a dead letter); the others go out in order.
  const readable: { msg: QueueMessage; request: StoredRequest }[] = [];
  const unreadable: Promise<void>[] = [];
  for (const msg of messages) {
    const request = storedOf(msg.body as QueuedBatch);
    if (request instanceof CadenceError) unreadable.push(settle(msg, request));
    else readable.push({ msg, request });
  }
  await Promise.all(unreadable);
  const many = forwarder.sendManyStored;
  if (!many || readable.length === 1) {
    await Promise.all(readable.map(async ({ msg, request }) => settle(msg, await forwarder.sendStored(request).catch((err: unknown) => CadenceError.from(err)))));
    return;
  }
  // The queue's batch in IngestBatches calls of up to 64, in the order the queue gives them.
  for (let i = 0; i < readable.length; i += 64) {
    const chunk = readable.slice(i, i + 64);
    let outcomes: unknown[];
    try {
      outcomes = await many.call(forwarder, chunk.map((m) => m.request));
    } catch (err) {
      outcomes = chunk.map(() => err); // no core answered: every one is retried
    }
    await Promise.all(chunk.map(({ msg }, j) => settle(msg, outcomes[j])));
  }
}
