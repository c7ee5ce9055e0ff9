// Validates a Predict request (the camelCase shape both faces hand to the handler) and returns it
// normalised, or the first problem as a value naming the snake_case field (as in the .proto and JSON).
import type { MeasuredFeatures } from './features.ts';

export interface OffchainLimits {
  /** Most historical_patterns accepted in one request. */
  maxPatterns: number;
  /** Most values in features.session_features. */
  maxSessionFeatures: number;
}

export const DEFAULT_OFFCHAIN_LIMITS: OffchainLimits = { maxPatterns: 100, maxSessionFeatures: 64 };

export interface Pattern extends MeasuredFeatures {
  timestamp?: number;
}

export interface PredictInput {
  did: string;
  features: MeasuredFeatures & { activityHourPreference?: number; sessionFeatures: number[] };
  historicalPatterns: Pattern[];
}

export interface Problem {
  field: string;
  message: string;
}

/** Inclusive ranges, with an exclusive lower bound where zero makes no sense (a speed, a hold). */
const MEASURED: { key: keyof MeasuredFeatures; field: string; min: number; max: number; minExclusive?: boolean }[] = [
  { key: 'typingSpeedWpm', field: 'typing_speed_wpm', min: 0, max: 300, minExclusive: true },
  { key: 'avgKeyHoldTimeMs', field: 'avg_key_hold_time_ms', min: 0, max: 2000, minExclusive: true },
  { key: 'avgTransitionTimeMs', field: 'avg_transition_time_ms', min: -1000, max: 5000 },
  { key: 'errorRatePercent', field: 'error_rate_percent', min: 0, max: 100 },
];

/** A DID as used on Substrate chains (did:method:id, 0x… account, SS58): printable ASCII, no spaces. */
const DID_PATTERN = /^[\x21-\x7e]{1,128}$/;
const MAX_UNIX_SECONDS = 1e11;

type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };
const fail = (field: string, message: string): { ok: false; problem: Problem } => ({ ok: false, problem: { field, message } });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function measured(raw: Record<string, unknown>, prefix: string): Result<MeasuredFeatures> {
  const out: Partial<MeasuredFeatures> = {};
  for (const m of MEASURED) {
    const v = raw[m.key];
    const field = `${prefix}.${m.field}`;
    if (v === undefined || v === null) return fail(field, 'is required');
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(field, 'must be a finite number');
    const low = m.minExclusive ? v <= m.min : v < m.min;
    if (low || v > m.max) return fail(field, `must be ${m.minExclusive ? 'above' : 'at least'} ${m.min} and at most ${m.max}, got ${v}`);
    out[m.key] = v;
  }
  return { ok: true, value: out as MeasuredFeatures };
}

export function validatePredict(raw: unknown, limits: OffchainLimits = DEFAULT_OFFCHAIN_LIMITS): Result<PredictInput> {
  if (!isRecord(raw)) return fail('', 'the request must be an object');
  const did = raw.did;
  if (typeof did !== 'string' || did.length === 0) return fail('did', 'is required');
  if (!DID_PATTERN.test(did)) return fail('did', 'must be 1-128 printable ASCII characters without spaces');

  if (raw.features === undefined || raw.features === null) return fail('features', 'is required');
  if (!isRecord(raw.features)) return fail('features', 'must be an object');
  const f = measured(raw.features, 'features');
  if (!f.ok) return f;
  const hour = raw.features.activityHourPreference;
  if (hour !== undefined && hour !== null && (typeof hour !== 'number' || !(hour >= 0 && hour < 24))) {
    return fail('features.activity_hour_preference', 'must be a number in [0, 24)');
  }
  const session = raw.features.sessionFeatures ?? [];
  if (!Array.isArray(session)) return fail('features.session_features', 'must be an array of numbers');
  if (session.length > limits.maxSessionFeatures) return fail('features.session_features', `at most ${limits.maxSessionFeatures} values, got ${session.length}`);
  const bad = session.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) return fail(`features.session_features.${bad}`, 'must be a finite number');

  const patternsRaw = raw.historicalPatterns ?? [];
  if (!Array.isArray(patternsRaw)) return fail('historical_patterns', 'must be an array');
  if (patternsRaw.length > limits.maxPatterns) return fail('historical_patterns', `at most ${limits.maxPatterns} patterns, got ${patternsRaw.length}`);
  const patterns: Pattern[] = [];
  for (const [i, p] of patternsRaw.entries()) {
    const prefix = `historical_patterns.${i}`;
    if (!isRecord(p)) return fail(prefix, 'must be an object');
    const m = measured(p, prefix);
    if (!m.ok) return m;
    const ts = p.timestamp;
    if (ts !== undefined && ts !== null && (typeof ts !== 'number' || !Number.isInteger(ts) || ts < 0 || ts > MAX_UNIX_SECONDS)) {
      return fail(`${prefix}.timestamp`, 'must be Unix seconds (a non-negative integer)');
    }
    patterns.push(ts === undefined || ts === null ? m.value : { ...m.value, timestamp: ts });
  }
  const features: PredictInput['features'] = { ...f.value, sessionFeatures: session as number[] };
  if (typeof hour === 'number') features.activityHourPreference = hour;
  return { ok: true, value: { did, features, historicalPatterns: patterns } };
}
