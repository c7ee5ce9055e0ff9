// Seed 003's HTTP contract on the core's HTTP face: POST /predict and GET /health with snake_case
// JSON, mapped to and from the same handler that serves OffchainService over gRPC.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono } from 'hono';
import { CadenceError, Code } from '../../lib/errors.ts';
import type { Logger } from '../log.ts';
import { RateLimited, type OffchainService } from './service.ts';

const FEATURE_KEYS: Record<string, string> = {
  typing_speed_wpm: 'typingSpeedWpm',
  avg_key_hold_time_ms: 'avgKeyHoldTimeMs',
  avg_transition_time_ms: 'avgTransitionTimeMs',
  error_rate_percent: 'errorRatePercent',
};
const SHAPE: Record<string, Record<string, string>> = {
  '': { did: 'did', features: 'features', historical_patterns: 'historicalPatterns' },
  features: { ...FEATURE_KEYS, activity_hour_preference: 'activityHourPreference', session_features: 'sessionFeatures' },
  historical_patterns: { ...FEATURE_KEYS, timestamp: 'timestamp' },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function renamed(obj: Record<string, unknown>, shape: Record<string, string>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const to = shape[k];
    if (!to) throw new CadenceError(Code.INVALID_ARGUMENT, 'unknown field', path ? `${path}.${k}` : k);
    out[to] = v;
  }
  return out;
}

/** seed 003's snake_case request to the handler's camelCase shape; unknown fields are refused, values checked by the handler. */
export function fromSnakeRequest(body: unknown): unknown {
  if (!isRecord(body)) throw new CadenceError(Code.INVALID_ARGUMENT, 'the body must be a JSON object');
  const req = renamed(body, SHAPE['']!, '');
  if (isRecord(req.features)) req.features = renamed(req.features, SHAPE.features!, 'features');
  if (Array.isArray(req.historicalPatterns)) {
    req.historicalPatterns = req.historicalPatterns.map((p: unknown, i) => (isRecord(p) ? renamed(p, SHAPE.historical_patterns!, `historical_patterns.${i}`) : p));
  }
  return req;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The handler's response as seed 003's snake_case JSON; the baseline enum becomes `population`, `request_history` or `did_history`. */
export function toSnakeResponse(res: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(res)) {
    if (k === 'baseline') out.baseline = String(v).replace(/^BASELINE_/, '').toLowerCase();
    else if (k === 'issuedAt') out.issued_at = Number(v);
    else if (k === 'featureImportance' && isRecord(v)) out.feature_importance = Object.fromEntries(Object.entries(v).map(([f, x]) => [snake(f), x]));
    else out[snake(k)] = v;
  }
  return out;
}

type Observe = (status: number, seconds: number) => void;

/** One POST /predict from its content type, body text and headers: the status, JSON body and extra headers. */
async function answerPredict(service: OffchainService, log: Logger, contentType: string | undefined, text: string, metadata: Record<string, string>, signal: AbortSignal): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
  try {
    if (!/^application\/json\b/i.test(contentType ?? '')) {
      return { status: 415, body: { code: 'invalid_argument', message: 'Content-Type must be application/json' } as unknown, headers: {} };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new CadenceError(Code.INVALID_ARGUMENT, `malformed JSON: ${(err as Error).message}`);
    }
    const res = await service.predict(fromSnakeRequest(body), { metadata, signal });
    return { status: 200, body: toSnakeResponse(res as Record<string, unknown>) as unknown, headers: {} };
  } catch (err) {
    const e = CadenceError.from(err);
    if (e.code === Code.INTERNAL) log.error('predict failed', { err: e.cause ?? e });
    return { status: e.httpStatus, body: e.toJSON() as unknown, headers: e instanceof RateLimited ? { 'retry-after': String(e.retryAfterS) } : {} };
  }
}

const NEVER = new AbortController().signal;

/**
 * POST /predict straight on node:http, ahead of Hono (core/main.ts): the hot path of the off-chain
 * endpoint, where building a web Request and Response for each call cost more CPU than scoring it.
 * Answers exactly as the Hono route below (same function), body limit included. Returns false for
 * any other request.
 */
export function nodePredictRoute(service: OffchainService, log: Logger, maxBodyBytes: number, observe?: Observe) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'POST' || req.url !== '/predict') return false;
    const started = performance.now();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      observe?.(status, (performance.now() - started) / 1000);
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const tooLarge = () => send(413, { code: 'resource_exhausted', message: `request body is larger than ${maxBodyBytes} bytes` }, { connection: 'close' });
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      tooLarge();
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBodyBytes) chunks.push(c);
    });
    req.on('end', () => {
      if (size > maxBodyBytes) return tooLarge();
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) metadata[k] = Array.isArray(v) ? v.join(', ') : v;
      answerPredict(service, log, req.headers['content-type'], Buffer.concat(chunks, size).toString('utf8'), metadata, NEVER).then(
        (a) => send(a.status, a.body, a.headers),
        (err: unknown) => {
          log.error('predict failed', { err });
          send(500, { code: 'internal', message: 'internal error' });
        },
      );
    });
    return true;
  };
}

export function addOffchainRoutes(app: Hono, service: OffchainService, log: Logger, observe?: Observe): void {
  app.post('/predict', async (c) => {
    const started = performance.now();
    const metadata = Object.fromEntries(c.req.raw.headers.entries());
    const a = await answerPredict(service, log, c.req.header('content-type'), await c.req.text(), metadata, c.req.raw.signal);
    observe?.(a.status, (performance.now() - started) / 1000);
    for (const [k, v] of Object.entries(a.headers)) c.header(k, v);
    return c.json(a.body, a.status as 200);
  });
  app.get('/health', async (c) => {
    const h = await service.health();
    return c.json(
      { status: h.status, model_loaded: h.modelLoaded, model_version: h.modelVersion, version: h.modelVersion, uptime_seconds: h.uptimeSeconds, public_key: h.publicKey },
      h.status === 'healthy' ? 200 : 503,
    );
  });
}
