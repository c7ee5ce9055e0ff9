// What a batch's idempotency digest is taken over: the batch as the browser sent it (session, id,
// seq, consent, events, context), serialised canonically, so that the same browser batch gives the
// same digest however its keys were ordered and whatever the edge added (its assessment, the
// receive time). The edge (its spool and queue) and the core (batches.payload_sha256) both use it:
// the same (session, batch id) with the same digest is a retry, with another digest a conflict.
import type { EventBatch } from '../scoring/batch.ts';

const json = JSON.stringify;

/**
 * The batch as canonical JSON: its own fields only, in a fixed order at every level (session, id,
 * seq, consent, events with type, t and the optional fields in schema order, context with page,
 * deviceId, language, screen), no whitespace; the text JSON.stringify gives with the keys in that
 * order (test/node/batch-digest.test.ts). The order is the one the core always hashed (its batch
 * rebuilt from the wire), so digests of rows stored before this file existed still match a retry.
 *
 * For a validated batch only (parseBatch): numbers are finite, so String() writes them as JSON does;
 * ids and enum values (type, keyClass, pointerType) hold no character JSON escapes, so they are
 * quoted as they are; free text (field, state, page, language) goes through JSON.stringify. Built by
 * concatenation, unrolled: for a 50-event batch about a third of the time of one JSON.stringify of
 * it, where JSON.stringify with a replacer list (the same text) took about three times as long.
 */
export function canonicalBatch(b: EventBatch): string {
  let s = `{"sessionId":"${b.sessionId}","batchId":"${b.batchId}","seq":${b.seq},"consent":${b.consent},"events":[`;
  const events = b.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    s += `${i === 0 ? '' : ','}{"type":"${e.type}","t":${e.t}`;
    if (e.keyClass !== undefined) s += `,"keyClass":"${e.keyClass}"`;
    if (e.field !== undefined) s += `,"field":${json(e.field)}`;
    if (e.position !== undefined) s += `,"position":${e.position}`;
    if (e.x !== undefined) s += `,"x":${e.x}`;
    if (e.y !== undefined) s += `,"y":${e.y}`;
    if (e.dx !== undefined) s += `,"dx":${e.dx}`;
    if (e.dy !== undefined) s += `,"dy":${e.dy}`;
    if (e.button !== undefined) s += `,"button":${e.button}`;
    if (e.pressure !== undefined) s += `,"pressure":${e.pressure}`;
    if (e.pointerType !== undefined) s += `,"pointerType":"${e.pointerType}"`;
    if (e.state !== undefined) s += `,"state":${json(e.state)}`;
    s += '}';
  }
  s += ']';
  const c = b.context;
  if (c !== undefined) {
    let sep = '';
    s += ',"context":{';
    if (c.page !== undefined) (s += `"page":${json(c.page)}`), (sep = ',');
    if (c.deviceId !== undefined) (s += `${sep}"deviceId":"${c.deviceId}"`), (sep = ',');
    if (c.language !== undefined) (s += `${sep}"language":${json(c.language)}`), (sep = ',');
    if (c.screen !== undefined) s += `${sep}"screen":{"width":${c.screen.width},"height":${c.screen.height}}`;
    s += '}';
  }
  return `${s}}`;
}

/** Hex SHA-256 of a text through crypto.subtle: portable (workerd, browsers, Node), asynchronous. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * node:crypto's createHash where the runtime has it (Node 20.16+ through process.getBuiltinModule,
 * with no import that would break a workerd bundle): synchronous and a few microseconds, where
 * crypto.subtle on Node queues every digest to the thread pool (about a millisecond of latency per
 * batch under load). Undefined on workerd without Node compatibility: crypto.subtle there.
 */
type NodeCrypto = { createHash(algorithm: string): { update(text: string): { digest(encoding: 'hex'): string } } };
const nodeCrypto = ((): NodeCrypto | undefined => {
  try {
    const mod = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
    return typeof mod?.createHash === 'function' ? mod : undefined;
  } catch {
    return undefined;
  }
})();
/** Which implementation `sha256` uses here, for tests and benches. */
export const sha256Implementation: 'node:crypto' | 'crypto.subtle' = nodeCrypto ? 'node:crypto' : 'crypto.subtle';

/** Hex SHA-256 of a text: synchronous through node:crypto where available, else crypto.subtle. */
export const sha256: (text: string) => string | Promise<string> = nodeCrypto
  ? (text) => nodeCrypto.createHash('sha256').update(text).digest('hex')
  : sha256Hex;

/** One string for the idempotency key (session id, batch id): ids never hold a space. */
export const batchKey = (sessionId: string, batchId: string): string => `${sessionId} ${batchId}`;
