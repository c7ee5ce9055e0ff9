// Checks a protobuf message's bytes before protobufjs decodes them: protobufjs reads a truncated
// string or bytes field as whatever bytes follow (`0a 10 61 62 63` decodes as "abc"), replaces
// invalid UTF-8 silently, keeps enum numbers no value has, and rounds 64-bit integers above 2^53
// (handlers take them as numbers). Each of these is refused with the field named, on both faces.
import { isUtf8 } from 'node:buffer';
import protobuf from 'protobufjs';

export interface WireProblem {
  /** Dotted path of camelCase field names, as CadenceError.field (index-free for repeated fields). */
  field: string;
  message: string;
}

const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

class Bad {
  constructor(readonly path: string[], readonly message: string) {}
}

export function checkWire(type: protobuf.Type, bytes: Uint8Array): WireProblem | undefined {
  try {
    walk(type, bytes, 0, bytes.length);
    return undefined;
  } catch (err) {
    if (!(err instanceof Bad)) throw err;
    return { field: err.path.reverse().join('.') || '(message)', message: err.message };
  }
}

// The reader's state: the position, the last varint read and whether it was exact. Module-level
// (the check is synchronous) so that reading a varint allocates nothing: a 500-event batch has
// thousands of them.
let pos = 0;
let val = 0;
let exact = true;

/** Reads a varint at `pos` into `val`, advancing `pos`. */
function varint(buf: Uint8Array, end: number): void {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new Bad([], 'the message is truncated (a varint runs past its end)');
    const b = buf[pos++]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) {
      val = value;
      exact = value <= Number.MAX_SAFE_INTEGER;
      return;
    }
  }
  throw new Bad([], 'malformed varint (longer than 10 bytes)');
}

function walk(type: protobuf.Type, buf: Uint8Array, start: number, end: number): void {
  const byId = type.fieldsById; // a getter: read once per message
  pos = start;
  while (pos < end) {
    varint(buf, end);
    const wire = val & 7;
    const field = byId[val < 0x80000000 ? val >>> 3 : Math.floor(val / 8)];
    try {
      value(field, wire, buf, end);
    } catch (err) {
      if (err instanceof Bad && field) err.path.push(field.name);
      throw err;
    }
  }
}

/** Checks the value of `field` (undefined: an unknown field, skipped) at `pos`, advancing past it. */
function value(field: protobuf.Field | undefined, wire: number, buf: Uint8Array, end: number): void {
  switch (wire) {
    case 0:
      varint(buf, end);
      if (field) scalar(field, val, exact);
      return;
    case 1:
    case 5:
      pos += wire === 1 ? 8 : 4;
      if (pos > end) throw new Bad([], 'the message is truncated (a fixed-width field runs past its end)');
      return;
    case 2: {
      varint(buf, end);
      const len = val;
      const next = pos + len;
      if (next > end) throw new Bad([], `the message is truncated (a field of ${len} bytes has ${end - pos} left)`);
      if (field) delimited(field, buf, pos, next);
      pos = next;
      return;
    }
    default:
      throw new Bad([], `unsupported wire type ${wire} (groups are not used by Cadence's messages)`);
  }
}

const LONG_RANGE = "(Cadence's 64-bit fields are milliseconds and counts, exact up to 2^53)";

// What a varint of each field needs checked, worked out once per field (kept on the field).
const KIND = Symbol('wire check kind');
const enum Kind { Plain, Enum, Uint64, Int64, Sint64 }
type Kinded = protobuf.Field & { [KIND]?: Kind };

function kindOf(field: Kinded): Kind {
  if (field[KIND] !== undefined) return field[KIND];
  if (!field.resolved) field.resolve();
  const kind = field.resolvedType instanceof protobuf.Enum ? Kind.Enum
    : field.type === 'uint64' ? Kind.Uint64 : field.type === 'int64' ? Kind.Int64 : field.type === 'sint64' ? Kind.Sint64 : Kind.Plain;
  return (field[KIND] = kind);
}

function scalar(field: protobuf.Field, v: number, exact: boolean): void {
  switch (kindOf(field)) {
    case Kind.Plain:
      return;
    case Kind.Enum: {
      const values = (field.resolvedType as protobuf.Enum).valuesById;
      const n = v >= 2 ** 63 ? v - 2 ** 64 : v; // negative enum numbers are sent as 10-byte varints
      if (!(n in values)) throw new Bad([], `unknown ${field.resolvedType!.name} value ${n}`);
      return;
    }
    // protobufjs would round these to the nearest double: refused rather than changed.
    case Kind.Uint64:
      if (!exact) throw new Bad([], `must be at most 2^53 - 1 ${LONG_RANGE}`);
      return;
    case Kind.Int64: // above 2^53, or below -2^53 (two's complement)
      if (!exact && v < 2 ** 64 - 2 ** 53) throw new Bad([], `must be between -(2^53 - 1) and 2^53 - 1 ${LONG_RANGE}`);
      return;
    case Kind.Sint64:
      if (v > 2 * Number.MAX_SAFE_INTEGER + 1) throw new Bad([], `must be between -(2^53 - 1) and 2^53 - 1 ${LONG_RANGE}`);
  }
}

function delimited(field: protobuf.Field, buf: Uint8Array, start: number, end: number): void {
  if (!field.resolved) field.resolve();
  if (field.map) return mapEntry(field as unknown as protobuf.MapField & protobuf.Field, buf, start, end);
  if (field.resolvedType instanceof protobuf.Type) return walk(field.resolvedType, buf, start, end);
  if (field.type === 'string') return utf8(buf, start, end);
  if (field.repeated && field.type !== 'bytes') {
    // Packed repeated scalars: varints for enums and integers, checked one by one.
    const wire = ['double', 'fixed64', 'sfixed64'].includes(field.type) ? 1 : ['float', 'fixed32', 'sfixed32'].includes(field.type) ? 5 : 0;
    pos = start;
    while (pos < end) value(field, wire, buf, end);
  }
}

function utf8(buf: Uint8Array, start: number, end: number): void {
  let i = start;
  while (i < end && buf[i]! < 0x80) i++; // ASCII (most text here) needs no more
  if (i < end && !isUtf8(buf.subarray(i, end))) throw new Bad([], 'is not valid UTF-8');
}

/** A map entry is a message { key = 1; value = 2 }. */
function mapEntry(field: protobuf.MapField & protobuf.Field, buf: Uint8Array, start: number, end: number): void {
  pos = start;
  while (pos < end) {
    varint(buf, end);
    const which = Math.floor(val / 8);
    const wire = val & 7;
    if (wire !== 2) {
      value(which === 2 && field.resolvedType instanceof protobuf.Enum ? field : undefined, wire, buf, end);
      continue;
    }
    varint(buf, end);
    const len = val;
    const next = pos + len;
    if (next > end) throw new Bad([], `the message is truncated (a field of ${len} bytes has ${end - pos} left)`);
    if (which === 1 && field.keyType === 'string') utf8(buf, pos, next);
    else if (which === 2 && field.resolvedType instanceof protobuf.Type) walk(field.resolvedType, buf, pos, next);
    else if (which === 2 && field.type === 'string') utf8(buf, pos, next);
    pos = next;
  }
}
