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

/** Reads a varint at pos; returns [value as a number (exact below 2^53, else rounded), next position, exact]. */
function varint(buf: Uint8Array, pos: number, end: number): [number, number, boolean] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new Bad([], 'the message is truncated (a varint runs past its end)');
    const b = buf[pos++]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return [value, pos, value <= Number.MAX_SAFE_INTEGER];
  }
  throw new Bad([], 'malformed varint (longer than 10 bytes)');
}

function walk(type: protobuf.Type, buf: Uint8Array, pos: number, end: number): void {
  while (pos < end) {
    let tag: number;
    [tag, pos] = varint(buf, pos, end);
    const wire = tag % 8;
    const field = type.fieldsById[Math.floor(tag / 8)];
    try {
      pos = value(field, wire, buf, pos, end);
    } catch (err) {
      if (err instanceof Bad && field) err.path.push(field.name);
      throw err;
    }
  }
}

function value(field: protobuf.Field | undefined, wire: number, buf: Uint8Array, pos: number, end: number): number {
  switch (wire) {
    case 0: {
      const [v, next, exact] = varint(buf, pos, end);
      if (field) scalar(field, v, exact);
      return next;
    }
    case 1:
    case 5: {
      const next = pos + (wire === 1 ? 8 : 4);
      if (next > end) throw new Bad([], 'the message is truncated (a fixed-width field runs past its end)');
      return next;
    }
    case 2: {
      let len: number;
      [len, pos] = varint(buf, pos, end);
      const next = pos + len;
      if (next > end) throw new Bad([], `the message is truncated (a field of ${len} bytes has ${end - pos} left)`);
      if (field) delimited(field, buf, pos, next);
      return next;
    }
    default:
      throw new Bad([], `unsupported wire type ${wire} (groups are not used by Cadence's messages)`);
  }
}

const LONG_RANGE = "(Cadence's 64-bit fields are milliseconds and counts, exact up to 2^53)";

function scalar(field: protobuf.Field, v: number, exact: boolean): void {
  field.resolve();
  if (field.resolvedType instanceof protobuf.Enum) {
    const n = v >= 2 ** 63 ? v - 2 ** 64 : v; // negative enum numbers are sent as 10-byte varints
    if (!(n in field.resolvedType.valuesById)) throw new Bad([], `unknown ${field.resolvedType.name} value ${n}`);
    return;
  }
  // protobufjs would round these to the nearest double: refused rather than changed.
  const out =
    (field.type === 'uint64' && !exact) ||
    (field.type === 'int64' && !exact && v < 2 ** 64 - 2 ** 53) || // above 2^53, or below -2^53 (two's complement)
    (field.type === 'sint64' && v > 2 * Number.MAX_SAFE_INTEGER + 1);
  if (out) throw new Bad([], `must be between -(2^53 - 1) and 2^53 - 1 ${LONG_RANGE}`);
}

function delimited(field: protobuf.Field, buf: Uint8Array, start: number, end: number): void {
  field.resolve();
  if (field.map) return mapEntry(field as unknown as protobuf.MapField & protobuf.Field, buf, start, end);
  if (field.resolvedType instanceof protobuf.Type) return walk(field.resolvedType, buf, start, end);
  if (field.type === 'string') return utf8(buf, start, end);
  if (field.repeated && field.type !== 'bytes') {
    // Packed repeated scalars: varints for enums and integers, checked one by one.
    const wire = ['double', 'fixed64', 'sfixed64'].includes(field.type) ? 1 : ['float', 'fixed32', 'sfixed32'].includes(field.type) ? 5 : 0;
    let pos = start;
    while (pos < end) pos = value(field, wire, buf, pos, end);
  }
}

function utf8(buf: Uint8Array, start: number, end: number): void {
  if (!isUtf8(buf.subarray(start, end))) throw new Bad([], 'is not valid UTF-8');
}

/** A map entry is a message { key = 1; value = 2 }. */
function mapEntry(field: protobuf.MapField & protobuf.Field, buf: Uint8Array, start: number, end: number): void {
  let pos = start;
  while (pos < end) {
    let tag: number;
    [tag, pos] = varint(buf, pos, end);
    const wire = tag % 8;
    if (wire !== 2) {
      pos = value(Math.floor(tag / 8) === 2 && field.resolvedType instanceof protobuf.Enum ? field : undefined, wire, buf, pos, end);
      continue;
    }
    let len: number;
    [len, pos] = varint(buf, pos, end);
    const next = pos + len;
    if (next > end) throw new Bad([], `the message is truncated (a field of ${len} bytes has ${end - pos} left)`);
    const which = Math.floor(tag / 8);
    if (which === 1 && field.keyType === 'string') utf8(buf, pos, next);
    else if (which === 2 && field.resolvedType instanceof protobuf.Type) walk(field.resolvedType, buf, pos, next);
    else if (which === 2 && field.type === 'string') utf8(buf, pos, next);
    pos = next;
  }
}
