// A minimal Connect-protocol unary client over fetch (JSON), usable in Workers and Node: the edge
// calls the core through it. Errors come back as CadenceError with the server's code.
import { CadenceError, Code, codeFromHttpStatus, codeFromName } from './errors.ts';

/**
 * One HTTP POST of a text body, answered with status and text: all the client needs of fetch, so
 * that a runtime can give a leaner one (edge/node-post.ts). Rejects only when no answer came.
 */
export type HttpPost = (url: string, headers: Readonly<Record<string, string>>, body: string, signal: AbortSignal) => Promise<{ status: number; text: string }>;

/** HttpPost through a fetch function (the runtime's own by default). */
export function fetchPost(doFetch: typeof fetch = fetch): HttpPost {
  return async (url, headers, body, signal) => {
    const res = await doFetch(url, { method: 'POST', headers, body, signal });
    return { status: res.status, text: await res.text() };
  };
}

export interface ConnectClientOptions {
  baseUrl: string;
  /** How requests go out; fetch by default. */
  post?: HttpPost;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** A message already encoded as JSON, passed through as it is. */
export class EncodedJson {
  constructor(readonly text: string) {}
}

export function createConnectClient(options: ConnectClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const post = options.post ?? fetchPost();
  const timeoutMs = options.timeoutMs ?? 5000;
  const headers = { 'content-type': 'application/json', 'connect-protocol-version': '1', 'connect-timeout-ms': String(timeoutMs), ...options.headers };
  return {
    /** `request` is the message, or its JSON already encoded (a spooled batch is sent as stored). */
    async unary<Res>(service: string, method: string, request: unknown): Promise<Res> {
      // A timer cleared on completion, not AbortSignal.timeout: that one keeps the signal, and
      // through its listeners the whole finished request, alive until it fires. At hundreds of
      // calls a second those survivors were promoted by every scavenge (3-9 ms pauses on Node).
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
      try {
        return await call<Res>(service, method, request, abort.signal);
      } finally {
        clearTimeout(timer);
      }
    },
  };

  async function call<Res>(service: string, method: string, request: unknown, signal: AbortSignal): Promise<Res> {
    let res: { status: number; text: string };
    try {
      res = await post(`${base}/${service}/${method}`, headers, request instanceof EncodedJson ? request.text : JSON.stringify(request), signal);
    } catch (err) {
      throw new CadenceError(Code.UNAVAILABLE, `core unreachable: ${(err as Error).message}`, undefined, { cause: err });
    }
    const { status, text } = res;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      if (status >= 200 && status < 300) throw new CadenceError(Code.UNAVAILABLE, `core answered ${status} with a non-JSON body`);
      body = {}; // an error page from something in between: the status says what happened
    }
    if (status >= 200 && status < 300) return body as Res;
    const err = (body ?? {}) as { code?: string; message?: string; field?: string; details?: { type?: string; debug?: { fieldViolations?: { field?: string }[] } }[] };
    // The field at fault: ours (`field`), or the first of a standard server's google.rpc.BadRequest.
    const field = err.field ?? err.details?.find((d) => d.type === 'google.rpc.BadRequest')?.debug?.fieldViolations?.[0]?.field;
    throw new CadenceError((err.code && codeFromName(err.code)) || codeFromHttpStatus(status), err.message ?? `core answered ${status}`, field);
  }
}
