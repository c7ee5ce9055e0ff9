// The severity webhook against a local HTTP server on port 0: medium and high decisions are POSTed
// (signed), a failing receiver is retried with backoff, and ingest never waits for the receiver.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { eventually } from '../helpers/core-clients.ts';
import { testDb } from '../helpers/db.ts';
import { startIdentityCore, type Harness } from '../helpers/identity.ts';

const SECRET = 'webhook-secret-0123456789';
let h: Harness;
let server: Server;
let url: string;
const received: { body: string; signature: string | undefined; at: number }[] = [];
let failFirst = 0;
let stall = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (stall) return; // never answers: the core must not wait for it
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body, signature: req.headers['x-cadence-signature'] as string | undefined, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/cadence`;
  h = await startIdentityCore({ CADENCE_WEBHOOK_URL: url, CADENCE_WEBHOOK_SECRET: SECRET, CADENCE_WEBHOOK_TIMEOUT_MS: '500' });
});

afterAll(async () => {
  await h?.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const ingest = (events: ReturnType<typeof typing>) => {
  const b = batch({ events });
  return h.ingestBatch({ batch: toWireBatch(b) }).then((res) => ({ b, res }));
};

describe('severity webhook', () => {
  it('notifies medium and high decisions only, signed, retrying a failing receiver', async () => {
    failFirst = 2;
    const human = await ingest(typing({ seed: 4 }));
    expect(human.res.assessment.decision).toBe('DECISION_ALLOW');
    const bot = await ingest(botTyping());
    expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(bot.res.assessment.decision);
    const got = await eventually(async () => received.find((r) => JSON.parse(r.body).batchId === bot.b.batchId), 20_000);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ type: 'cadence.decision', sessionId: bot.b.sessionId, decision: expect.stringMatching(/challenge|block/), severity: expect.stringMatching(/medium|high/) });
    expect(body.reasons.length).toBeGreaterThan(0);
    expect(got.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`);
    expect(failFirst).toBe(0); // the two failures were retried
    const metrics = await (await fetch(`http://127.0.0.1:${h.core.httpPort}/metrics`)).text();
    const attempts = (outcome: string) => Number(new RegExp(`cadence_webhook_attempts_total\\{outcome="${outcome}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    expect(attempts('retry')).toBeGreaterThanOrEqual(2);
    expect(attempts('delivered')).toBeGreaterThanOrEqual(1);
    expect(received.some((r) => JSON.parse(r.body).batchId === human.b.batchId)).toBe(false);
  });

  it('keeps a notification the receiver could not take across a core restart, and delivers it after', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cadence-webhook-'));
    const database = await testDb(dir);
    const env = { CADENCE_WEBHOOK_URL: url, CADENCE_WEBHOOK_SECRET: SECRET, CADENCE_WEBHOOK_TIMEOUT_MS: '500' };
    try {
      failFirst = 1_000_000; // away for now
      const first = await startIdentityCore(env, { dbUrl: database.url });
      const b = batch({ events: botTyping() });
      const res = await first.ingestBatch({ batch: toWireBatch(b) });
      expect(['DECISION_CHALLENGE', 'DECISION_BLOCK']).toContain(res.assessment.decision);
      await new Promise((r) => setTimeout(r, 300)); // an attempt or two, refused
      await first.stop();
      failFirst = 0; // back, while no core runs
      const second = await startIdentityCore(env, { dbUrl: database.url });
      try {
        const got = await eventually(async () => received.find((r) => JSON.parse(r.body).batchId === b.batchId), 20_000);
        expect(JSON.parse(got.body)).toMatchObject({ type: 'cadence.decision', sessionId: b.sessionId });
      } finally {
        await second.stop();
      }
    } finally {
      await database.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never holds up ingest, even when the receiver hangs', async () => {
    stall = true;
    const started = performance.now();
    for (let i = 0; i < 5; i++) await ingest(botTyping());
    expect(performance.now() - started).toBeLessThan(1500); // the receiver's 500 ms timeout is never on this path
    stall = false;
  });
});
