// A connect-es Transport for Connect unary calls in binary (application/proto) over one plain POST
// function: what a server-side caller on a hot path needs (the edge's calls to the core), without
// the general transports' per-call machinery (Headers objects, linked abort signals, async-iterable
// bodies, interceptors, compression negotiation), which costs about 46 µs of CPU per call on its own
// (docs/clients.md). Messages are protobuf-es's (toBinary / fromBinary); errors are connect-es's
// ConnectError, read from Connect's JSON error body with connect-es's own parser, or from the HTTP
// status by Connect's table when the body has none; Cadence's own `field` of that body, which the
// standard parser drops, is kept in the error's metadata as `cadence-field`. No streaming, no GET,
// no compression.
import { create, fromBinary, isMessage, toBinary, type DescMessage, type DescMethodUnary, type JsonValue, type MessageInitShape } from '@bufbuild/protobuf';
import { Code, ConnectError, type Transport, type UnaryResponse } from '@connectrpc/connect';
import { codeFromHttpStatus, errorFromJson } from '@connectrpc/connect/protocol-connect';

/** One POST of bytes, answered with its status, content type and body; rejects only when no answer came. */
export type BytesPost = (url: string, headers: Readonly<Record<string, string>>, body: Uint8Array, signal: AbortSignal) => Promise<{ status: number; contentType: string; body: Uint8Array }>;

/**
 * BytesPost over a fetch function (the runtime's own by default). Pass client/index.ts's
 * workersFetch to have a redirect answered as the error it is rather than followed (the edge does).
 */
export function fetchBytesPost(doFetch: typeof fetch = fetch): BytesPost {
  return async (url, headers, body, signal) => {
    const res = await doFetch(url, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer>, signal });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: new Uint8Array(await res.arrayBuffer()) };
  };
}

export interface UnaryTransportOptions {
  baseUrl: string;
  post?: BytesPost;
  /** Each call's deadline unless the call names one (connect-timeout-ms; the call aborts past it). */
  timeoutMs?: number;
  /** Sent with every call (e.g. x-api-key); a call's own headers are added to them. */
  headers?: Record<string, string>;
}

const EMPTY = new Headers();

export function createUnaryTransport(options: UnaryTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const post = options.post ?? fetchBytesPost();
  const fixed = { 'content-type': 'application/proto', 'connect-protocol-version': '1', ...options.headers };
  return {
    async unary<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, signal: AbortSignal | undefined, timeoutMs: number | undefined, header: HeadersInit | undefined, input: MessageInitShape<I>): Promise<UnaryResponse<I, O>> {
      if (signal?.aborted) throw ConnectError.from(signal.reason, Code.Canceled); // as connect-es's transports: nothing is sent
      const message = isMessage(input, method.input) ? input : create(method.input, input);
      const ms = timeoutMs ?? options.timeoutMs;
      const headers: Record<string, string> = header ? { ...fixed, ...Object.fromEntries(new Headers(header)) } : { ...fixed };
      if (ms !== undefined) headers['connect-timeout-ms'] = String(ms);
      // A timer cleared on completion, not AbortSignal.timeout: that one keeps the signal, and the
      // finished call through its listeners, alive until it fires. At hundreds of calls a second
      // those survivors were promoted by every scavenge (3-9 ms pauses on Node).
      const abort = new AbortController();
      const onAbort = () => abort.abort(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = ms === undefined ? undefined : setTimeout(() => abort.abort(new ConnectError(`no answer within ${ms} ms`, Code.DeadlineExceeded, undefined, undefined, new DOMException(`no answer within ${ms} ms`, 'TimeoutError'))), ms);
      let res: Awaited<ReturnType<BytesPost>>;
      try {
        res = await post(`${base}/${method.parent.typeName}/${method.name}`, headers, toBinary(method.input, message), abort.signal);
      } catch (err) {
        throw abort.signal.aborted ? ConnectError.from(abort.signal.reason) : new ConnectError(`core unreachable: ${(err as Error).message}`, Code.Unavailable, undefined, undefined, err);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      if (res.status === 200 && res.contentType.startsWith('application/proto')) {
        let out;
        try {
          out = fromBinary(method.output, res.body);
        } catch (err) {
          throw new ConnectError(`the answer is not a ${method.output.typeName}: ${(err as Error).message}`, Code.Internal, undefined, undefined, err);
        }
        return { stream: false, service: method.parent, method, header: EMPTY, trailer: EMPTY, message: out };
      }
      // Connect's error JSON when there is one; otherwise the status says it (an error page from a proxy).
      const fallback = new ConnectError(`HTTP ${res.status}`, res.status === 200 ? Code.Internal : codeFromHttpStatus(res.status));
      if (!res.contentType.startsWith('application/json')) throw fallback;
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(res.body));
      } catch {
        throw fallback;
      }
      const field = (json as { field?: unknown } | null)?.field;
      throw errorFromJson(json as JsonValue, typeof field === 'string' ? { 'cadence-field': field } : undefined, fallback);
    },
    stream() {
      return Promise.reject(new ConnectError('streaming calls need a general transport (createGrpcTransport, createConnectTransport)', Code.Unimplemented));
    },
  };
}
