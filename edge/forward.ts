// Hands accepted batches to the core over the Connect protocol. With several core instances (one
// shared database), calls go round-robin and fail over to the next instance when one is away.
import type { IngestBatchResponse } from '../gen/proto/cadence/v1/IngestBatchResponse.ts';
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { createConnectClient, EncodedJson, type HttpPost } from '../lib/connect-client.ts';
import { CadenceError, Code } from '../lib/errors.ts';

export interface Forwarder {
  /** Calls IngestBatch on a core; rejects with a CadenceError carrying the core's code. */
  send(request: IngestBatchRequestInit): Promise<{ duplicate: boolean }>;
  /** The same with the request already encoded as JSON (as the spool keeps it). */
  sendEncoded(json: string): Promise<{ duplicate: boolean }>;
  /** True when at least one core answers its health check. */
  reachable(): Promise<boolean>;
}

export function createCoreForwarder(options: { coreUrls: readonly string[]; timeoutMs: number; post?: HttpPost; apiKey?: string }): Forwarder {
  if (options.coreUrls.length === 0) throw new Error('at least one core URL is needed');
  const headers = options.apiKey ? { 'x-api-key': options.apiKey } : undefined;
  const clients = options.coreUrls.map((url) => createConnectClient({ baseUrl: url, timeoutMs: options.timeoutMs, post: options.post, headers }));
  let next = 0;
  async function send(request: IngestBatchRequestInit | EncodedJson): Promise<{ duplicate: boolean }> {
    const start = next++ % clients.length;
    let last: unknown;
    for (let i = 0; i < clients.length; i++) {
      try {
        const client = clients[(start + i) % clients.length]!;
        const res = await client.unary<Partial<IngestBatchResponse>>('cadence.v1.IngestService', 'IngestBatch', request);
        return { duplicate: res.duplicate === true };
      } catch (err) {
        // Only an instance that is away is worth trying past; any answer from a core is final.
        if (CadenceError.from(err).code !== Code.UNAVAILABLE) throw err;
        last = err;
      }
    }
    throw last;
  }
  return {
    send,
    sendEncoded: (json) => send(new EncodedJson(json)),
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
