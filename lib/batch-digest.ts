// What a batch's idempotency digest is taken over: the batch as the browser sent it (session, id,
// seq, consent, events, context), serialised canonically, so that the same browser batch gives the
// same digest however its keys were ordered and whatever the edge added (its assessment, the
// receive time). The edge (its spool and queue) and the core (batches.payload_sha256) both use it:
// the same (session, batch id) with the same digest is a retry, with another digest a conflict.
import type { EventBatch } from '../scoring/batch.ts';

/**
 * Every key a valid batch can hold, in canonical order. As JSON.stringify's replacer list it both
 * orders the keys at every level and drops anything else (a batch is validated strictly before).
 * The order is the one the core always hashed (its batch rebuilt from the wire): digests of rows
 * stored before this file existed still match a retry.
 */
const CANONICAL_KEYS = [
  'sessionId', 'batchId', 'seq', 'consent', 'events',
  'type', 't', 'keyClass', 'field', 'position', 'x', 'y', 'dx', 'dy', 'button', 'pressure', 'pointerType', 'state',
  'context', 'page', 'deviceId', 'language', 'screen', 'width', 'height',
];

/** The batch as canonical JSON (fixed key order, no whitespace, only the batch's own fields). */
export function canonicalBatch(batch: EventBatch): string {
  return JSON.stringify(batch, CANONICAL_KEYS);
}

/** Hex SHA-256 of a text: crypto.subtle, portable (workerd, browsers, Node); Node's edge passes node:crypto's instead. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** One string for the idempotency key (session id, batch id): ids never hold a space. */
export const batchKey = (sessionId: string, batchId: string): string => `${sessionId} ${batchId}`;
