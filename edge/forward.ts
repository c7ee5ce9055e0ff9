// Hands accepted batches to the core over the Connect protocol; the core's answer says whether the
// batch was new or a retry of one it already stored.
import type { IngestBatchResponse } from '../gen/proto/cadence/v1/IngestBatchResponse.ts';
import type { IngestBatchRequestInit } from '../gen/proto/cadence/v1/IngestBatchRequest.ts';
import { createConnectClient } from '../lib/connect-client.ts';

export interface Forwarder {
  /** Calls IngestBatch on the core; rejects with a CadenceError carrying the core's code. */
  send(request: IngestBatchRequestInit): Promise<{ duplicate: boolean }>;
  /** True when the core answers its health check. */
  reachable(): Promise<boolean>;
}

export function createCoreForwarder(options: { coreUrl: string; timeoutMs: number; fetch?: typeof fetch }): Forwarder {
  const client = createConnectClient({ baseUrl: options.coreUrl, timeoutMs: options.timeoutMs, fetch: options.fetch });
  const doFetch = options.fetch ?? fetch;
  return {
    async send(request) {
      const res = await client.unary<Partial<IngestBatchResponse>>('cadence.v1.IngestService', 'IngestBatch', request);
      return { duplicate: res.duplicate === true };
    },
    async reachable() {
      try {
        const res = await doFetch(`${options.coreUrl.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      }
    },
  };
}
