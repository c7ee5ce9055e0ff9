// The hot path of batch validation: answers only "valid or not", in place, allocating nothing.
// zod (scoring/batch.ts) stays the specification and explains what is wrong; this check is run
// first because zod builds a result object per field and a copy of every event, which at hundreds
// of batches a second was the largest share of the edge's garbage and of its GC pauses. A property
// test (test/node/batch-check.test.ts) holds the two to the same answer on valid and broken batches.
import { ENVIRONMENT_STATE, EVENT_TYPES, ID_PATTERN, INPUT_STATES, KEY_CLASSES, LIMITS, LONE_SURROGATE, POINTER_TYPES } from './batch-limits.ts';

const EVENT_TYPE_SET: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const KEY_CLASS_SET: ReadonlySet<unknown> = new Set(KEY_CLASSES);
const POINTER_TYPE_SET: ReadonlySet<unknown> = new Set(POINTER_TYPES);
const INPUT_STATE_SET: ReadonlySet<unknown> = new Set(INPUT_STATES);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= LIMITS.maxIdLength && ID_PATTERN.test(v);
const isText = (v: unknown, max: number) => typeof v === 'string' && v.length <= max && !LONE_SURROGATE.test(v);
const inRange = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isInt = (v: unknown, min: number, max: number) => inRange(v, min, max) && Number.isSafeInteger(v);
const isCoordinate = (v: unknown) => inRange(v, -LIMITS.maxCoordinate, LIMITS.maxCoordinate);

function isEvent(e: unknown): boolean {
  if (!isObject(e)) return false;
  if (!EVENT_TYPE_SET.has(e.type) || !inRange(e.t, 0, LIMITS.maxTimestampMs)) return false;
  for (const k in e) {
    const v = e[k];
    switch (k) {
      case 'type':
      case 't':
        break;
      case 'keyClass':
        if (v !== undefined && !KEY_CLASS_SET.has(v)) return false;
        break;
      case 'field':
        if (v !== undefined && !isText(v, LIMITS.maxFieldLength)) return false;
        break;
      case 'position':
        if (v !== undefined && !isInt(v, 0, 100_000)) return false;
        break;
      case 'x':
      case 'y':
      case 'dx':
      case 'dy':
        if (v !== undefined && !isCoordinate(v)) return false;
        break;
      case 'button':
        if (v !== undefined && !isInt(v, 0, 31)) return false;
        break;
      case 'pressure':
        if (v !== undefined && !inRange(v, 0, 1)) return false;
        break;
      case 'pointerType':
        if (v !== undefined && !POINTER_TYPE_SET.has(v)) return false;
        break;
      case 'state':
        if (v !== undefined && !isText(v, 32)) return false;
        break;
      default:
        return false;
    }
  }
  // Key events carry a key class (never a key value); input events how the value changed.
  if (e.type === 'input') return INPUT_STATE_SET.has(e.state);
  if (e.type === 'environment') return typeof e.state === 'string' && ENVIRONMENT_STATE.test(e.state);
  return (e.type !== 'keydown' && e.type !== 'keyup') || e.keyClass !== undefined;
}

function isContext(c: unknown): boolean {
  if (!isObject(c)) return false;
  for (const k in c) {
    const v = c[k];
    switch (k) {
      case 'page':
        if (v !== undefined && !isText(v, LIMITS.maxPageLength)) return false;
        break;
      case 'deviceId':
        if (v !== undefined && !isId(v)) return false;
        break;
      case 'language':
        if (v !== undefined && !isText(v, 35)) return false;
        break;
      case 'screen':
        if (v === undefined) break;
        if (!isObject(v) || !isInt(v.width, 0, 100_000) || !isInt(v.height, 0, 100_000)) return false;
        for (const s in v) if (s !== 'width' && s !== 'height') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True exactly when `batchSchema` (scoring/batch.ts) accepts `input`. */
export function checkBatch(input: unknown): boolean {
  if (!isObject(input)) return false;
  if (!isId(input.sessionId) || !isId(input.batchId) || !isInt(input.seq, 0, LIMITS.maxSeq) || input.consent !== true) return false;
  for (const k in input) {
    if (k === 'sessionId' || k === 'batchId' || k === 'seq' || k === 'consent' || k === 'events') continue;
    if (k === 'context') {
      if (input.context !== undefined && !isContext(input.context)) return false;
    } else return false;
  }
  const events = input.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > LIMITS.maxEvents) return false;
  let last = -Infinity;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isEvent(e)) return false;
    // Timestamps do not decrease within a batch.
    const t = (e as { t: number }).t;
    if (t < last) return false;
    last = t;
  }
  return true;
}
