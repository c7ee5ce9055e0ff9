// A logged-in user's own model says who types; the session's own tests say whether a program does.
// Once the owner has an active model, the core's fusion (core/enrolment/service.ts combine) must pass
// each window's typing sums and reaches on to the session's evidence as the edge's fuseWithUser does:
// otherwise typing_ignores_keys, uncorrected_reaches and flat_speed never judge an account takeover
// by a bot, which is the case that matters most. Through the edge into a real core and database.
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdge } from '../../edge/build.ts';
import type { BatchEvent } from '../../scoring/batch.ts';
import { compileKernelModule } from '../../wasm/node.ts';
import { typing } from '../helpers/batches.ts';
import { eventually } from '../helpers/core-clients.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';

let h: Harness;
let app: Awaited<ReturnType<typeof buildEdge>>['app'];
let db: ReturnType<typeof createClient>;
let batchNo = 0;
const ANA = { hold: 105, gap: 210 };

beforeAll(async () => {
  h = await startIdentityCore({ CADENCE_ENROL_MIN_WINDOWS: '20' });
  ({ app } = await buildEdge(await compileKernelModule(), { CADENCE_EDGE_AUTH: 'off', CADENCE_CORE_URL: `http://127.0.0.1:${h.core.httpPort}`, CADENCE_RATE_SESSION_PER_MIN: '0', CADENCE_RATE_IP_PER_MIN: '0' }, { runtime: 'node', clientIp: () => '203.0.113.7' }));
  db = createClient({ url: h.dbUrl });
});

afterAll(async () => {
  db?.close();
  await h?.stop();
});

async function send(sessionId: string, events: BatchEvent[]) {
  batchNo++;
  const res = await app.request('/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, batchId: `owner-tests-${batchNo}`, seq: batchNo, consent: true, context: { page: '/login', deviceId: 'dev-1' }, events }),
  });
  expect(res.status).toBe(200);
}

const one = async (sql: string, args: (string | number)[]) => (await db.execute({ sql, args })).rows[0];

describe("the session's own tests with an owner's model active", () => {
  it("keep the typing sums of every window the owner's model scored", async () => {
    const { userId } = await h.identity.register({ email: 'owner-tests@example.com', password: 'correct horse battery', mpin: '1357' });
    const login = async () => (await h.identity.login({ email: 'owner-tests@example.com', password: 'correct horse battery', deviceId: 'dev-1' })).sessionId as string;
    const enrolment = await login();
    for (let i = 0; i < 20; i++) await send(enrolment, typing({ ...ANA, keys: 30, seed: 900 + i }));
    await eventually(async () => one('select version from models where scope = ? and active = 1', [userId]));

    // A later session in the account: its windows are scored by the owner's model...
    const later = await login();
    for (let i = 0; i < 3; i++) await send(later, typing({ ...ANA, keys: 30, seed: 950 + i }));
    const scored = await eventually(async () => {
      const rows = (await db.execute({ sql: "select model_version from scores where session_id = ? and source = 'core'", args: [later] })).rows;
      return rows.length === 3 ? rows : undefined;
    });
    for (const r of scored) expect(String(r.model_version)).toMatch(/^user-keystroke@/);
    // ...and the session's typing test still adds up every one of them (29 key pairs a window).
    const row = await one('select evidence_typing from sessions where id = ?', [later]);
    const sums = JSON.parse(String(row?.evidence_typing ?? 'null')) as { hfInfo: number; swInfo: number } | null;
    expect(sums).not.toBeNull();
    expect(sums!.hfInfo).toBeGreaterThanOrEqual(3 * 20);
    expect(sums!.swInfo).toBeGreaterThan(0);
  }, 120_000);
});
