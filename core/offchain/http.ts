// Seed 003's HTTP contract on the core's HTTP face: POST /predict and GET /health with snake_case
// JSON, mapped to and from the same handler that serves OffchainService over gRPC.
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

export function addOffchainRoutes(app: Hono, service: OffchainService, log: Logger, observe?: (status: number, seconds: number) => void): void {
  app.post('/predict', async (c) => {
    const started = performance.now();
    const answer = (body: unknown, status: number) => {
      observe?.(status, (performance.now() - started) / 1000);
      return c.json(body, status as 200);
    };
    try {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        return answer({ code: 'invalid_argument', message: 'Content-Type must be application/json' }, 415);
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (err) {
        throw new CadenceError(Code.INVALID_ARGUMENT, `malformed JSON: ${(err as Error).message}`);
      }
      const metadata = Object.fromEntries(c.req.raw.headers.entries());
      const res = await service.predict(fromSnakeRequest(body), { metadata, signal: c.req.raw.signal });
      return answer(toSnakeResponse(res as Record<string, unknown>), 200);
    } catch (err) {
      const e = CadenceError.from(err);
      if (e.code === Code.INTERNAL) log.error('predict failed', { err: e.cause ?? e });
      if (e instanceof RateLimited) c.header('retry-after', String(e.retryAfterS));
      return answer(e.toJSON(), e.httpStatus);
    }
  });
  app.get('/health', async (c) => {
    const h = await service.health();
    return c.json(
      { status: h.status, model_loaded: h.modelLoaded, model_version: h.modelVersion, version: h.modelVersion, uptime_seconds: h.uptimeSeconds, public_key: h.publicKey },
      h.status === 'healthy' ? 200 : 503,
    );
  });
}
