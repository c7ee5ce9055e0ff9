// Issue 21 item 0: a session's standing sticks. The state machine alone, then the issue's curl
// reproduction over real sockets: the core and a Node edge as their own processes, batches posted
// over HTTP, the standing read back over native gRPC and the admin's Connect face.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCore, startEdge, type CoreProcess, type EdgeProcess } from '../../cli/processes.ts';
import { standingAfter, requiredActionOf, type StoredStanding } from '../../scoring/session-standing.ts';
import type { Decision } from '../../scoring/policy.ts';
import { batch, typing } from '../helpers/batches.ts';
import { grpcClients } from '../helpers/grpc-client.ts';
import { AdminService } from '../../client/index.ts';
import { connectTransport, unary } from '../helpers/typed-core.ts';

describe('standingAfter', () => {
  const judged = (decision: Decision) => ({ judged: true, decision });
  const unjudged = (decision: Decision) => ({ judged: false, decision });

  it('follows judged answers between allow and monitor, and rises with any answer', () => {
    expect(standingAfter('allow', judged('monitor'))).toBe('monitor');
    expect(standingAfter('monitor', judged('allow'))).toBe('allow');
    expect(standingAfter('allow', judged('challenge'))).toBe('challenge');
    expect(standingAfter('monitor', unjudged('block'))).toBe('block');
  });

  it('is never lowered by a batch without judgement', () => {
    for (const s of ['monitor', 'challenge', 'block'] as StoredStanding[]) expect(standingAfter(s, unjudged('allow'))).toBe(s);
  });

  it('holds a challenge and a block against clean judged batches; a challenge rises to block', () => {
    expect(standingAfter('challenge', judged('allow'))).toBe('challenge');
    expect(standingAfter('block', judged('allow'))).toBe('block');
    expect(standingAfter('block', judged('challenge'))).toBe('block');
    expect(standingAfter('challenge', judged('block'))).toBe('block');
  });

  it('names what the user must do', () => {
    expect(['allow', 'monitor', 'challenge', 'block', 'locked'].map((s) => requiredActionOf(s as never))).toEqual(['none', 'none', 'verify_mpin', 'login', 'contact_support']);
  });
});

const ADMIN_KEY = 'standing-test-admin-key-0123456789';
let dir: string;
let core: CoreProcess;
let edge: EdgeProcess;
let client: ReturnType<typeof grpcClients>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cadence-standing-'));
  core = await startCore({
    CADENCE_DB_URL: `file:${path.join(dir, 'core.db')}`,
    CADENCE_GRPC_PORT: String(await freePort()),
    CADENCE_HTTP_PORT: String(await freePort()),
    CADENCE_LOG_LEVEL: 'warn',
    CADENCE_ADMIN_API_KEYS: `test:${ADMIN_KEY}`,
  });
  edge = await startEdge('node', {
    coreUrl: core.httpUrl,
    vars: { CADENCE_EDGE_AUTH: 'off', CADENCE_RATE_IP_PER_MIN: '0', CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RETRY_CAP_MS: '500', CADENCE_SPOOL_URL: `file:${path.join(dir, 'spool.db')}` },
  });
  client = grpcClients(`127.0.0.1:${core.grpcPort}`);
}, 90_000);

afterAll(async () => {
  client?.close();
  await edge?.stop();
  await core?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The issue's bot: 12 keydown/keyup pairs 10 ms apart with 5 ms holds. */
// Holds of 4-6 ms every 10 ms: challenged on its first window, blocked on its second (holds of one
// length as well would be metronome_timing, blocked at once).
function issueBot() {
  return Array.from({ length: 12 }, (_, i) => [
    { type: 'keydown' as const, t: 10 + i * 10, keyClass: 'letter' as const },
    { type: 'keyup' as const, t: 14 + (i % 3) + i * 10, keyClass: 'letter' as const },
  ]).flat();
}
const click = [{ type: 'pointerdown' as const, t: 500, x: 10, y: 10 }, { type: 'pointerup' as const, t: 560, x: 10, y: 10 }];

const post = async (body: unknown) => {
  const res = await fetch(`${edge.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

/** Delivery to the core is asynchronous (the spool): wait until the session shows `batches`. */
async function risk(sessionId: string, batches: number): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const r = await client.getSessionRisk({ sessionId }).catch(() => undefined);
    if (r && Number(r.batchCount) >= batches) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`session ${sessionId} never reached ${batches} batches`);
}

async function flagged(): Promise<any[]> {
  const listSessions = unary(connectTransport(core.httpUrl).transport, AdminService, 'listSessions');
  return (await listSessions({ minLevel: 'DECISION_CHALLENGE', pageSize: 500 }, { headers: { 'x-api-key': ADMIN_KEY } })).sessions;
}

describe('the issue 21 reproduction, over real sockets', () => {
  it('a blocked session stays block after a batch without judgement, stays flagged, and its next batch is refused', async () => {
    const b = batch({ events: issueBot() });
    const first = await post(b);
    const second = await post({ ...b, batchId: `${b.batchId}-2`, seq: 1 });
    expect(first.status).toBe(200);
    expect(second.body).toMatchObject({ decision: 'block', standing: 'block', requiredAction: 'login' });
    // The page unloading: one batch with a single click. The edge refuses it: the session is over.
    const unload = await post({ ...b, batchId: `${b.batchId}-3`, seq: 2, events: click });
    expect(unload.status).toBe(403);
    expect(unload.body.error.code).toBe('session_blocked');
    await new Promise((r) => setTimeout(r, 2000));
    const r = await risk(b.sessionId, 2);
    expect(r.latest.decision).toBe('DECISION_BLOCK');
    expect(r.standing).toMatchObject({ level: 'STANDING_LEVEL_BLOCK', requiredAction: 'login', severity: 'high' });
    const listed = (await flagged()).find((s) => s.sessionId === b.sessionId);
    expect(listed?.standing).toMatchObject({ level: 'STANDING_LEVEL_BLOCK' });
    const later = await post({ ...b, batchId: `${b.batchId}-4`, seq: 3, events: typing() });
    expect(later.status).toBe(403);
    expect(later.body.error.code).toBe('session_blocked');
  });

  it('a block reaching the core by another way (another edge, a restarted one) is not worn away by clean batches', async () => {
    const b = batch({ events: issueBot() });
    const wire = (x: typeof b) => ({ ...x, events: x.events.map((e) => ({ ...e, type: `EVENT_TYPE_${e.type.toUpperCase()}`, keyClass: e.keyClass ? `KEY_CLASS_${e.keyClass.toUpperCase()}` : undefined })) });
    const sent = [
      { ...b, batchId: 'x-1', seq: 0 },
      { ...b, batchId: 'x-2', seq: 1 },
      { ...b, batchId: 'x-3', seq: 2, events: click },
      // Enough clean windows to wear the evidence (two flagged windows, one also a replay) to 0.
      ...Array.from({ length: 45 }, (_, i) => ({ ...b, batchId: `x-${4 + i}`, seq: 3 + i, events: typing() })),
    ];
    const answers = [];
    for (const x of sent) answers.push(await client.ingestBatch({ batch: wire(x), receivedAtMs: Date.now() }));
    expect(answers[1].standing.level).toBe('STANDING_LEVEL_BLOCK');
    // The clean batches wear the evidence down to allow, but not the standing.
    expect(answers.at(-1).assessment.decision).toBe('DECISION_ALLOW');
    expect(answers.at(-1).standing.level).toBe('STANDING_LEVEL_BLOCK');
    const r = await risk(b.sessionId, sent.length);
    expect(r.latest.decision).toBe('DECISION_ALLOW');
    expect(r.standing.level).toBe('STANDING_LEVEL_BLOCK');
    expect((await flagged()).some((s) => s.sessionId === b.sessionId)).toBe(true);
  });

  it('a challenge holds over clean and unjudged batches (only the MPIN step-up lowers it)', async () => {
    const b = batch({ events: issueBot() });
    expect((await post(b)).body).toMatchObject({ decision: 'challenge', standing: 'challenge', requiredAction: 'verify_mpin' });
    expect((await post({ ...b, batchId: `${b.batchId}-c`, seq: 1, events: click })).body).toMatchObject({ standing: 'challenge' });
    let last: any;
    for (let i = 0; i < 14; i++) last = (await post({ ...b, batchId: `${b.batchId}-h${i}`, seq: 2 + i, events: typing() })).body;
    // The windows are clean (a low window score), the session's decision is the challenge it stands at.
    expect(last).toMatchObject({ decision: 'challenge', standing: 'challenge', requiredAction: 'verify_mpin' });
    expect(last.windowScore).toBeLessThan(0.5);
    const r = await risk(b.sessionId, 16);
    expect(r.latest.decision).toBe('DECISION_ALLOW');
    expect(r.standing).toMatchObject({ level: 'STANDING_LEVEL_CHALLENGE', requiredAction: 'verify_mpin' });
    expect((await flagged()).find((s) => s.sessionId === b.sessionId)?.standing.level).toBe('STANDING_LEVEL_CHALLENGE');
  });
});
