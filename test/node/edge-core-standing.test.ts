// The core's word reaches the answers of a page that only POSTs (no stream open): the standing the
// core answers with, for each batch an edge forwards (IngestBatch / IngestBatches), raises that
// edge's mirror, so the session's next answer carries it. Two Node edges share one core, as behind a
// load balancer: each sees half of a bot's windows, neither enough to challenge alone; the core sees
// them all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';
import { batch, typing } from '../helpers/batches.ts';
import { grpcClients } from '../helpers/grpc-client.ts';
import { eventually } from '../helpers/core-clients.ts';

let dir: string;
let core: CoreProcess;
const edges: EdgeProcess[] = [];
let client: ReturnType<typeof grpcClients>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-edge-core-'));
  core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`,
    CADENCE_GRPC_PORT: String(await freePort()),
    CADENCE_HTTP_PORT: String(await freePort()),
    CADENCE_LOG_LEVEL: 'warn',
  });
  for (const name of ['a', 'b']) {
    edges.push(await startEdge('node', {
      coreUrl: core.httpUrl,
      vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RETRY_CAP_MS: '500', CADENCE_SPOOL_URL: `file:${path.join(dir, `spool-${name}.db`)}` },
    }));
  }
  client = grpcClients(`127.0.0.1:${core.grpcPort}`);
}, 90_000);

afterAll(async () => {
  client?.close();
  await Promise.all(edges.map((e) => e.stop()));
  await core?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = async (edge: EdgeProcess, body: unknown) => {
  const res = await fetch(`${edge.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
/** The core's view of the session once it holds `batches` of its batches. */
const risk = (sessionId: string, batches: number) =>
  eventually(async () => {
    const r: any = await client.getSessionRisk({ sessionId }).catch(() => undefined);
    return r && Number(r.batchCount) >= batches ? r : undefined;
  }, 20_000);

describe("the core's standing in a POST-only session's answers", () => {
  it("a bot's windows split over two edges: neither edge alone challenges, the core does, and the next answer of either edge says so", async () => {
    const [a, b] = edges as [EdgeProcess, EdgeProcess];
    // Keys held 5-15 ms: one such window is monitor; two in one session challenge.
    const quick = typing({ hold: 8, gap: 120, jitter: 0.4, seed: 5 });
    const first = batch({ events: quick });
    expect((await post(a, first)).body).toMatchObject({ decision: 'monitor', standing: 'monitor' });
    const sessionId = first.sessionId;
    // The core has the first window before the second reaches it through the other edge.
    await risk(sessionId, 1);
    const second = await post(b, { ...first, batchId: `${first.batchId}-2`, seq: 1 });
    // Edge b has seen one such window: monitor.
    expect(second.body).toMatchObject({ decision: 'monitor', standing: 'monitor' });
    // The core, with both, challenges; once b hears the core's answer for the batch it forwarded, a
    // clean window posted to b is answered with the session's challenge and the core's reasons.
    let seq = 2;
    const answer = await eventually(async () => {
      const r = await post(b, batch({ sessionId, seq, batchId: `${first.batchId}-${seq++}`, events: typing({ seed: seq }) }));
      return r.body.standing === 'challenge' ? r : undefined;
    }, 20_000, 200);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ decision: 'challenge', standing: 'challenge', requiredAction: 'verify_mpin' });
    expect(answer.body.windowScore).toBeLessThan(0.5);
    expect(answer.body.reasons).toEqual(expect.arrayContaining(['implausible_holds']));
    expect((await risk(sessionId, 2)).standing.level).toBe('STANDING_LEVEL_CHALLENGE');
  }, 60_000);
});
