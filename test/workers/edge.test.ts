// The edge Worker inside workerd: its real entry, its .wasm import, forwarding to a real core.
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { createCoreForwarder } from '../../edge/forward.ts';
import { consumeQueue } from '../../edge/queue.ts';
import { ingestRequest } from '../../edge/delivery.ts';
import worker from '../../edge/worker.ts';
import kernelModule from '../../wasm/build/kernels.wasm';
import { instantiateKernels } from '../../wasm/kernels.ts';
import { scaledManhattan } from '../../wasm/reference.ts';
import { batch, botTyping, rng } from '../helpers/batches.ts';

const coreUrl = inject('coreUrl');
const workerEnv = { ...(env as Record<string, unknown>), CADENCE_CORE_URL: coreUrl, CADENCE_EDGE_AUTH: 'off' };

async function call(path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://edge.test${path}`, init), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const post = (body: unknown) =>
  call('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('edge in workerd', () => {
  it('gets the kernel as a compiled WebAssembly.Module and matches the TypeScript twin', async () => {
    expect(kernelModule).toBeInstanceOf(WebAssembly.Module);
    const kernels = await instantiateKernels(kernelModule);
    const rand = rng(9);
    const rows = Float64Array.from({ length: 6 * 100 }, () => rand() * 300);
    const mean = Float64Array.from({ length: 6 }, () => rand() * 200);
    const mad = Float64Array.from({ length: 6 }, () => 1 + rand() * 40);
    const a = kernels.scaledManhattan(rows, 6, mean, mad);
    const b = scaledManhattan(rows, 6, mean, mad);
    for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-9);
  });

  it('reports health with the runtime and the reachable core', async () => {
    expect(await (await call('/healthz')).json()).toMatchObject({ status: 'ok', runtime: 'workerd', core: 'reachable' });
  });

  const sessionRisk = async (sessionId: string) =>
    (await fetch(`${coreUrl}/cadence.v1.RiskService/GetSessionRisk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId }),
    })).json();

  it('scores a batch at once, queues it, and the queue consumer stores it in the core', async () => {
    const b = batch();
    const first = await (await post(b)).json();
    expect(first).toMatchObject({ accepted: true, duplicate: false, decision: 'allow', judged: true });
    expect(await (await post(b)).json()).toMatchObject({ accepted: true, duplicate: true });
    let risk: { batchCount?: string; eventCount?: string } = {};
    for (let i = 0; i < 100 && risk.batchCount !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      risk = await sessionRisk(b.sessionId);
    }
    expect(risk).toMatchObject({ batchCount: '1', eventCount: String(b.events.length) });
  });

  it('acks what the core stored, dead-letters what it refuses for good', async () => {
    const good = batch();
    const conflicting = { ...good, seq: 5 }; // same id, other content: ALREADY_EXISTS once the first is stored
    const messages = createMessageBatch('cadence-events', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { batchId: good.batchId, request: ingestRequest(good, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(messages, workerEnv as never);
    expect((await getQueueResult(messages, ctx)).explicitAcks).toEqual(['m1']);
    const second = createMessageBatch('cadence-events', [
      { id: 'm2', timestamp: new Date(), attempts: 1, body: { batchId: good.batchId, request: ingestRequest(conflicting, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) } },
    ]);
    await worker.queue(second, workerEnv as never);
    const result = await getQueueResult(second, createExecutionContext());
    expect(result.explicitAcks).toEqual(['m2']);
    expect(result.retryMessages).toEqual([]);
    expect(await sessionRisk(good.sessionId)).toMatchObject({ batchCount: '1' });
  });

  it('retries with backoff while the core is unreachable', async () => {
    const b = batch();
    const messages = createMessageBatch('cadence-events', [
      { id: 'r1', timestamp: new Date(), attempts: 3, body: { batchId: b.batchId, request: ingestRequest(b, { score: 0, decision: 'allow', modelVersion: 't', reasons: [], judged: false }, Date.now()) } },
    ]);
    const unreachable = createCoreForwarder({ coreUrls: ['http://127.0.0.1:9'], timeoutMs: 500 });
    await consumeQueue(messages.messages, unreachable, undefined, () => undefined);
    const result = await getQueueResult(messages, createExecutionContext());
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryMessages[0]!.msgId).toBe('r1'); // the delay comes from backoffMs, tested on its own
  });

  it('issues signed anonymous session ids, serves the collector, and needs an upgrade for the stream', async () => {
    const issued = await call('/v1/session', { method: 'POST' });
    expect(issued.status).toBe(201);
    const { sessionId } = await issued.json();
    expect(sessionId).toMatch(/^anon_/);
    expect((await post(batch({ sessionId }))).status).toBe(200);
    const sdk = await call('/v1/sdk.js');
    expect(sdk.status).toBe(200);
    expect(sdk.headers.get('content-type')).toMatch(/javascript/);
    expect(await sdk.text()).toContain('Cadence');
    const stream = await call('/v1/stream');
    expect(stream.status).toBe(426);
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('flags a bot', async () => {
    const res = await (await post(batch({ events: botTyping() }))).json();
    expect(['challenge', 'block']).toContain(res.decision);
  });

  it.each([
    ['malformed', '{', 400, 'malformed_json'],
    ['no consent', { ...batch(), consent: false }, 403, 'consent_required'],
    ['bad field', { ...batch(), events: [{ type: 'wheel', t: -1 }] }, 400, 'invalid_batch'],
  ])('refuses %s', async (_n, body, status, code) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toBe(code);
  });
});
