// The Connect protocol's unary envelope on the HTTP face: which codec (JSON or binary protobuf),
// which compression (identity, gzip, br), and the deadline (connect-timeout-ms). Each refusal is
// the one the Connect specification names, so connect-es, connect-go and buf curl read it as such.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { CadenceError, Code } from '../../lib/errors.ts';

export type Codec = 'json' | 'proto';

/** `application/json` (a charset, if any, must be UTF-8) or `application/proto`; undefined otherwise (HTTP 415). */
export function codecOf(contentType: string | undefined): Codec | undefined {
  const m = /^application\/(json|proto)\s*(?:;\s*charset\s*=\s*"?([\w-]+)"?\s*)?$/i.exec(contentType?.trim() ?? '');
  if (!m || (m[2] && !/^utf-?8$/i.test(m[2]))) return undefined;
  return m[1]!.toLowerCase() as Codec;
}

export const ACCEPTED_ENCODINGS = 'gzip, br';
const gunzip = promisify(zlib.gunzip);
const brotliDecompress = promisify(zlib.brotliDecompress);
const gzip = promisify(zlib.gzip);

/** The request body, decompressed as Content-Encoding says, at most `maxBytes` once decompressed. */
export async function decompress(body: Uint8Array, encoding: string | undefined, maxBytes: number): Promise<Uint8Array> {
  const name = encoding?.trim().toLowerCase() ?? '';
  if (name === '' || name === 'identity') return body;
  if (name !== 'gzip' && name !== 'br') {
    throw new CadenceError(Code.UNIMPLEMENTED, `content-encoding "${encoding}" is not supported (supported: identity, ${ACCEPTED_ENCODINGS})`, 'content-encoding');
  }
  try {
    return name === 'gzip' ? await gunzip(body, { maxOutputLength: maxBytes }) : await brotliDecompress(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CadenceError(Code.RESOURCE_EXHAUSTED, `the request is larger than ${maxBytes} bytes once decompressed`);
    }
    throw new CadenceError(Code.INVALID_ARGUMENT, `the request body is not valid ${name}: ${(err as Error).message}`, 'content-encoding');
  }
}

/** connect-es and connect-go compress answers from 1 KiB on; smaller ones gain nothing. */
const COMPRESS_FROM = 1024;

/** The answer's body and Content-Encoding: gzip when the caller accepts it and it is worth it. */
export async function compress(body: Uint8Array, acceptEncoding: string | undefined): Promise<{ body: Uint8Array; encoding?: string }> {
  if (body.length < COMPRESS_FROM || !acceptEncoding || !/(^|,)\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*($|,))[\d.]+\s*)?($|,)/i.test(acceptEncoding)) return { body };
  return { body: await gzip(body), encoding: 'gzip' };
}

/** connect-timeout-ms: at most 10 digits (the specification); undefined when absent. */
export function timeoutOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (!/^\d{1,10}$/.test(header)) throw new CadenceError(Code.INVALID_ARGUMENT, `connect-timeout-ms must be a positive integer of at most 10 digits, not "${header.slice(0, 20)}"`, 'connect-timeout-ms');
  return Number(header);
}

/** A query value's bytes: percent-escapes as bytes, '+' as a space (as Go's and the URL standard's form decoding read it). */
function queryBytes(raw: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%' && /^[\da-f]{2}$/i.test(raw.slice(i + 1, i + 3))) {
      out.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch === '+') out.push(0x20);
    else out.push(...Buffer.from(ch, 'utf8'));
  }
  return Uint8Array.from(out);
}

/**
 * A Connect GET's request, from its query (`connect=v1&encoding=json|proto&message=...&base64=1&compression=gzip`):
 * the codec (undefined for an encoding not spoken: HTTP 415) and the message's bytes, decompressed.
 */
export async function getRequestOf(search: string, maxBytes: number): Promise<{ codec: Codec | undefined; bytes: Uint8Array }> {
  const raw = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    raw.set(at < 0 ? pair : pair.slice(0, at), at < 0 ? '' : pair.slice(at + 1));
  }
  const text = (name: string) => (raw.has(name) ? Buffer.from(queryBytes(raw.get(name)!)).toString('utf8') : undefined);
  const version = text('connect');
  if (version !== undefined && version !== 'v1') throw new CadenceError(Code.INVALID_ARGUMENT, `connect must be v1, not "${version.slice(0, 20)}"`, 'connect');
  const encoding = text('encoding');
  const codec = encoding === 'json' || encoding === 'proto' ? encoding : undefined;
  let bytes = queryBytes(raw.get('message') ?? '');
  const base64 = text('base64');
  if (base64 !== undefined && base64 !== '' && base64 !== '0') {
    const s = Buffer.from(bytes).toString('latin1');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) throw new CadenceError(Code.INVALID_ARGUMENT, 'message is not base64 (base64=1)', 'message');
    bytes = Buffer.from(s, 'base64');
  }
  return { codec, bytes: await decompress(bytes, text('compression'), maxBytes) };
}
