// GET /metrics on the core's HTTP face: Prometheus text with RPC counts and latency, scores,
// decisions, the anomaly rate and security events, after real calls over gRPC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWireBatch } from '../../lib/wire.ts';
import { batch, botTyping, typing } from '../helpers/batches.ts';
import { rejection, startIdentityCore, type Harness } from '../helpers/identity.ts';

let h: Harness;
beforeAll(async () => {
  h = await startIdentityCore();
});
afterAll(async () => {
  await h?.stop();
});

/** The value of one sample line, e.g. `cadence_decisions_total{decision="block"}`. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('GET /metrics', () => {
  it('counts RPCs by code, times them, and records scores, decisions and security events', async () => {
    await h.identity.register({ email: 'metrics@example.com', password: 'correct horse battery', mpin: '1234' });
    await rejection(h.identity.login({ email: 'metrics@example.com', password: 'wrong password!', deviceId: 'd1' }));
    const login = await h.identity.login({ email: 'metrics@example.com', password: 'correct horse battery', deviceId: 'd1' });
    await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, events: typing(), context: { deviceId: 'd1' } })) });
    // A bot's first window challenges the session (three independent facts in it), its second blocks.
    await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq: 1, events: botTyping(), context: { deviceId: 'd1' } })) });
    await h.ingestBatch({ batch: toWireBatch(batch({ sessionId: login.sessionId, seq: 2, events: botTyping(), context: { deviceId: 'd1' } })) });

    const res = await fetch(`http://127.0.0.1:${h.core.httpPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'cadence_rpc_requests_total{service="cadence.v1.IdentityService",method="Login",code="OK"}')).toBe(1);
    expect(sample(text, 'cadence_rpc_requests_total{service="cadence.v1.IdentityService",method="Login",code="UNAUTHENTICATED"}')).toBe(1);
    expect(sample(text, 'cadence_rpc_requests_total{service="cadence.v1.IngestService",method="IngestBatch",code="OK"}')).toBe(3);
    expect(sample(text, 'cadence_rpc_duration_seconds_count{service="cadence.v1.IdentityService",method="Register"}')).toBe(1);
    expect(sample(text, 'cadence_risk_score_count')).toBe(3);
    expect(sample(text, 'cadence_decisions_total{decision="allow"}')).toBe(1);
    expect(sample(text, 'cadence_decisions_total{decision="challenge"}')).toBe(1);
    expect(sample(text, 'cadence_decisions_total{decision="block"}')).toBe(1);
    expect(sample(text, 'cadence_anomaly_rate')).toBeCloseTo(2 / 3, 6);
    expect(sample(text, 'cadence_security_events_total{kind="challenge"}')).toBe(1);
    expect(sample(text, 'cadence_security_events_total{kind="block"}')).toBe(1);
    expect(sample(text, 'cadence_security_events_total{kind="login_failed"}')).toBe(1);
    expect(text).toMatch(/^cadence_core_process_cpu_seconds_total /m);
  });
});
