// The edge Worker inside workerd: its real entry, its .wasm import, forwarding to a real core.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../edge/worker.ts';
import kernelModule from '../../wasm/build/kernels.wasm';
import { instantiateKernels } from '../../wasm/kernels.ts';
import { scaledManhattan } from '../../wasm/reference.ts';
import { batch, botTyping, rng } from '../helpers/batches.ts';

const coreUrl = inject('coreUrl');
const workerEnv = { ...(env as Record<string, unknown>), CADENCE_CORE_URL: coreUrl };

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

  it('scores, forwards and de-duplicates a batch', async () => {
    const b = batch();
    const first = await (await post(b)).json();
    expect(first).toMatchObject({ accepted: true, duplicate: false, decision: 'allow', judged: true });
    expect(await (await post(b)).json()).toMatchObject({ accepted: true, duplicate: true });
    const risk = await fetch(`${coreUrl}/cadence.v1.RiskService/GetSessionRisk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: b.sessionId }),
    });
    expect(await risk.json()).toMatchObject({ batchCount: '1', eventCount: String(b.events.length) });
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
