// `cadence bench connect-decode [--events 500] [--rounds 15] [--json]`: what the request checks of
// issue 23 cost per request, in one process, side by side, interleaved: a --events-event
// IngestBatch decoded (1) on the native gRPC face as grpc-js does (proto-loader's deserializer)
// without and with the wire check (truncation, UTF-8, enum values, 64-bit range), (2) on the
// Connect face as JSON the way the face did before (text, parse, strict check, protobufjs
// conversion) and as it does now (bytes decoded as strict UTF-8, proto names accepted), and (3) as
// binary protobuf (wire check, decode, conversion). Median ms per request over --rounds rounds.
import { parseArgs } from 'node:util';
import * as protoLoader from '@grpc/proto-loader';
import { CADENCE_PROTOS, LOADER_OPTIONS, loadProtos, PROTO_DIR } from '../core/protos.ts';
import { checkProtoJson } from '../core/transport/proto-json.ts';
import { checkWire } from '../core/transport/wire-check.ts';
import { toWireBatch } from '../lib/wire.ts';
import type { BatchEvent } from '../scoring/batch.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { events: { type: 'string', default: '500' }, rounds: { type: 'string', default: '15' }, json: { type: 'boolean', default: false } } });
  const events = Number(values.events);
  const rounds = Number(values.rounds);

  const evs: BatchEvent[] = Array.from({ length: events }, (_, i) => ({ type: i % 2 ? 'keyup' : 'keydown', t: 1000 + i * 97.5, keyClass: 'letter', field: 'note', ...(i % 2 ? {} : { position: i / 2 }) }));
  const request = { batch: toWireBatch({ sessionId: 'bench-session', batchId: 'bench-batch', seq: 0, context: { deviceId: 'bench-device', userAgent: 'bench' }, events: evs, consent: true } as never), receivedAtMs: Date.now() };

  const { root } = loadProtos();
  const type = root.lookupType('cadence.v1.IngestBatchRequest');
  const definition = protoLoader.loadSync(CADENCE_PROTOS, { ...LOADER_OPTIONS, includeDirs: [PROTO_DIR] });
  const method = (definition['cadence.v1.IngestService'] as protoLoader.ServiceDefinition).IngestBatch!;
  const binary = Buffer.from(type.encode(type.fromObject(request)).finish());
  const jsonBytes = Buffer.from(JSON.stringify(request));
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  const cases: Record<string, () => unknown> = {
    grpc_decode_before: () => method.requestDeserialize(binary),
    grpc_decode_now: () => (checkWire(type, binary), method.requestDeserialize(binary)),
    connect_json_before: () => {
      const body = JSON.parse(jsonBytes.toString());
      checkProtoJson(type, body);
      return type.toObject(type.fromObject(body), LOADER_OPTIONS);
    },
    connect_json_now: () => {
      const body = JSON.parse(utf8.decode(jsonBytes));
      checkProtoJson(type, body);
      return type.toObject(type.fromObject(body), LOADER_OPTIONS);
    },
    connect_binary_now: () => (checkWire(type, binary), type.toObject(type.decode(binary), LOADER_OPTIONS)),
  };

  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const per = 200;
  for (let r = 0; r < rounds + 2; r++) {
    for (const [name, fn] of Object.entries(cases)) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < per; i++) fn();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 / per;
      if (r >= 2) samples[name]!.push(ms); // the first two rounds warm the JIT
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const out: Record<string, number> = { events, binary_bytes: binary.length, json_bytes: jsonBytes.length };
  for (const [k, xs] of Object.entries(samples)) out[`${k}_ms`] = Math.round(median(xs) * 1000) / 1000;
  out.grpc_now_over_before = Math.round((out.grpc_decode_now_ms! / out.grpc_decode_before_ms!) * 100) / 100;
  out.json_now_over_before = Math.round((out.connect_json_now_ms! / out.connect_json_before_ms!) * 100) / 100;
  out.binary_over_json_before = Math.round((out.connect_binary_now_ms! / out.connect_json_before_ms!) * 100) / 100;
  if (!values.json) for (const [k, v] of Object.entries(out)) console.log(`${k.padEnd(26)} ${v}`);
  console.log(JSON.stringify(out));
  return 0;
}
