// `cadence bench edge-client [--batches 400] [--events 50] [--rounds 5] [--concurrency 8] [--json]`:
// whether the edge's calls to the core should go through the generated typed client (client/,
// connect-es) instead of lib/connect-client.ts, measured on the hot path they would replace:
// IngestBatch of the request the edge builds for each accepted batch (edge/delivery.ts's
// ingestRequest), against one real core (child process, libSQL file), interleaved round by round:
//   current        edge/forward.ts as the Node edge runs it (JSON text, node:http keep-alive posts)
//   typed-binary   createCadenceClients over connect-node Connect binary (fromJson, toBinary)
//   typed-json     the same with useBinaryFormat: false
//   typed-prebuilt typed-binary with the protobuf-es message built before the clock (the transport's share alone)
// Per path: this process's CPU per batch (the edge's side), the core's CPU per batch, and the p50 /
// p99 of each call, medians over the rounds. Every batch is new (new session and batch ids).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromJson, type JsonValue } from '@bufbuild/protobuf';
import { createConnectTransport } from '@connectrpc/connect-node';
import { createCadenceClients } from '../client/index.ts';
import { IngestBatchRequestSchema } from '../client/gen/cadence/v1/ingest_pb.ts';
import { startCore } from '../cli/processes.ts';
import { ingestRequest } from '../edge/delivery.ts';
import { createCoreForwarder } from '../edge/forward.ts';
import { createNodePost } from '../edge/node-post.ts';
import { sampleEvents } from './edge.ts';
import { groupCpuSeconds } from './lib/proc.ts';
import { percentiles } from './lib/paced.ts';

type Request = ReturnType<typeof ingestRequest>;
type Send = (request: Request) => Promise<unknown>;
const PREBUILT = Symbol('prebuilt');
const toMessage = (r: Request) => fromJson(IngestBatchRequestSchema, r as unknown as JsonValue);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { batches: { type: 'string', default: '400' }, events: { type: 'string', default: '50' }, rounds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '8' }, json: { type: 'boolean', default: false } },
  });
  const batches = Number(values.batches);
  const rounds = Number(values.rounds);
  const concurrency = Number(values.concurrency);
  const events = sampleEvents(Number(values.events));
  const dir = mkdtempSync(path.join(tmpdir(), 'cadence-bench-edge-client-'));
  const core = await startCore({ CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`, CADENCE_GRPC_PORT: '0', CADENCE_HTTP_PORT: '0', CADENCE_LOG_LEVEL: 'warn' });
  try {
    const forwarder = createCoreForwarder({ coreUrls: [core.httpUrl], timeoutMs: 10_000, post: createNodePost() });
    const typed = (useBinaryFormat: boolean) => createCadenceClients({ transport: createConnectTransport({ baseUrl: core.httpUrl, httpVersion: '1.1', useBinaryFormat }) });
    const binary = typed(true);
    const json = typed(false);
    const paths: Record<string, Send> = {
      current: (r) => forwarder.send(r),
      'typed-binary': (r) => binary.ingest.ingestBatch(toMessage(r), { timeoutMs: 10_000 }),
      'typed-json': (r) => json.ingest.ingestBatch(toMessage(r), { timeoutMs: 10_000 }),
      'typed-prebuilt': (r) => binary.ingest.ingestBatch((r as unknown as { [PREBUILT]: ReturnType<typeof toMessage> })[PREBUILT], { timeoutMs: 10_000 }),
    };
    const results: Record<string, { edge: number[]; core: number[]; p50: number[]; p99: number[] }> = {};
    let serial = 0;
    const pgid = core.child.pid!;
    for (let round = -1; round < rounds; round++) { // round -1 warms every path up, unrecorded
      for (const [name, send] of Object.entries(paths)) {
        // Requests built before the clock starts: the edge has built them by the time it forwards.
        const requests = Array.from({ length: batches }, () => {
          const id = `${name}-${serial++}`;
          const r = ingestRequest({ sessionId: `s-${id}`, batchId: `b-${id}`, seq: 0, consent: true, context: { deviceId: 'bench-device' }, events } as never, { score: 0.1, decision: 'allow', modelVersion: 'bench', reasons: [], judged: true } as never, Date.now());
          return name === 'typed-prebuilt' ? Object.assign(r, { [PREBUILT]: toMessage(r) }) : r;
        });
        const times: number[] = [];
        const cpu0 = process.cpuUsage();
        const core0 = groupCpuSeconds(pgid);
        let next = 0;
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (next < requests.length) {
            const r = requests[next++]!;
            const t = performance.now();
            await send(r);
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
    const summary = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, {
      edge_cpu_ms_per_batch: Math.round(median(r.edge) * 1000) / 1000,
      core_cpu_ms_per_batch: Math.round(median(r.core) * 1000) / 1000,
      p50_ms: Math.round(median(r.p50) * 100) / 100,
      p99_ms: Math.round(median(r.p99) * 100) / 100,
      edge_cpu_range: [Math.min(...r.edge), Math.max(...r.edge)].map((x) => Math.round(x * 1000) / 1000),
    }]));
    const base = summary.current!;
    for (const [name, s] of Object.entries(summary)) {
      console.log(`${name.padEnd(15)} edge CPU ${s.edge_cpu_ms_per_batch.toFixed(3)} ms/batch (${(s.edge_cpu_ms_per_batch / base.edge_cpu_ms_per_batch).toFixed(2)}x; rounds ${s.edge_cpu_range.join('-')}), core CPU ${s.core_cpu_ms_per_batch.toFixed(3)} ms/batch (${(s.core_cpu_ms_per_batch / base.core_cpu_ms_per_batch).toFixed(2)}x), p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms (${(s.p99_ms / base.p99_ms).toFixed(2)}x)`);
    }
    if (values.json) console.log(JSON.stringify({ batches, events: events.length, rounds, concurrency, summary }));
    return 0;
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
