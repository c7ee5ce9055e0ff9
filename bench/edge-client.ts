// `cadence bench edge-client [--batches 300] [--events 50] [--rounds 5] [--concurrency 8] [--paths a,b] [--in-process] [--json]`:
// the edge's IngestBatch call to the core through the generated typed client (client/, connect-es)
// and the alternatives it was chosen over, for the request the edge builds for each accepted batch,
// against one real core (child process, libSQL file), interleaved round by round:
//   current              edge/forward.ts as the Node edge's spool runs it: lib/wire-es.ts's message,
//                        toBinary once (what the spool stores), the stored bytes sent as they are
//                        (typed client, client/unary-transport.ts over node:http keep-alive posts)
//   json-text            what the edge sent before (its former lib/connect-client.ts): the JSON-shaped
//                        request (lib/wire.ts) as JSON text, Connect JSON, the answer parsed, over
//                        the same node:http posts: binary against JSON on the core's side too
//   typed-connect-node   createCadenceClients over connect-node's Connect binary transport (fromJson, toBinary)
//   typed-unary          createCadenceClients over client/unary-transport.ts, node:http (fromJson, toBinary)
//   typed-unary-built    the same with the message built by lib/wire-es.ts from the edge's batch
//                        (in the clock), in place of the JSON-shaped request and fromJson
//   typed-unary-prebuilt the same with the protobuf-es message built before the clock
// Per path: this process's CPU per batch (the edge's side), the core's CPU per batch, and the p50 /
// p99 of each call, medians over the rounds, and the median of each round's ratio to `current`
// (the paired figure, steadier on a shared machine). Every batch is new (new session and batch ids).
// --in-process: no network and no core; the CPU of each step of a call per 50-event request, with
// a canned answer in place of the HTTP post (where the typed client's cost goes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { create, fromJson, toBinary, toJsonString, type JsonValue } from '@bufbuild/protobuf';
import { createTransport } from '@connectrpc/connect/protocol-connect';
import type { UniversalClientFn } from '@connectrpc/connect/protocol';
import { createConnectTransport } from '@connectrpc/connect-node';
import { createCadenceClients } from '../client/index.ts';
import { createUnaryTransport } from '../client/unary-transport.ts';
import { IngestBatchRequestSchema, IngestBatchResponseSchema } from '../client/gen/cadence/v1/ingest_pb.ts';
import { startCore } from '../cli/processes.ts';
import { ingestRequest } from '../edge/delivery.ts';
import { createCoreForwarder, encodeRequest } from '../edge/forward.ts';
import { createNodeBytesPost } from '../edge/node-post.ts';
import { esIngestRequest } from '../lib/wire-es.ts';
import type { Assessment } from '../scoring/prescore.ts';
import { sampleEvents } from './edge.ts';
import { groupCpuSeconds } from './lib/proc.ts';
import { percentiles } from './lib/paced.ts';

type Request = ReturnType<typeof ingestRequest>;
type Send = (request: Request) => Promise<unknown>;
const PREBUILT = Symbol('prebuilt');
const toMessage = (r: Request) => fromJson(IngestBatchRequestSchema, r as unknown as JsonValue);
const prebuilt = (r: Request) => (r as unknown as { [PREBUILT]: ReturnType<typeof toMessage> })[PREBUILT];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const ASSESSMENT: Assessment = { score: 0.1, decision: 'allow', modelVersion: 'bench', reasons: [], judged: true };
const batchOf = (events: ReturnType<typeof sampleEvents>, id: string) => ({ sessionId: `s-${id}`, batchId: `b-${id}`, seq: 0, consent: true as const, context: { deviceId: 'bench-device' }, events });
const makeRequest = (events: ReturnType<typeof sampleEvents>, id: string) => Object.assign(ingestRequest(batchOf(events, id), ASSESSMENT, Date.now()), { [BATCH]: batchOf(events, id) });
const BATCH = Symbol('batch');
const batchOfRequest = (r: Request) => (r as unknown as { [BATCH]: ReturnType<typeof batchOf> })[BATCH];
const built = (r: Request) => esIngestRequest(batchOfRequest(r), ASSESSMENT, Date.now());

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      batches: { type: 'string', default: '300' }, events: { type: 'string', default: '50' }, rounds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '8' },
      paths: { type: 'string' }, 'in-process': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    },
  });
  const events = sampleEvents(Number(values.events));
  if (values['in-process']) return inProcess(events, values.json);
  const batches = Number(values.batches);
  const rounds = Number(values.rounds);
  const concurrency = Number(values.concurrency);
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-bench-edge-client-'));
  const core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
  try {
    const forwarder = createCoreForwarder({ coreUrls: [core.httpUrl], timeoutMs: 10_000, post: createNodeBytesPost() });
    const connectNode = createCadenceClients({ transport: createConnectTransport({ baseUrl: core.httpUrl, httpVersion: '1.1', useBinaryFormat: true }) });
    const unary = createCadenceClients({ transport: createUnaryTransport({ baseUrl: core.httpUrl, post: createNodeBytesPost(), timeoutMs: 10_000 }) });
    const post = createNodeBytesPost();
    const jsonHeaders = { 'content-type': 'application/json', 'connect-protocol-version': '1', 'connect-timeout-ms': '10000' };
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const paths: Record<string, Send> = {
      current: (r) => forwarder.sendStored({ sessionId: r.batch!.sessionId!, bytes: encodeRequest(built(r)) }),
      'json-text': async (r) => {
        const res = await post(`${core.httpUrl}/cadence.v1.IngestService/IngestBatch`, jsonHeaders, encoder.encode(JSON.stringify(ingestRequest(batchOfRequest(r), ASSESSMENT, Date.now()))), new AbortController().signal);
        const body = JSON.parse(decoder.decode(res.body));
        if (res.status !== 200) throw new Error(`core answered ${res.status}: ${body.message}`);
        return body;
      },
      'typed-connect-node': (r) => connectNode.ingest.ingestBatch(toMessage(r), { timeoutMs: 10_000 }),
      'typed-unary': (r) => unary.ingest.ingestBatch(toMessage(r)),
      'typed-unary-built': (r) => unary.ingest.ingestBatch(built(r)),
      'typed-unary-prebuilt': (r) => unary.ingest.ingestBatch(prebuilt(r)),
    };
    if (values.paths) for (const name of Object.keys(paths)) if (name !== 'current' && !values.paths.split(',').includes(name)) delete paths[name];
    const results: Record<string, { edge: number[]; core: number[]; p50: number[]; p99: number[] }> = {};
    let serial = 0;
    let resets = 0;
    const pgid = core.child.pid!;
    for (let round = -1; round < rounds; round++) { // round -1 warms every path up, unrecorded
      for (const [name, send] of Object.entries(paths)) {
        // Requests built before the clock starts: the edge has built them by the time it forwards.
        const requests = Array.from({ length: batches }, () => {
          const r = makeRequest(events, `${name}-${serial++}`);
          return name.endsWith('-prebuilt') ? Object.assign(r, { [PREBUILT]: toMessage(r) }) : r;
        });
        const times: number[] = [];
        const cpu0 = process.cpuUsage();
        const core0 = groupCpuSeconds(pgid);
        let next = 0;
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (next < requests.length) {
            const r = requests[next++]!;
            const t = performance.now();
            // A kept-alive socket the core closed while this path sat idle (other paths' turns)
            // fails once with a reset; the edge's spool retries such a call, and so does this.
            await send(r).catch((err: unknown) => {
              if (!/hang up|ECONNRESET|EPIPE/.test(String((err as Error)?.message ?? err))) throw err;
              resets++;
              return send(r);
            });
            times.push(performance.now() - t);
          }
        }));
        const cpu = process.cpuUsage(cpu0);
        const coreCpu = groupCpuSeconds(pgid) - core0;
        if (round < 0) continue;
        const p = percentiles(times);
        const r = (results[name] ??= { edge: [], core: [], p50: [], p99: [] });
        r.edge.push((cpu.user + cpu.system) / 1000 / batches);
        r.core.push((coreCpu * 1000) / batches);
        r.p50.push(p.p50_ms);
        r.p99.push(p.p99_ms);
      }
    }
    const base = results.current!;
    const paired = (xs: number[], of: number[]) => round3(median(xs.map((x, i) => x / of[i]!)));
    const summary = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, {
      edge_cpu_ms_per_batch: round3(median(r.edge)),
      core_cpu_ms_per_batch: round3(median(r.core)),
      p50_ms: Math.round(median(r.p50) * 100) / 100,
      p99_ms: Math.round(median(r.p99) * 100) / 100,
      edge_cpu_range: [Math.min(...r.edge), Math.max(...r.edge)].map(round3),
      paired_ratio: { edge_cpu: paired(r.edge, base.edge), core_cpu: paired(r.core, base.core), p99: paired(r.p99, base.p99) },
    }]));
    for (const [name, s] of Object.entries(summary)) {
      console.log(`${name.padEnd(21)} edge CPU ${s.edge_cpu_ms_per_batch.toFixed(3)} ms/batch (paired ${s.paired_ratio.edge_cpu.toFixed(2)}x; rounds ${s.edge_cpu_range.join('-')}), core CPU ${s.core_cpu_ms_per_batch.toFixed(3)} ms/batch (paired ${s.paired_ratio.core_cpu.toFixed(2)}x), p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms (paired ${s.paired_ratio.p99.toFixed(2)}x)`);
    }
    console.log(`calls retried after a reset kept-alive socket: ${resets}`);
    if (values.json) console.log(JSON.stringify({ batches, events: events.length, rounds, concurrency, resets, summary }));
    return 0;
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CPU of each step of one IngestBatch call, in process, with a canned answer for the post: µs per call. */
async function inProcess(events: ReturnType<typeof sampleEvents>, json: boolean): Promise<number> {
  const N = 3000;
  const reqs = Array.from({ length: N }, (_, i) => makeRequest(events, `p-${i}`));
  const msgs = reqs.map(toMessage);
  const batches = reqs.map((_, i) => batchOf(events, `p-${i}`));
  const empty = create(IngestBatchRequestSchema, {});
  const answerBin = toBinary(IngestBatchResponseSchema, create(IngestBatchResponseSchema, { duplicate: false }));
  let sink = 0;
  const cannedPost = async (_u: string, _h: unknown, body: Uint8Array) => ((sink += body.byteLength), { status: 200, contentType: 'application/proto', body: answerBin });
  const unary = createCadenceClients({ transport: createUnaryTransport({ baseUrl: 'http://core', timeoutMs: 10_000, post: cannedPost }) });
  const edgeForwarder = createCoreForwarder({ coreUrls: ['http://core'], timeoutMs: 10_000, post: cannedPost });
  // connect-es's own Connect transport (what connect-node and connect-web wrap) with a canned HTTP client.
  const canned: UniversalClientFn = async (req) => {
    for await (const c of req.body!) sink += c.byteLength;
    return { status: 200, header: new Headers({ 'content-type': 'application/proto' }), trailer: new Headers(), body: (async function* () { yield answerBin; })() };
  };
  const general = createCadenceClients({ transport: createTransport({ httpClient: canned, baseUrl: 'http://core', useBinaryFormat: true, interceptors: [], acceptCompression: [], sendCompression: null, compressMinBytes: Infinity, readMaxBytes: 0xffffffff, writeMaxBytes: 0xffffffff }) });
  const steps: [string, (i: number) => unknown][] = [
    ['the edge now: lib/wire-es.ts, toBinary (stored), sent as stored', (i) => edgeForwarder.sendStored({ sessionId: 's', bytes: encodeRequest(esIngestRequest(batches[i]!, ASSESSMENT, 1)) })],
    ['JSON.stringify of the request (what the edge sent before)', (i) => JSON.stringify(reqs[i])],
    ['fromJson (the edge\'s request to protobuf-es)', (i) => toMessage(reqs[i]!)],
    ['lib/wire-es.ts (the message built from the batch)', (i) => esIngestRequest(batches[i]!, ASSESSMENT, 1)],
    ['  lib/wire.ts (the JSON-shaped request, for comparison)', (i) => ingestRequest(batches[i]!, ASSESSMENT, 1)],
    ['toBinary (protobuf-es)', (i) => toBinary(IngestBatchRequestSchema, msgs[i]!)],
    ['toJsonString (protobuf-es: what a typed client over Connect JSON would send)', (i) => toJsonString(IngestBatchRequestSchema, msgs[i]!)],
    ['typed, connect-es Connect transport, message built', (i) => general.ingest.ingestBatch(msgs[i]!)],
    ['  the same, empty message (transport alone)', () => general.ingest.ingestBatch(empty)],
    ['typed, client/unary-transport, message built', (i) => unary.ingest.ingestBatch(msgs[i]!)],
    ['  the same, empty message (transport alone)', () => unary.ingest.ingestBatch(empty)],
    ['typed, client/unary-transport, with fromJson', (i) => unary.ingest.ingestBatch(toMessage(reqs[i]!))],
    ['typed, client/unary-transport, with lib/wire-es.ts', (i) => unary.ingest.ingestBatch(built(reqs[i]!))],
  ];
  const out: Record<string, number> = {};
  for (const [name, f] of steps) {
    for (let i = 0; i < 500; i++) await f(i);
    const runs: number[] = [];
    for (let k = 0; k < 7; k++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < N; i++) await f(i);
      const c = process.cpuUsage(c0);
      runs.push((c.user + c.system) / N);
    }
    out[name.trim()] = Math.round(median(runs) * 10) / 10;
    console.log(`${name.padEnd(52)} ${median(runs).toFixed(1)} µs CPU per call (median of 7 × ${N})`);
  }
  if (json) console.log(JSON.stringify({ events: events.length, us_per_call: out, sink: sink > 0 }));
  return 0;
}
