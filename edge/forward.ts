// Hands accepted batches to the core over the Connect protocol. With several core instances (one
// shared database), calls go round-robin and fail over to the next instance when one is away.
import type { IngestBatchResponse } from '../gen/proto/cadence/v1/IngestBatchResponse.ts';
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import type { IngestBatchesResponse } from '../gen/proto/cadence/v1/IngestBatchesResponse.ts';
import { createConnectClient, EncodedJson, type HttpPost } from '../lib/connect-client.ts';
import { CadenceError, Code, codeFromName } from '../lib/errors.ts';
import { fromWireStanding } from '../lib/wire.ts';
import type { Standing } from '../scoring/session-standing.ts';

/**
 * The core's standing of a session after one of its batches (replay index, the user's model, the
 * stored evidence): what the edge alone cannot see, handed to the edge's mirror so that the
 * session's later answers carry it, with or without a stream open.
 */
export type OnCoreStanding = (sessionId: string, level: Standing, reasons: readonly string[]) => void;

export interface Forwarder {
  /** Calls IngestBatch on a core; rejects with a CadenceError carrying the core's code. */
  send(request: IngestBatchRequestInit): Promise<{ duplicate: boolean }>;
  /** The same with the request already encoded as JSON (as the spool keeps it). */
  sendEncoded(json: string): Promise<{ duplicate: boolean }>;
  /**
   * Several encoded requests in one IngestBatches call, answered one by one (a CadenceError for
   * each refused); the call as a whole rejects only when no core answered it. Without it, a
   * spool sends its batches one call each.
   */
  sendManyEncoded?(jsons: readonly string[]): Promise<({ duplicate: boolean } | CadenceError)[]>;
  /** True when at least one core answers its health check. */
  reachable(): Promise<boolean>;
}

/**
 * The session id of a request the edge encoded itself (JSON.stringify of ingestRequest: the batch,
 * and its sessionId, come first; the id's alphabet has no quote or backslash, parseBatch checks it).
 */
export function sessionIdOf(json: string): string | undefined {
  return /^\{"batch":\{"sessionId":"([^"\\]+)"/.exec(json)?.[1];
}

export function createCoreForwarder(options: { coreUrls: readonly string[]; timeoutMs: number; post?: HttpPost; apiKey?: string; onStanding?: OnCoreStanding }): Forwarder {
  if (options.coreUrls.length === 0) throw new Error('at least one core URL is needed');
  const headers = options.apiKey ? { 'x-api-key': options.apiKey } : undefined;
  const clients = options.coreUrls.map((url) => createConnectClient({ baseUrl: url, timeoutMs: options.timeoutMs, post: options.post, headers }));
  let next = 0;
  /** One call, round-robin, failing over to the next core while they are away. */
  async function call<Res>(method: string, request: unknown): Promise<Res> {
    const start = next++ % clients.length;
    let last: unknown;
    for (let i = 0; i < clients.length; i++) {
      try {
        return await clients[(start + i) % clients.length]!.unary<Res>('cadence.v1.IngestService', method, request);
      } catch (err) {
        // Only an instance that is away is worth trying past; any answer from a core is final.
        if (CadenceError.from(err).code !== Code.UNAVAILABLE) throw err;
        last = err;
      }
    }
    throw last;
  }
  /** Hands the core's standing of the request's session to the mirror; never throws. */
  const heard = (request: IngestBatchRequestInit | EncodedJson | string, standing: Partial<IngestBatchResponse>['standing']) => {
    if (!options.onStanding || !standing) return;
    const level = fromWireStanding(String(standing.level ?? ''));
    const sessionId = typeof request === 'string' ? sessionIdOf(request) : request instanceof EncodedJson ? sessionIdOf(request.text) : request.batch?.sessionId;
    if (level && sessionId) options.onStanding(sessionId, level, [...(standing.reasons ?? [])]);
  };
  async function send(request: IngestBatchRequestInit | EncodedJson): Promise<{ duplicate: boolean }> {
    const res = await call<Partial<IngestBatchResponse>>('IngestBatch', request);
    heard(request, res.standing);
    return { duplicate: res.duplicate === true };
  }
  const settle = (p: Promise<{ duplicate: boolean }>) => p.catch((err: unknown) => CadenceError.from(err));
  // A core from before IngestBatches answers UNIMPLEMENTED: then batches go one by one.
  let many = true;
  async function sendManyEncoded(jsons: readonly string[]): Promise<({ duplicate: boolean } | CadenceError)[]> {
    if (jsons.length === 1 || !many) return Promise.all(jsons.map((j) => settle(send(new EncodedJson(j)))));
    let res: Partial<IngestBatchesResponse>;
    try {
      // The spooled JSON is spliced in as stored: no parse and re-encode per batch.
      res = await call<Partial<IngestBatchesResponse>>('IngestBatches', new EncodedJson(`{"requests":[${jsons.join(',')}]}`));
    } catch (err) {
      if (CadenceError.from(err).code !== Code.UNIMPLEMENTED) throw err;
      many = false;
      return sendManyEncoded(jsons);
    }
    const results = res.results ?? [];
    return jsons.map((_, i) => {
      const r = results[i];
      if (r?.response) {
        heard(jsons[i]!, r.response.standing);
        return { duplicate: r.response.duplicate === true };
      }
      if (r?.error) return new CadenceError(codeFromName(r.error.code ?? '') ?? Code.UNKNOWN, r.error.message ?? 'refused by the core', r.error.field || undefined);
      return new CadenceError(Code.UNAVAILABLE, 'the core gave no answer for this batch');
    });
  }
  return {
    send,
    sendEncoded: (json) => send(new EncodedJson(json)),
    sendManyEncoded,
    async reachable() {
      const probes = options.coreUrls.map(async (url) => {
        try {
          const res = await fetch(`${url.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(1000) });
          await res.body?.cancel();
          return res.ok;
        } catch {
          return false;
        }
      });
      return (await Promise.all(probes)).some(Boolean);
    },
  };
}
