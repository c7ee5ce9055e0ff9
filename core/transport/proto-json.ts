// Strict proto3 JSON checking against the reflected message types, before protobufjs (which
// coerces: 1.5 would become 1) converts it. Returns the dotted path and the problem, or undefined.
// Proto3 JSON lets a field be named by its proto name (`session_id`) or its JSON name
// (`sessionId`): a proto name is renamed in place to the JSON name protobufjs reads.
import protobuf from 'protobufjs';

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);
const FLOAT = new Set(['double', 'float']);

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface JsonProblem {
  field: string;
  message: string;
}

function integerProblem(v: unknown, min: number, max: number): string | undefined {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) return 'expected an integer';
  return n < min || n > max ? `must be between ${min} and ${max}` : undefined;
}

function checkScalar(type: string, v: unknown, resolved: protobuf.ReflectionObject | null): string | undefined {
  if (resolved instanceof protobuf.Enum) {
    if (typeof v === 'string') return v in resolved.values ? undefined : `unknown ${resolved.name} value "${v}"`;
    if (typeof v === 'number' && Number.isInteger(v)) return v in resolved.valuesById ? undefined : `unknown ${resolved.name} value ${v}`;
    return `expected a ${resolved.name} name`;
  }
  if (INT32.has(type)) return integerProblem(v, -(2 ** 31), 2 ** 31 - 1);
  if (UINT32.has(type)) return integerProblem(v, 0, 2 ** 32 - 1);
  // Handlers take 64-bit fields as numbers (they are milliseconds and counts): beyond 2^53 they
  // would be rounded, so such values are refused rather than changed.
  if (INT64.has(type)) return integerProblem(v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (UINT64.has(type)) return integerProblem(v, 0, Number.MAX_SAFE_INTEGER);
  if (FLOAT.has(type)) {
    if (typeof v === 'number') return undefined;
    // Proto3 JSON: a number, or a string holding one (protobufjs converts it).
    return v === 'NaN' || v === 'Infinity' || v === '-Infinity' || (typeof v === 'string' && NUMERIC.test(v)) ? undefined : 'expected a number';
  }
  if (type === 'bool') return typeof v === 'boolean' ? undefined : 'expected true or false';
  if (type === 'string') {
    if (typeof v !== 'string') return 'expected a string';
    // A lone surrogate is not text: storage (a libSQL server over HTTP) and other clients refuse it.
    return LONE_SURROGATE.test(v) ? 'must be well-formed Unicode (a lone surrogate was sent)' : undefined;
  }
  if (type === 'bytes') return typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v) ? undefined : 'expected base64 bytes';
  return `unsupported field type ${type}`;
}

export function checkProtoJson(type: protobuf.Type, value: unknown, at = ''): JsonProblem | undefined {
  const p = check(type, value);
  if (!p) return undefined;
  const field = [at, ...p.path.reverse()].filter((x) => x !== '').join('.');
  return { field: field || '(body)', message: p.message };
}

/**
 * The problem with its path as segments, innermost first: built only on the way out of a bad
 * request, so a good one (every batch) allocates no path strings.
 */
interface Problem {
  path: string[];
  message: string;
}

function check(type: protobuf.Type, value: unknown): Problem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { path: [], message: `expected a JSON object (${type.name})` };
  for (const key in value) {
    // Own properties only: `__proto__` or `constructor` must not find Object.prototype's members.
    if (!Object.hasOwn(value, key)) continue;
    const v = (value as Record<string, unknown>)[key];
    let field = Object.hasOwn(type.fields, key) ? type.fields[key] : undefined;
    if (!field && key.includes('_')) {
      // The proto name: protobufjs named the field by camel-casing it, so the same conversion finds it.
      const name = protobuf.util.camelCase(key);
      field = Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
      if (field) {
        if (Object.hasOwn(value, name)) return { path: [key], message: `${key} and ${name} name the same field` };
        delete (value as Record<string, unknown>)[key];
        (value as Record<string, unknown>)[name] = v;
      }
    }
    if (!field) return { path: [key], message: `unknown field for ${type.name}` };
    if (v === null) continue; // proto3 JSON: null means the default
    field.resolve();
    let p: Problem | undefined;
    if (field.map) {
      if (typeof v !== 'object' || Array.isArray(v)) return { path: [key], message: 'expected a JSON object (map)' };
      for (const k in v) {
        if (Object.hasOwn(v, k) && (p = itemProblem(field, (v as Record<string, unknown>)[k]))) return (p.path.push(k, key), p);
      }
    } else if (field.repeated) {
      if (!Array.isArray(v)) return { path: [key], message: 'expected a JSON array' };
      for (let i = 0; i < v.length; i++) if ((p = itemProblem(field, v[i]))) return (p.path.push(String(i), key), p);
    } else if ((p = itemProblem(field, v))) return (p.path.push(key), p);
  }
  return undefined;
}

function itemProblem(field: protobuf.Field, v: unknown): Problem | undefined {
  if (field.resolvedType instanceof protobuf.Type) return check(field.resolvedType, v);
  const message = checkScalar(field.type, v, field.resolvedType);
  return message ? { path: [], message } : undefined;
}
