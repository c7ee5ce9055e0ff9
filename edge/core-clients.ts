// The edge's calls to the core: the generated typed clients (client/) over Connect binary
// (client/unary-transport.ts), one set per core instance, round-robin, moving on to the next instance
// only while one is away. Every error comes back as a CadenceError (lib/connect-error.ts).
import { createCadenceClients, workersFetch, type CadenceClients } from '../client/index.ts';
import { createUnaryTransport, fetchBytesPost, type BytesPost } from '../client/unary-transport.ts';
import { cadenceErrorOf } from '../lib/connect-error.ts';
import { Code } from '../lib/errors.ts';

export interface CoreClientOptions {
  coreUrls: readonly string[];
  /** Each call's deadline unless the call names its own. */
  timeoutMs: number;
  /** The core's service API key (x-api-key), when it requires one. */
  apiKey?: string;
  /** How calls go out: fetch by default (workerd), edge/node-post.ts's node:http on Node. */
  post?: BytesPost;
}

export type CoreCall<T> = (core: CadenceClients) => Promise<T>;

export interface CoreClients {
  /** One call on the next core in turn, failing over while cores are away; rejects with a CadenceError. */
  call<T>(run: CoreCall<T>): Promise<T>;
  /** One call on the next core in turn, without failover; rejects with a CadenceError. */
  once<T>(run: CoreCall<T>): Promise<T>;
}

/** The runtime's fetch, with redirects answered rather than followed (and workerd's quirk, client/index.ts). */
export const defaultPost = (): BytesPost => fetchBytesPost(workersFetch);

export function createCoreClients(o: CoreClientOptions): CoreClients {
  if (o.coreUrls.length === 0) throw new Error('at least one core URL is needed');
  const post = o.post ?? defaultPost();
  const headers = o.apiKey ? { 'x-api-key': o.apiKey } : undefined;
  const cores = o.coreUrls.map((baseUrl) => createCadenceClients({ transport: createUnaryTransport({ baseUrl, post, timeoutMs: o.timeoutMs, headers }) }));
  let next = 0;
  return {
    async call<T>(run: CoreCall<T>): Promise<T> {
      const start = next++ % cores.length;
      let last: unknown;
      for (let i = 0; i < cores.length; i++) {
        try {
          return await run(cores[(start + i) % cores.length]!);
        } catch (err) {
          const e = cadenceErrorOf(err);
          // Only an instance that is away is worth trying past; any answer from a core is final.
          if (e.code !== Code.UNAVAILABLE) throw e;
          last = e;
        }
      }
      throw last;
    },
    async once<T>(run: CoreCall<T>): Promise<T> {
      try {
        return await run(cores[next++ % cores.length]!);
      } catch (err) {
        throw cadenceErrorOf(err);
      }
    },
  };
}
